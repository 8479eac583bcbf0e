package org.aiflow.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One persistent HTTP/1.1 connection of a load-generating client thread, as {@code wrk} keeps one:
 * requests are serialized to bytes once ({@link #request}) and written as they are, responses are
 * parsed just enough to frame them (status line, {@code Content-Length} or chunked body) and checked
 * for the expected status. The JDK {@code HttpClient} spent 0.25-1.1 ms of CPU per request in the
 * benchmark's JVM, on the same two cores as the platform it measures; this spends a few
 * microseconds, so the figure is the platform's. Not thread-safe: one per client thread.
 */
final class LoadConnection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(4096);
    private final StringBuilder line = new StringBuilder(128);

    LoadConnection(URI api) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(api.getHost(), api.getPort()), 10_000);
        socket.setSoTimeout(60_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    /** The bytes of a request to {@code path} (absolute, e.g. {@code /aiflow/v1/models/x?namespace=y}); {@code json} null for a GET. */
    static byte[] request(URI api, String method, String path, String json) {
        byte[] content = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: " + api.getHost() + ":" + api.getPort()
                + "\r\nAuthorization: " + RestClient.AUTHORIZATION
                + "\r\nAccept: application/json\r\n"
                + (json == null ? "" : "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n") + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(content, 0, all, headBytes.length, content.length);
        return all;
    }

    /** Sends a request made by {@link #request} and reads its response; @return the body, if the status is {@code expected} */
    String send(byte[] request, int expected) throws IOException {
        out.write(request);
        out.flush();
        String status = readLine();
        int code = status.length() >= 12 ? Integer.parseInt(status.substring(9, 12)) : -1;
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header = readLine(); !header.isEmpty(); header = readLine()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, Math.max(0, colon)).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        body.reset();
        if (chunked) {
            for (long size = Long.parseLong(readLine().split(";")[0].trim(), 16); size > 0;
                 size = Long.parseLong(readLine().split(";")[0].trim(), 16)) {
                copy(size);
                readLine();
            }
            while (!readLine().isEmpty()) { // trailers
            }
        } else if (length >= 0) {
            copy(length);
        } else {
            throw new IOException("response without a length (status " + status + ")");
        }
        String text = body.toString(StandardCharsets.UTF_8);
        if (code != expected) {
            throw new IllegalStateException(new String(request, 0, Math.min(request.length, 80), StandardCharsets.US_ASCII).split("\r\n")[0]
                    + " answered " + status + " (expected " + expected + "): " + text);
        }
        if (close) {
            throw new IOException("the platform closed the connection");
        }
        return text;
    }

    private void copy(long length) throws IOException {
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(1, length))];
        for (long left = length; left > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("connection closed inside a response body");
            }
            body.write(buffer, 0, n);
            left -= n;
        }
    }

    private String readLine() throws IOException {
        line.setLength(0);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed inside a response head");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
