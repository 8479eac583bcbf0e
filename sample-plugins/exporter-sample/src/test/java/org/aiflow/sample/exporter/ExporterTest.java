package org.aiflow.sample.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService;
import org.aiflow.notification.EventLog;
import org.aiflow.sample.exporter.Exporter.Settings;
import org.aiflow.sample.exporter.Exporter.StartAt;
import org.aiflow.storage.jdbc.JdbcStorage;
import org.aiflow.storage.jdbc.TestDatabases;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exporter against the real event log ({@code org.aiflow.notification.EventLog}) on an H2 database. */
class ExporterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern VERSION = Pattern.compile("^\\{\"version\":(\\d+),", Pattern.MULTILINE);
    private static final Settings ML_EVENTS = new Settings("ml-export", List.of("ml"), StartAt.EARLIEST, 2, 200, 50);

    @TempDir
    Path dir;
    private TestDatabase db;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void database() {
        db = TestDatabases.h2();
    }

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
        db.close();
    }

    /** The event log of one run of the platform: its own pool on the shared database. */
    private EventLog platform() throws Exception {
        HikariDataSource pool = db.newPool();
        toClose.add(pool);
        EventLog log = new EventLog(JdbcStorage.open(pool).eventStore(), EventLog.Settings.defaults());
        toClose.add(log);
        return log;
    }

    private Exporter start(NotificationService notifications, Settings settings, Sink sink) {
        Exporter exporter = new Exporter(notifications, settings, sink);
        toClose.add(exporter);
        exporter.start();
        return exporter;
    }

    private static void publish(NotificationService log, String namespace, String... values) {
        for (String v : values) {
            log.publish(new EventDraft(namespace, "model", v, "MODEL_UPDATED", "test", Map.of(), null));
        }
    }

    private static List<Long> versionsIn(String lines) {
        List<Long> versions = new ArrayList<>();
        Matcher m = VERSION.matcher(lines);
        while (m.find()) {
            versions.add(Long.parseLong(m.group(1)));
        }
        return versions;
    }

    private static List<Long> fileVersions(Path file) throws IOException {
        return Files.exists(file) ? versionsIn(Files.readString(file)) : List.of();
    }

    private static List<Long> versionsOf(NotificationService log, String namespace) {
        return log.list(new EventQuery(List.of(namespace), null, null, null, 0, null, null, null, 1000)).stream().map(Event::version).toList();
    }

    @Test
    void resumesAfterARestartFromTheNamedSubscriptionWithNoEventMissedOrDoubled() throws Exception {
        Path file = dir.resolve("export/events.jsonl");
        EventLog first = platform();
        publish(first, "ml", "v1");
        publish(first, "other", "x");
        publish(first, "ml", "v2", "v3"); // with a batch size of 2: more than one page

        Exporter exporter = start(first, ML_EVENTS, new FileSink(file));
        await().atMost(WAIT).until(() -> fileVersions(file).size() == 3);
        publish(first, "ml", "v4"); // a live one wakes it
        await().atMost(WAIT).until(() -> fileVersions(file).size() == 4);
        await().atMost(WAIT).until(() -> first.subscription("ml-export").cursor() == first.latestVersion());

        // the platform stops; events come in while the exporter is down (another node, or the next run before it starts)
        exporter.close();
        first.close();
        EventLog second = platform();
        publish(second, "ml", "v5");
        publish(second, "other", "y");
        publish(second, "ml", "v6", "v7");

        start(second, ML_EVENTS, new FileSink(file));
        await().atMost(WAIT).until(() -> fileVersions(file).size() >= 7);
        await().atMost(WAIT).until(() -> second.subscription("ml-export").cursor() == second.latestVersion()); // past "other" too
        assertThat(fileVersions(file)).isEqualTo(versionsOf(second, "ml")).hasSize(7);
        assertThat(Files.readAllLines(file)).extracting(l -> new ObjectMapper().readTree(l).get("value").asText())
                .containsExactly("v1", "v2", "v3", "v4", "v5", "v6", "v7");
    }

    @Test
    void aCrashBetweenWritingAndAcknowledgingWritesNothingTwiceToTheFile() throws Exception {
        Path file = dir.resolve("events.jsonl");
        EventLog first = platform();
        publish(first, "ml", "v1", "v2", "v3");
        // the platform dies after the file has the events, before any acknowledgement is stored
        AtomicInteger acknowledgements = new AtomicInteger();
        NotificationService dying = failingAcknowledgements(first, acknowledgements);
        // one page: with acknowledgements failing, the cursor never gets past the first page
        Exporter exporter = start(dying, new Settings("ml-export", List.of("ml"), StartAt.EARLIEST, 100, 200, 50), new FileSink(file));
        await().atMost(WAIT).until(() -> fileVersions(file).size() == 3 && exporter.failures() >= 2);
        exporter.close();
        assertThat(first.subscription("ml-export").cursor()).isZero();
        assertThat(acknowledgements.get()).isGreaterThanOrEqualTo(2);
        // ... and a line was torn when it died
        Files.writeString(file, "{\"version\":999,\"namespace\":\"ml\",\"ke", java.nio.file.StandardOpenOption.APPEND);

        first.close();
        EventLog second = platform();
        publish(second, "ml", "v4");
        start(second, ML_EVENTS, new FileSink(file));
        await().atMost(WAIT).until(() -> second.subscription("ml-export").cursor() == second.latestVersion());
        assertThat(fileVersions(file)).isEqualTo(versionsOf(second, "ml")).hasSize(4);
        assertThat(Files.readString(file)).doesNotContain("999").endsWith("\n");
    }

    /** The log, but every acknowledgement throws as if the database went away. */
    private static NotificationService failingAcknowledgements(NotificationService log, AtomicInteger calls) {
        return (NotificationService) Proxy.newProxyInstance(NotificationService.class.getClassLoader(), new Class<?>[] {NotificationService.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("acknowledge")) {
                        calls.incrementAndGet();
                        throw new IllegalStateException("database gone");
                    }
                    try {
                        return method.invoke(log, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void theWebhookGetsEveryEventAcrossFailedCallsAndARestart() throws Exception {
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        List<String> headers = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = calls.incrementAndGet() == 1 ? 503 : 204; // the receiver is down at first
            if (status == 204) {
                bodies.add(body);
                headers.add(exchange.getRequestHeaders().getFirst("Authorization") + " " + exchange.getRequestHeaders().getFirst("Content-Type")
                        + " " + exchange.getRequestHeaders().getFirst(WebhookSink.FIRST_VERSION)
                        + "-" + exchange.getRequestHeaders().getFirst(WebhookSink.LAST_VERSION));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        toClose.add(() -> server.stop(0));
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");

        EventLog first = platform();
        publish(first, "ml", "v1", "v2");
        publish(first, "other", "x");
        Exporter exporter = start(first, ML_EVENTS, new WebhookSink(url, "Bearer s3cret", Duration.ofSeconds(5)));
        await().atMost(WAIT).until(() -> versionsIn(String.join("", bodies)).size() == 2);
        assertThat(exporter.failures()).isEqualTo(1);
        assertThat(exporter.lastError()).contains("answered 503").doesNotContain("s3cret");
        assertThat(headers.get(0)).isEqualTo("Bearer s3cret application/x-ndjson; charset=utf-8 1-2");
        await().atMost(WAIT).until(() -> first.subscription("ml-export").cursor() == first.latestVersion());
        exporter.close();
        first.close();

        EventLog second = platform();
        publish(second, "ml", "v3");
        start(second, ML_EVENTS, new WebhookSink(url, "Bearer s3cret", Duration.ofSeconds(5)));
        await().atMost(WAIT).until(() -> versionsIn(String.join("", bodies)).size() == 3);
        assertThat(versionsIn(String.join("", bodies))).isEqualTo(versionsOf(second, "ml"));
    }

    @Test
    void aNewSubscriptionStartsAtTheLatestEventByDefault() throws Exception {
        Path file = dir.resolve("events.jsonl");
        EventLog log = platform();
        publish(log, "ml", "old");
        Exporter exporter = start(log, new Settings("new-only", List.of(), StartAt.LATEST, 100, 200, 50), new FileSink(file));
        await().atMost(WAIT).until(() -> exporter.cursor() == log.latestVersion());
        publish(log, "ml", "new");
        publish(log, "other", "new too"); // no namespaces: all
        await().atMost(WAIT).until(() -> fileVersions(file).size() == 2);
        assertThat(Files.readString(file)).doesNotContain("\"old\"");
    }

    @Test
    void linesAreJsonWithTheEventsFields() throws Exception {
        Event e = new Event(42, "ml", "a \"quoted\"\nkey", "tab\there \u0001 ü \u2028", "T", "", Map.of("b", "2", "a", "1\\"),
                java.time.Instant.parse("2026-03-04T12:00:00.123Z"), "alice");
        String line = JsonLines.lines(List.of(e));
        assertThat(line).startsWith("{\"version\":42,").endsWith("}\n").hasLineCount(1);
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("version").asLong()).isEqualTo(42);
        assertThat(json.get("key").asText()).isEqualTo(e.key());
        assertThat(json.get("value").asText()).isEqualTo(e.value());
        assertThat(json.get("context").get("a").asText()).isEqualTo("1\\");
        assertThat(json.get("createTime").asText()).isEqualTo("2026-03-04T12:00:00.123Z");
        assertThat(json.get("principal").asText()).isEqualTo("alice");
    }

    @Test
    void theFileSinkReadsItsLastVersionBackAndCutsATornLine() throws Exception {
        Path file = dir.resolve("f.jsonl");
        FileSink sink = new FileSink(file);
        assertThat(sink.lastExported()).isZero();
        String big = "x".repeat(20_000); // longer than the chunk read backwards
        sink.export(List.of(new Event(7, "ml", "k", big, "T", "", Map.of(), java.time.Instant.EPOCH),
                new Event(8, "ml", "k", big, "T", "", Map.of(), java.time.Instant.EPOCH)));
        sink.close();
        assertThat(new FileSink(file).lastExported()).isEqualTo(8);
        Files.writeString(file, "{\"version\":9,\"na", java.nio.file.StandardOpenOption.APPEND);
        assertThat(new FileSink(file).lastExported()).isEqualTo(8);
        assertThat(versionsIn(Files.readString(file))).containsExactly(7L, 8L);
        Files.writeString(file, "not json\n");
        assertThat(new FileSink(file).lastExported()).isZero();
    }
}
