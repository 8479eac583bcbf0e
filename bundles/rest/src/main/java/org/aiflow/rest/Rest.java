package org.aiflow.rest;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.json.StrictText;

/** Names shared by the API's components, and query parameter parsing with 400s instead of JAX-RS 404s. */
final class Rest {
    /** The application's {@code osgi.jaxrs.name} (the org.aiflow.jetty fragment looks for it in the service registry). */
    static final String APP_NAME = "aiflow";
    static final String CONFIG_PID = "org.aiflow.rest";

    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("-?[0-9]{1,19}");

    private Rest() {
    }

    static long longParam(String raw, String name, long defaultValue, long min, long max) {
        return number(raw, "query parameter '" + name + "'", defaultValue, min, max);
    }

    /** A number in the path, e.g. {@code {id}} of {@code /tasks/{id}}: a 400 naming the path segment, not a query parameter. */
    static long pathNumber(String raw, String name, long min, long max) {
        return number(raw, "path segment '{" + name + "}'", min, min, max);
    }

    private static long number(String raw, String what, long defaultValue, long min, long max) {
        if (raw == null || raw.isEmpty()) {
            return defaultValue;
        }
        long v;
        try {
            // decimal digits only: Long.parseLong would take "+2", and trimming took " 2" and "2 "
            if (!DECIMAL.matcher(raw).matches()) {
                throw new NumberFormatException(raw);
            }
            v = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new ValidationException(what + " must be an integer, got '" + raw + "'");
        }
        if (v < min || v > max) {
            throw new ValidationException(what + " must be between " + min + " and " + max);
        }
        return v;
    }

    /** A list query from the common paging and filter parameters ({@code namePrefix, afterName, limit}). */
    static ListQuery listQuery(String namePrefix, String type, String afterName, boolean includeDeleted, String limit) {
        return new ListQuery(namePrefix, type, afterName, includeDeleted,
                (int) longParam(limit, "limit", 100, 1, ListQuery.MAX_LIMIT));
    }

    /**
     * Where a page starts: after the position of {@code pageToken} (made by {@code list} with these
     * {@code filters}), or after the older cursor parameter's value; both at once is a 400.
     */
    static String after(String list, String filters, String pageToken, String older, String olderName) {
        PageToken.notBoth(pageToken, older, olderName);
        return pageToken == null || pageToken.isEmpty() ? older : PageToken.decode(pageToken, list, filters);
    }

    /** A page of a list read whole: its items and the key of its last one when more follow, else null. */
    record Slice<T>(List<T> items, String next) {
    }

    /**
     * A page of a list the service answers whole (workflows, subscriptions): the items whose key is
     * above {@code after} (null: from the first), in key order, at most {@code limit}. Its {@code next}
     * is exact: null only when nothing follows.
     */
    static <T> Slice<T> slice(List<T> all, Function<T, String> key, String after, int limit) {
        List<T> rest = all.stream().filter(t -> after == null || key.apply(t).compareTo(after) > 0)
                .sorted(java.util.Comparator.comparing(key)).toList();
        List<T> page = rest.subList(0, Math.min(limit, rest.size()));
        return new Slice<>(page, rest.size() > limit ? key.apply(page.get(page.size() - 1)) : null);
    }

    /** The {@code afterName} of the next page: the last name of a full page, null after the last page. */
    static <T> String nextAfterName(List<T> page, ListQuery query, Function<T, String> name) {
        return page.size() < query.limit() ? null : name.apply(page.get(page.size() - 1));
    }

    /** The relative URI of a named record, for a 201's Location header. */
    static java.net.URI location(String collection, String name, String namespace) {
        return java.net.URI.create(collection + "/" + segment(name) + "?namespace=" + namespace);
    }

    /** A name as one path segment. */
    static String segment(String name) {
        return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A {@code namespace} query parameter: absent or empty means {@code default}. */
    static String namespace(String raw) {
        return raw == null || raw.isEmpty() ? org.aiflow.api.event.EventDraft.DEFAULT_NAMESPACE : raw;
    }

    static Long optionalLong(String raw, String name) {
        return raw == null || raw.isEmpty() ? null : longParam(raw, name, 0, 0, Long.MAX_VALUE);
    }

    static Instant instantParam(String raw, String name) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        return StrictText.instant("query parameter '" + name + "'", raw);
    }
}
