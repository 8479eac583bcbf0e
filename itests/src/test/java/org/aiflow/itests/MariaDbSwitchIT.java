package org.aiflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.aiflow.client.AiflowClient;
import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

/**
 * Switches a running distribution from H2 to MariaDB with the console commands of
 * docs/operations.md, read from that file (only the host, database, user and password are
 * replaced): first with a wrong password (the API must answer 503 JSON naming the storage), then
 * corrected (recovers without a restart; an event published then is in MariaDB and, after switching
 * back, not in H2). Skipped when MariaDB is unreachable, failed then when {@code CI} is set.
 */
public class MariaDbSwitchIT {
    private static final String SERVER = MariaDb.SERVER;
    private static final String USER = MariaDb.USER;
    private static final String PASSWORD = MariaDb.PASSWORD;
    private static final String DATABASE = "aiflow_switch_it";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Process karaf;

    @After
    public void stop() {
        if (karaf != null) {
            Distribution.kill(karaf);
        }
    }

    @Test
    public void theDocumentedCommandsSwitchTheLiveDataSourceAndAWrongOneAnswers503() throws Exception {
        Assume.assumeTrue("MariaDB is reachable (required when CI is set)", MariaDb.available());
        MariaDb.create(DATABASE);
        Path home = Distribution.unpack("mariadb-switch");
        karaf = Distribution.start(home, Distribution.client(5, Duration.ofSeconds(30)));

        console(home, documentedCommands("wrong-password"));
        Poll.until(WAIT, "the API answers 503 JSON naming the storage", () -> {
            HttpResponse<String> r = get("events?limit=1");
            return r.statusCode() == 503 && r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                    && r.body().contains("\"code\":\"unavailable\"") && r.body().contains("storage unavailable");
        });

        console(home, documentedCommands(PASSWORD));
        Poll.until(WAIT, "the API answers again on MariaDB", () -> get("events?limit=1").statusCode() == 200);
        String key = "switched-" + System.nanoTime();
        Poll.until(WAIT, "an event is published", () -> post("events", "{\"namespace\":\"switch\",\"key\":\"" + key + "\",\"value\":\"v\"}") == 201);
        assertEquals("the event is in MariaDB", 1, countInMariaDb(key));
        // issue 17: the console's backup is the embedded store's; on MariaDB it says what to use, exit 1, and writes nothing
        Path zip = home.resolve("backup.zip");
        String refused = consoleFailing(home, "aiflow:backup " + zip);
        assertTrue(refused, refused.contains("Error [unavailable]: backup is not supported for backend MariaDB: use mariadb-dump --single-transaction"));
        assertFalse(Files.exists(zip));

        console(home, List.of("config:edit org.aiflow.storage.jdbc", "config:property-set dataSource.target \"(dataSourceName=aiflow-h2)\"",
                "config:update"));
        Poll.until(WAIT, "the API answers on H2 again", () -> {
            HttpResponse<String> r = get("events/count?key=" + key);
            return r.statusCode() == 200 && r.body().contains("\"count\":0");
        });
    }

    /** The console block of docs/operations.md's MariaDB section, pointed at the test database. */
    static List<String> documentedCommands(String password) throws IOException {
        String doc = Files.readString(Paths.get("..", "docs", "operations.md"), StandardCharsets.UTF_8);
        String section = doc.substring(doc.indexOf("## MariaDB"));
        int start = section.indexOf("```\nfeature:install");
        String block = section.substring(start + 4, section.indexOf("```", start + 4));
        String host = URI.create(SERVER.substring("jdbc:".length())).getAuthority();
        return block.lines().map(String::strip).filter(l -> !l.isEmpty())
                .map(l -> l.replace("db-host:3306/aiflow", host + "/" + DATABASE)
                        .replace("property-set user aiflow", "property-set user " + USER)
                        .replace("property-set password secret", "property-set password \"" + password + "\""))
                .toList();
    }

    /** Runs commands through {@code bin/client} in batch mode (its exec mode prints nothing in Karaf 4.4.10). */
    private static void console(Path home, List<String> commands) throws Exception {
        Process client = new ProcessBuilder(home.resolve("bin/client").toString(), "-u", Distribution.ADMIN, "-p", Distribution.ADMIN_PASSWORD, "-r", "30", "-b")
                .redirectErrorStream(true).start();
        client.getOutputStream().write((String.join("\n", commands) + "\n").getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().close();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("bin/client ended", client.waitFor(60, TimeUnit.SECONDS));
        System.out.println("console " + commands + ":\n" + output);
        assertEquals("bin/client exit code for " + commands + ": " + output, 0, client.exitValue());
        assertTrue("console errors for " + commands + ": " + output, !output.contains("Error") && !output.contains("not found"));
    }

    /** Runs one command through {@code bin/client -b} that must fail: exit status 1; returns its output. */
    private static String consoleFailing(Path home, String command) throws Exception {
        Process client = new ProcessBuilder(home.resolve("bin/client").toString(), "-u", Distribution.ADMIN, "-p", Distribution.ADMIN_PASSWORD, "-r", "30", "-b")
                .redirectErrorStream(true).start();
        client.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().close();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("bin/client ended", client.waitFor(60, TimeUnit.SECONDS));
        System.out.println("console " + command + " -> exit " + client.exitValue() + ": " + output.strip());
        assertEquals(command + ": " + output, 1, client.exitValue());
        return output;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(Distribution.API + "/" + path)).header("Authorization", Distribution.adminAuthorization()).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int post(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(Distribution.API + "/" + path)).header("Authorization", Distribution.adminAuthorization())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static int countInMariaDb(String key) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + DATABASE, USER, PASSWORD);
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM aiflow_events WHERE event_key = ?")) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }
}
