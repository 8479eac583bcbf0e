package org.aiflow.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

import org.aiflow.api.error.ValidationException;

import com.fasterxml.jackson.core.type.TypeReference;

/**
 * The opaque {@code pageToken} of every list: base64url of {@code {"l": list, "f": filters, "p": position}}.
 * {@code l} names the list ("datasets"), {@code f} is a short hash of the query's filters (namespace,
 * prefix, ...), {@code p} where the next page starts (a name, an id). A token is taken only by the list
 * and filters that made it, so a token of another list or another filter is a 400, as is a garbled one;
 * a forged position is no worse than the older {@code afterName}/{@code afterId} it replaces: it only
 * moves where a page the caller may read starts.
 */
final class PageToken {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private PageToken() {
    }

    /** The token of the page that starts after {@code position} in {@code list} with these filters; null for no position. */
    static String encode(String list, String filters, String position) {
        if (position == null) {
            return null;
        }
        try {
            // a TreeMap: Map.of's order changes from one JVM to the next, and the same page should have the same token
            byte[] json = JsonProvider.MAPPER.writeValueAsBytes(new java.util.TreeMap<>(Map.of("l", list, "f", hash(filters), "p", position)));
            return ENCODER.encodeToString(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The position of {@code token} (null when there is none); 400 for a token that is not one of ours,
     * or one made by another list or with other filters.
     */
    static String decode(String token, String list, String filters) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        Map<String, Object> fields;
        try {
            fields = JsonProvider.MAPPER.readValue(Base64.getUrlDecoder().decode(token), new TypeReference<Map<String, Object>>() { });
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw invalid();
        }
        if (fields == null || !(fields.get("p") instanceof String p) || !list.equals(fields.get("l"))) {
            throw invalid();
        }
        if (!hash(filters).equals(fields.get("f"))) {
            throw new ValidationException("query parameter 'pageToken' was made for other filters of this list: "
                    + "send the same filters as the first page, or start again without a pageToken");
        }
        return p;
    }

    /** {@code pageToken} together with an older cursor parameter: which one wins would be a guess. */
    static void notBoth(String pageToken, String older, String olderName) {
        if (pageToken != null && !pageToken.isEmpty() && older != null && !older.isEmpty()) {
            throw new ValidationException("query parameters 'pageToken' and '" + olderName + "' exclude each other: use 'pageToken'");
        }
    }

    /** A position that must be an integer (an id, a version): 400 if the token's is not. */
    static Long longPosition(String position) {
        if (position == null) {
            return null;
        }
        try {
            return Long.parseLong(position);
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    private static ValidationException invalid() {
        return new ValidationException("query parameter 'pageToken' is not a page token of this list: "
                + "pass the nextPageToken of the previous page unchanged");
    }

    private static String hash(String filters) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(filters.getBytes(StandardCharsets.UTF_8));
            return ENCODER.encodeToString(java.util.Arrays.copyOf(digest, 9));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The filters of a query as one text, each value quoted so that no two different filter sets give the same text. */
    static String filters(Object... values) {
        StringBuilder b = new StringBuilder();
        for (Object v : values) {
            b.append(v == null ? "-" : "'" + String.valueOf(v).replace("'", "''") + "'").append(',');
        }
        return b.toString();
    }
}
