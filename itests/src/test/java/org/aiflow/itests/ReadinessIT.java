package org.aiflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.aiflow.client.AiflowClient;
import org.junit.After;
import org.junit.Test;

/**
 * Readiness from the first second of a start, in the real distribution started as users start it:
 * {@code /health/ready}, {@code /health}, {@code /events} and {@code /workflows} polled every 20 ms
 * until ready and 3 s more. Every answer is JSON (never HTML, never a 404 for these paths); ready
 * answers 503 then 200 and never 503 again (the API is published once, complete); the resources
 * answer 503 until then and never after (200, or 401 JSON once authentication is in). Then the
 * loopback default: every socket the platform's JVM listens on (HTTP 8181, SSH, JMX) is on
 * 127.0.0.1; and the one documented setting, {@code AIFLOW_BIND_ADDRESS=0.0.0.0}, opens them all.
 */
public class ReadinessIT {
    private static final String BASE = "http://127.0.0.1:8181/aiflow/v1/";
    private static final List<String> PATHS = List.of("health/ready", "health", "events", "workflows");
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration AFTER_READY = Duration.ofSeconds(3);

    private Process karaf;

    @After
    public void stop() {
        if (karaf != null) {
            Distribution.kill(karaf);
        }
    }

    @Test
    public void onlyJson503ThenReadyFromTheFirstSecondAndEverySocketOnLoopback() throws Exception {
        Path home = Distribution.unpack("readiness");
        long start = System.nanoTime();
        karaf = Distribution.launch(home);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
        Map<String, Map<Integer, Integer>> counts = new LinkedHashMap<>();
        PATHS.forEach(p -> counts.put(p, new TreeMap<>()));
        List<String> failures = new ArrayList<>();
        int refused = 0;
        long firstAnswer = -1;
        long ready = -1;
        long deadline = start + Distribution.START_TIMEOUT.toNanos();
        for (long tick = System.nanoTime(); ready < 0 || System.nanoTime() - ready < AFTER_READY.toNanos(); tick += POLL.toNanos()) {
            assertTrue("the platform exited: see " + home.resolve("console.log"), karaf.isAlive());
            assertTrue("not ready within " + Distribution.START_TIMEOUT.toSeconds() + " s: " + counts, System.nanoTime() < deadline);
            for (String path : PATHS) {
                HttpResponse<String> r;
                try {
                    r = http.send(HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    if (firstAnswer >= 0) {
                        failures.add(seconds(start) + " " + path + ": no answer after the first one: " + e);
                    }
                    refused++;
                    continue; // Jetty is not listening yet
                }
                long now = System.nanoTime();
                if (firstAnswer < 0) {
                    firstAnswer = now;
                }
                int status = r.statusCode();
                counts.get(path).merge(status, 1, Integer::sum);
                String problem = check(path, r, ready >= 0);
                if (problem != null) {
                    failures.add(seconds(start) + " " + path + ": " + problem);
                }
                if (path.equals("health/ready") && status == 200 && ready < 0) {
                    ready = now;
                }
            }
            long sleep = tick + POLL.toNanos() - System.nanoTime();
            if (sleep > 0) {
                LockSupport.parkNanos(sleep);
            }
        }
        System.out.printf(Locale.ROOT, "ReadinessIT: first answer %.1f s, ready %.1f s after the launch; %d polls refused before Jetty"
                + " listened; answers by status %s%n", (firstAnswer - start) / 1e9, (ready - start) / 1e9, refused, counts);
        assertTrue(String.join("\n", failures), failures.isEmpty());
        assertTrue("the start was watched before it was ready: " + counts, counts.get("health/ready").getOrDefault(503, 0) > 0);

        Map<Integer, String> listening = listening(Distribution.jvm(karaf).pid());
        System.out.println("ReadinessIT: the platform's JVM listens on " + listening);
        int ssh = port(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort");
        assertTrue("HTTP listens: " + listening, listening.containsKey(8181));
        assertTrue("SSH listens on " + ssh + ": " + listening, listening.containsKey(ssh));
        listening.forEach((port, address) -> assertTrue("port " + port + " listens on " + address + ", not on loopback only",
                LOOPBACK.contains(address)));
    }

    /** {@code AIFLOW_BIND_ADDRESS=0.0.0.0} (read by bin/setenv: -Daiflow.bind.address) opens HTTP, SSH and JMX on every interface. */
    @Test
    public void theDocumentedSettingOpensHttpSshAndJmx() throws Exception {
        Path home = Distribution.unpack("readiness-open");
        karaf = Distribution.launch(home, "AIFLOW_BIND_ADDRESS", "0.0.0.0");
        Distribution.awaitReady(karaf, home, AiflowClient.connect(Distribution.API));
        Map<Integer, String> listening = listening(Distribution.jvm(karaf).pid());
        System.out.println("ReadinessIT: with AIFLOW_BIND_ADDRESS=0.0.0.0 the platform's JVM listens on " + listening);
        for (int port : List.of(8181, port(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort"),
                port(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort"),
                port(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort"))) {
            assertEquals("port " + port + ": " + listening, ANY, listening.get(port));
        }
    }

    /** What is wrong with an answer, or null. */
    private static String check(String path, HttpResponse<String> r, boolean ready) {
        int status = r.statusCode();
        String type = r.headers().firstValue("Content-Type").orElse("");
        String body = r.body();
        String shown = status + " " + type + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        // errors are RFC 9457 problems
        if (!type.startsWith(status >= 400 ? "application/problem+json" : "application/json") || !body.startsWith("{")) {
            return "not JSON: " + shown;
        }
        if (status == 503 && !body.contains("\"code\":\"unavailable\"")) {
            return "a 503 without the unavailable problem: " + shown;
        }
        switch (path) {
            case "health":
                return status == 200 && body.equals("{\"status\":\"UP\"}") ? null : "alive must be 200 UP: " + shown;
            case "health/ready":
                if (status == 503) {
                    return ready ? "503 after it was ready: " + shown : body.contains("\"missing\":[\"") ? null : "no missing list: " + shown;
                }
                return status == 200 && body.startsWith("{\"status\":\"READY\"") ? null : "ready must be 503 or 200 READY: " + shown;
            default:
                if (status == 503) {
                    return ready ? "503 after the platform was ready: " + shown : null;
                }
                // 401: the resource is there and wants credentials (authentication)
                return status == 200 || status == 401 ? null : "expected 503 while starting, then 200 or 401: " + shown;
        }
    }

    private static String seconds(long start) {
        return String.format(Locale.ROOT, "%.2f s", (System.nanoTime() - start) / 1e9);
    }

    private static final String V4_LOOPBACK = "127.0.0.1";
    private static final Set<String> LOOPBACK = Set.of(V4_LOOPBACK, "::1");
    private static final String ANY = "*";

    /**
     * Port to address (127.0.0.1, ::1, * for every interface, or another address) of every TCP
     * socket the process listens on: its socket inodes from /proc/PID/fd, their LISTEN entries in
     * /proc/net/tcp and tcp6 (an IPv4-mapped IPv6 address counts as the IPv4 one).
     */
    static Map<Integer, String> listening(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        Map<Integer, String> ports = new TreeMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (!f[3].equals("0A") || !inodes.contains(f[9])) {
                    continue; // not LISTEN, or another process's
                }
                String[] local = f[1].split(":");
                ports.merge(Integer.parseInt(local[1], 16), address(local[0]), (a, b) -> a.equals(b) ? a : a + "," + b);
            }
        }
        return ports;
    }

    /** An address of /proc/net/tcp(6): hex, each 32-bit word in host (little-endian) order. */
    static String address(String hex) {
        if (hex.matches("0+")) {
            return ANY;
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < hex.length() / 8; word++) {
            for (int i = 0; i < 4; i++) {
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(word * 8 + (3 - i) * 2, word * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        if (bytes.length == 16) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= bytes[i] == 0;
            }
            mapped &= bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
            if (mapped) {
                bytes = new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
            }
        }
        try {
            String a = java.net.InetAddress.getByAddress(bytes).getHostAddress();
            return a.equals("0:0:0:0:0:0:0:1") ? "::1" : a.equals("0.0.0.0") ? ANY : a;
        } catch (java.net.UnknownHostException e) {
            return hex;
        }
    }

    /** A numeric property of a Karaf .cfg file. */
    private static int port(Path cfg, String key) throws IOException {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(key) + "\\s*=\\s*(\\d+)").matcher(Files.readString(cfg));
        assertTrue(key + " in " + cfg, m.find());
        assertFalse(key + " twice in " + cfg, m.find());
        m.reset();
        m.find();
        return Integer.parseInt(m.group(1));
    }
}
