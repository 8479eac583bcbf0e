package org.aiflow.itests;

import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

import org.junit.After;
import org.junit.Test;

/**
 * The answers the container produces itself (Jetty's parser, pax-web, CXF) are the API's JSON
 * problem body too, from the first answer of a start: sent as raw bytes, since HTTP clients refuse
 * to send most of these requests.
 */
public class ContainerErrorsIT {
    private static final String AUTH = "Authorization: " + Distribution.adminAuthorization() + "\r\n";
    private Process karaf;

    @After
    public void stop() {
        if (karaf != null) {
            Distribution.kill(karaf);
        }
    }

    @Test
    public void everyAnswerUnderTheApiIsJsonFromTheFirstSecond() throws Exception {
        Path home = Distribution.unpack("container-errors");
        karaf = Distribution.launch(home);
        Set<String> seen = new LinkedHashSet<>();
        Poll.until(Distribution.START_TIMEOUT, "the datasets resource answers 200", () -> {
            String answer;
            try {
                answer = raw("GET /aiflow/v1/datasets HTTP/1.1\r\nHost: localhost\r\n" + AUTH + "Connection: close\r\n\r\n");
            } catch (ConnectException e) {
                return false; // Jetty not listening yet
            }
            seen.add(answer.substring(0, answer.indexOf("\r\n")));
            assertTrue("while starting: " + answer, answer.startsWith("HTTP/1.1 200") || answer.startsWith("HTTP/1.1 503")
                    && isJson(answer) && answer.contains("\"code\":\"unavailable\""));
            return answer.startsWith("HTTP/1.1 200");
        });
        System.out.println("answers while starting: " + seen);
        // the application is published once, complete: its own JSON 404 for an unknown path at once

        String p = "/aiflow/v1/datasets/";
        expect(400, "invalid_argument", get(p + "a%00b"));
        expect(400, "invalid_argument", get(p + "%ZZ"));
        expect(400, "invalid_argument", get(p + "\u00ff\u00fe")); // bytes FF FE: no UTF-8
        expect(400, "invalid_argument", get(p + "\u00c0\u00af")); // overlong '/'
        expect(400, "invalid_argument", get(p + "a b"));
        expect(400, "invalid_argument", get("/aiflow/v1/tasks/1/logs/..\\..\\pid"));
        expect(404, "not_found", get(p + "../../etc/passwd"));
        expect(414, "uri_too_long", get(p + "a".repeat(20_000)));
        expect(431, "header_too_large", raw("GET " + p + " HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "x".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n"));
        String trace = raw("TRACE /aiflow/v1/datasets HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        expect(405, "method_not_allowed", trace);
        assertTrue(trace, trace.contains("Allow: GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE"));
        expect(505, "http_version_not_supported", raw("GET /aiflow/v1/datasets HTTP/9.9\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        expect(400, "invalid_argument", raw("GET /aiflow/v1/datasets HTTP/1.1\r\nConnection: close\r\n\r\n")); // no Host
        expect(404, "not_found", get("/aiflow/v1/nosuch"));
    }

    private static String get(String path) throws Exception {
        return raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + AUTH + "Connection: close\r\n\r\n");
    }

    private static void expect(int status, String code, String answer) {
        assertTrue(answer, answer.startsWith("HTTP/1.1 " + status + " "));
        assertTrue("JSON: " + answer, isJson(answer));
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertTrue(answer, body.startsWith("{\"type\":\"urn:aiflow:problem:" + code + "\",\"title\":\"")
                && body.contains("\"status\":" + status + ",\"detail\":\"") && body.contains("\"code\":\"" + code + "\",\"message\":\""));
    }

    private static boolean isJson(String answer) {
        return answer.toLowerCase().contains("\r\ncontent-type: application/problem+json");
    }

    /** One request as ISO-8859-1 bytes (so U+00FF is the byte FF) on its own connection; the whole answer. */
    private static String raw(String request) throws Exception {
        try (Socket socket = new Socket("localhost", Distribution.API.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
