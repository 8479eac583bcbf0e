package org.aiflow.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: the JDK client refuses what bad-input tests
 * must send (a backslash or raw bytes in the path, a missing or empty {@code Content-Type} next to a
 * body, {@code TRACE}). One request per connection ({@code Connection: close}).
 */
final class RawHttp {
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code method target} with the given header lines (each "Name: value", sent as is) and
     * body (a {@code Content-Length} is added for a non-null body unless a header line says
     * {@code Transfer-Encoding}).
     */
    static Response send(String method, byte[] target, byte[] body, String... headerLines) throws IOException {
        try (Socket socket = new Socket("localhost", 8181)) {
            socket.setSoTimeout(30_000);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write((method + " ").getBytes(StandardCharsets.ISO_8859_1));
            request.write(target);
            StringBuilder head = new StringBuilder(" HTTP/1.1\r\nHost: localhost:8181\r\nConnection: close\r\n");
            boolean chunked = false;
            boolean signed = false;
            for (String h : headerLines) {
                signed |= h.toLowerCase(Locale.ROOT).startsWith("authorization:");
            }
            if (!signed) {
                // signed in as the admin unless the test sends its own credentials; not a browser
                head.append("Authorization: ").append(Distribution.adminAuthorization()).append("\r\nX-Requested-By: itest\r\n");
            }
            for (String h : headerLines) {
                head.append(h).append("\r\n");
                chunked |= h.toLowerCase(Locale.ROOT).startsWith("transfer-encoding:");
            }
            if (body != null && !chunked) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            request.write(head.toString().getBytes(StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            if (body != null) {
                try {
                    out.write(chunked ? chunk(body) : body);
                } catch (IOException e) {
                    // the server may answer (413) and close before reading an oversize body: read its answer
                }
            }
            out.flush();
            return read(socket.getInputStream());
        }
    }

    static Response send(String method, String target, String body, String... headerLines) throws IOException {
        return send(method, target.getBytes(StandardCharsets.UTF_8), body == null ? null : body.getBytes(StandardCharsets.UTF_8), headerLines);
    }

    private static byte[] chunk(byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int step = 64 * 1024;
        for (int i = 0; i < body.length; i += step) {
            int n = Math.min(step, body.length - i);
            b.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            b.write(body, i, n);
            b.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        b.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return b.toByteArray();
    }

    private static Response read(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (end < 0) {
            throw new IOException("no complete HTTP answer: " + new String(all, StandardCharsets.ISO_8859_1));
        }
        String[] lines = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
        if (headers.getOrDefault("transfer-encoding", "").equalsIgnoreCase("chunked")) {
            body = dechunk(body);
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < b.length) {
            int lineEnd = indexOf(java.util.Arrays.copyOfRange(b, i, b.length), new byte[] {'\r', '\n'});
            String size = new String(b, i, lineEnd, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                break;
            }
            out.write(b, i + lineEnd + 2, n);
            i += lineEnd + 2 + n + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
