package org.aiflow.jetty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServletResponse;

/**
 * The API's error body, an RFC 9457 problem ({@code application/problem+json}) with the same fields as
 * the REST bundle's {@code Problem} ({@code type, title, status, detail, code, message}), written
 * without Jackson: this fragment lives in pax-web-jetty's class loader, which sees no JSON library.
 */
final class Problems {
    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";

    private Problems() {
    }

    /** The stable code of a status the container produces. */
    static String code(int status) {
        return switch (status) {
            case 400 -> "invalid_argument";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 408 -> "request_timeout";
            case 411 -> "length_required";
            case 413 -> "too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 417 -> "expectation_failed";
            case 431 -> "header_too_large";
            case 501 -> "not_implemented";
            case 503 -> "unavailable";
            case 505 -> "http_version_not_supported";
            default -> status >= 500 ? "internal" : "http_" + status;
        };
    }

    /** A message for users: what is wrong and what is allowed; {@code detail} is the container's reason, if any. */
    static String message(int status, String detail) {
        String reason = detail == null || detail.isBlank() ? "" : " (" + detail + ")";
        return switch (status) {
            case 400 -> "malformed request" + reason
                    + ": the path must be valid percent-encoded UTF-8 without NUL, spaces, control characters or a way above the root";
            case 404 -> "no such resource";
            case 405 -> "method not allowed" + reason;
            case 414 -> "the request URI is longer than the server accepts (8 KiB with the request line)";
            case 431 -> "the request headers are larger than the server accepts (8 KiB in all)";
            case 505 -> "HTTP version not supported" + reason + ": use HTTP/1.1";
            default -> status >= 500 ? "internal error" : "request refused" + reason;
        };
    }

    static String json(int status, String code, String message) {
        return fields(status, code, message) + "}";
    }

    /** The problem's fields without the closing brace, so that an answer can add its own (the readiness' {@code missing}). */
    static String fields(int status, String code, String message) {
        String m = escape(message);
        return "{\"type\":\"urn:aiflow:problem:" + escape(code) + "\",\"title\":\"" + escape(title(code)) + "\",\"status\":" + status
                + ",\"detail\":\"" + m + "\",\"code\":\"" + escape(code) + "\",\"message\":\"" + m + "\"";
    }

    /** The fixed title of a code, as the REST bundle's Problem spells it: its words capitalised. */
    static String title(String code) {
        if (code.equals("internal")) {
            return "Internal Error";
        }
        StringBuilder b = new StringBuilder();
        for (String word : code.split("_")) {
            if (!word.isEmpty()) {
                b.append(b.length() == 0 ? "" : " ").append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return b.toString();
    }

    static byte[] bytes(int status, String code, String message) {
        return json(status, code, message).getBytes(StandardCharsets.UTF_8);
    }

    /** Writes a problem as the whole response, unless something was already sent. */
    static void write(HttpServletResponse response, int status, String code, String message) throws IOException {
        writeProblem(response, status, json(status, code, message));
    }

    /** Writes a problem body (already encoded) as the whole response; a 503 or 429 without a Retry-After gets one. */
    static void writeProblem(HttpServletResponse response, int status, String json) throws IOException {
        if ((status == 503 || status == 429) && !response.isCommitted() && response.getHeader("Retry-After") == null) {
            response.setHeader("Retry-After", "1");
        }
        send(response, status, json, PROBLEM_JSON);
    }

    /** Writes a JSON body (already encoded) as the whole response, unless something was already sent. */
    static void writeJson(HttpServletResponse response, int status, String json) throws IOException {
        send(response, status, json, JSON);
    }

    private static void send(HttpServletResponse response, int status, String json, String type) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(type);
        response.setCharacterEncoding("UTF-8");
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) || c == 0x7f) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
