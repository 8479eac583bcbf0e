package org.aiflow.rest;

import java.util.Map;

/**
 * The one error body of the API, RFC 9457 problem details sent as {@code application/problem+json}:
 * {@code {"type":"urn:aiflow:problem:invalid_argument","title":"Invalid Argument","status":400,
 * "detail":"...","code":"invalid_argument","message":"..."}}. {@code code} is our stable code (clients
 * switch on it); {@code message} repeats {@code detail} for clients written before problem details
 * and goes away after one release.
 */
public record Problem(String type, String title, int status, String detail, String code, String message) {
    /** The media type of every error answer. */
    public static final String MEDIA_TYPE = "application/problem+json";
    /** {@code type} is this prefix and the code: a URN, since the codes have no page of their own to point at. */
    public static final String TYPE_PREFIX = "urn:aiflow:problem:";

    private static final Map<String, String> TITLES = Map.ofEntries(
            Map.entry("invalid_argument", "Invalid Argument"), Map.entry("unauthenticated", "Unauthenticated"),
            Map.entry("forbidden", "Forbidden"), Map.entry("not_found", "Not Found"),
            Map.entry("method_not_allowed", "Method Not Allowed"), Map.entry("not_acceptable", "Not Acceptable"),
            Map.entry("conflict", "Conflict"), Map.entry("precondition_failed", "Precondition Failed"),
            Map.entry("idempotency_key_reused", "Idempotency Key Reused"), Map.entry("too_large", "Too Large"),
            Map.entry("unsupported_media_type", "Unsupported Media Type"), Map.entry("too_many_requests", "Too Many Requests"),
            Map.entry("internal", "Internal Error"), Map.entry("unavailable", "Unavailable"));

    /** The problem of a stable code; the title is fixed per code (the code itself, spelled out, for one not listed). */
    public static Problem of(int status, String code, String detail) {
        return new Problem(TYPE_PREFIX + code, title(code), status, detail, code, detail);
    }

    static String title(String code) {
        String known = TITLES.get(code);
        if (known != null) {
            return known;
        }
        StringBuilder b = new StringBuilder();
        for (String word : code.split("_")) {
            if (!word.isEmpty()) {
                b.append(b.length() == 0 ? "" : " ").append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return b.toString();
    }
}
