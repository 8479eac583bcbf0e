package org.aiflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Publishes events through the REST API at a fixed rate from a thread of its own, as a client would
 * while an operator changes the platform (e.g. switches the storage backend): each event has a key of
 * its own ({@code load-<n>}), is sent once (no retry, so an event found twice was stored twice), and
 * its answer is recorded. Only {@code 201} (acknowledged) and {@code 503} with a JSON problem body
 * (the storage is being switched) are acceptable answers.
 */
final class PublishingLoad implements AutoCloseable {
    private static final Pattern KEY = Pattern.compile("\"key\":\"(load-\\d+)\"");
    private static final Pattern LAST_VERSION = Pattern.compile("\"lastVersion\":(\\d+)");

    private final HttpClient http = HttpClient.newHttpClient();
    private final String namespace;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> answers = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failed = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** Starts publishing {@code perSecond} events a second into {@code namespace}. */
    PublishingLoad(String namespace, int perSecond) {
        this.namespace = namespace;
        this.thread = new Thread(() -> {
            long start = System.nanoTime();
            for (int i = 0; running; i++) {
                long due = start + TimeUnit.SECONDS.toNanos(1) * i / perSecond;
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                String key = "load-" + i;
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(Distribution.API + "/events"))
                            .header("Authorization", Distribution.adminAuthorization()).header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"namespace\":\"" + namespace + "\",\"key\":\"" + key
                                    + "\",\"value\":\"" + i + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
                    String type = r.headers().firstValue("Content-Type").orElse("");
                    String answer = r.statusCode() + (r.statusCode() == 201 || type.contains("json") ? "" : " " + type);
                    answers.merge(answer, 1, Integer::sum);
                    if (r.statusCode() == 201) {
                        acknowledged.add(key);
                    }
                } catch (Exception e) {
                    failed.compareAndSet(null, e);
                    return;
                }
            }
        }, "publishing-load");
        thread.start();
    }

    /** Waits until at least {@code n} events were acknowledged since this load started. */
    void awaitAcknowledged(int n) {
        Poll.until(Duration.ofSeconds(60), n + " events acknowledged under load (answers so far " + answers + ")",
                () -> acknowledged.size() >= n || failed.get() != null);
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(60));
        assertEquals("the publisher failed", null, failed.get());
    }

    /** The answers by status (a status with a media type: a body that was not JSON). */
    Map<String, Integer> answers() {
        return new TreeMap<>(answers);
    }

    /**
     * Checks the answers were only 201 or 503 JSON, that every acknowledged event is stored once, in
     * exactly one of the stores given by their event keys (nothing stored twice, in one or two), and
     * that an event answered 503 was stored nowhere.
     *
     * @return a line for the test's output
     */
    String checkStoredOnce(Map<String, List<String>> keysByStore) {
        assertTrue("answers other than 201 and 503 JSON: " + answers(), answers.keySet().stream().allMatch(a -> a.equals("201")
                || a.equals("503")));
        Map<String, Integer> stored = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        List<String> twice = new ArrayList<>();
        keysByStore.forEach((store, keys) -> {
            stored.put(store, keys.size());
            keys.forEach(k -> {
                if (!seen.add(k)) {
                    twice.add(k);
                }
            });
        });
        assertEquals("events stored twice", List.of(), twice);
        List<String> lost = acknowledged.stream().filter(k -> !seen.contains(k)).sorted().toList();
        assertEquals("acknowledged events in no store", List.of(), lost);
        List<String> refusedYetStored = seen.stream().filter(k -> !acknowledged.contains(k)).sorted().toList();
        assertEquals("events answered 503 but stored", List.of(), refusedYetStored);
        return acknowledged.size() + " events acknowledged of " + answers.values().stream().mapToInt(Integer::intValue).sum()
                + " sent, answers " + answers() + ", stored by backend " + stored;
    }

    /** The keys of this load's events in the platform's current store, read through the REST API page by page. */
    List<String> keysThroughApi() throws Exception {
        List<String> keys = new ArrayList<>();
        for (long after = 0; ; ) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(Distribution.API + "/events?namespace=" + namespace
                    + "&limit=1000&afterVersion=" + after)).header("Authorization", Distribution.adminAuthorization()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(r.body(), 200, r.statusCode());
            Matcher k = KEY.matcher(r.body());
            int before = keys.size();
            while (k.find()) {
                keys.add(k.group(1));
            }
            Matcher last = LAST_VERSION.matcher(r.body());
            if (keys.size() == before || !last.find()) {
                return keys;
            }
            after = Long.parseLong(last.group(1));
        }
    }
}
