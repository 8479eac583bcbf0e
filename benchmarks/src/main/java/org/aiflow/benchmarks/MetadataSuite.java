package org.aiflow.benchmarks;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.IntStream;

import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The metadata service through REST against the real distribution ({@link Platform}), beside raw
 * JDBC on a database of the same kind, each by {@code AIFLOW_BENCH_CLIENTS} (8) closed-loop
 * threads: model reads vs unique-key SELECTs; model version registrations (a transaction with an
 * outbox event each) vs autocommit single-row INSERTs; metric logging in batches of 1,000 points vs
 * 1,000-row INSERTs, one transaction each.
 */
final class MetadataSuite {
    static final String NAMESPACE = "bench";
    private static final int MODELS = 100;
    private static final int BATCH = 1000;
    private static final String METRIC = "quality";

    private final TestDatabase db;
    private Platform platform;
    /** One keep-alive connection per client thread, for the measured load. */
    private LoadConnection[] connections;
    private final String backend;
    private final int seconds;
    private final int warmup;
    private final int clients = Integer.parseInt(System.getenv().getOrDefault("AIFLOW_BENCH_CLIENTS", "8"));
    private final Path distribution = Path.of(System.getProperty("aiflow.bench.distribution",
            "karaf-assembly/target/org.aiflow.assembly-0.1.0-SNAPSHOT.tar.gz"));

    MetadataSuite(TestDatabase db, String backend, int seconds) {
        this.db = db;
        this.backend = backend;
        this.seconds = seconds;
        // a freshly started platform needs tens of seconds of load before the JIT has compiled its REST path
        this.warmup = Math.max(10, Math.min(seconds, 20));
        if (clients < 1 || clients > MODELS) {
            throw new IllegalArgumentException("AIFLOW_BENCH_CLIENTS must be 1-" + MODELS);
        }
    }

    /** The value of the i-th point of a batch, the same in the REST body and the raw rows. */
    static double metricValue(int i) {
        return (i % 100) / 100.0;
    }

    void run() throws Exception {
        long begin = System.nanoTime();
        Results.progress(clients + " client threads; distribution " + distribution + "; " + loadAverage());
        try (HikariDataSource autoCommit = db.newAutoCommitPool(); Platform platform = Platform.unpack(distribution, backend)) {
            this.platform = platform;
            RawMetadata raw = new RawMetadata(autoCommit, db.dataSource());
            RestClient rest = new RestClient(platform.api());
            platform.start(rest);
            setUp(rest, raw);
            connections = new LoadConnection[clients];
            try {
                for (int t = 0; t < clients; t++) {
                    connections[t] = new LoadConnection(platform.api());
                }
                read(raw);
                write(raw);
                metricBatches(raw);
            } finally {
                for (LoadConnection c : connections) {
                    if (c != null) {
                        c.close();
                    }
                }
            }
            platform.checkBackend(NAMESPACE, MODELS);
            platform.succeeded();
        }
        Results.progress(String.format(Locale.ROOT, "metadata suite done in %.0f s; %s", (System.nanoTime() - begin) / 1e9, loadAverage()));
    }

    /** Whether something else competed for the cores: the platform, the clients and the raw baseline share them. */
    private static String loadAverage() {
        try {
            return "load average " + Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "load average unknown";
        }
    }

    /** {@value #MODELS} models on both sides (on the platform with a version each) and a MODEL metric on the first. */
    private void setUp(RestClient rest, RawMetadata raw) throws Exception {
        Results.progress("creating " + MODELS + " models");
        for (int i = 0; i < MODELS; i++) {
            rest.send(rest.post("models", "{\"namespace\":\"" + NAMESPACE + "\",\"name\":\"" + name(i) + "\"}"), 201);
            rest.send(versionPost(rest, i), 201);
            raw.createModel(NAMESPACE, name(i));
        }
        rest.send(rest.post("metrics?namespace=" + NAMESPACE,
                "{\"name\":\"" + METRIC + "\",\"kind\":\"MODEL\",\"modelName\":\"" + name(0) + "\"}"), 201);
    }

    private void read(RawMetadata raw) throws Exception {
        byte[][] gets = IntStream.range(0, MODELS).mapToObj(i -> request("GET", "models/" + name(i) + "?namespace=" + NAMESPACE, null))
                .toArray(byte[][]::new);
        String[] expected = IntStream.range(0, MODELS).mapToObj(i -> "\"name\":\"" + name(i) + "\"").toArray(String[]::new);
        int[] next = new int[clients];
        Measured m = measure("GET /models/{name}", 1, t -> {
            int i = model(t, next[t]++);
            if (!connections[t].send(gets[i], 200).contains(expected[i])) {
                throw new IllegalStateException("GET /models/" + name(i) + " answered another model");
            }
            return 1;
        }, t -> raw.readModel(NAMESPACE, name(model(t, next[t]++))));
        Results.print("metadata.read", m.value, m.baseline);
        Results.print("metadata.read.p50", m.latency.percentileMillis(50), m.baselineLatency.percentileMillis(50));
        Results.print("metadata.read.p99", m.latency.percentileMillis(99), m.baselineLatency.percentileMillis(99));
    }

    private void write(RawMetadata raw) throws Exception {
        byte[][] posts = IntStream.range(0, MODELS).mapToObj(i -> request("POST", versionPath(i), versionJson(i))).toArray(byte[][]::new);
        int[] next = new int[clients];
        Measured m = measure("POST /models/{name}/versions", 1, t -> {
            connections[t].send(posts[model(t, next[t]++)], 201);
            return 1;
        }, t -> {
            int i = model(t, next[t]++);
            return raw.insertVersion(i + 1, NAMESPACE, name(i));
        });
        Results.print("metadata.write", m.value, m.baseline);
    }

    private void metricBatches(RawMetadata raw) throws Exception {
        StringBuilder body = new StringBuilder("{\"values\":[");
        for (int i = 0; i < BATCH; i++) {
            body.append(i == 0 ? "" : ",").append("{\"key\":\"auc\",\"value\":").append(metricValue(i))
                    .append(",\"step\":").append(i + 1).append(",\"modelVersion\":1}");
        }
        byte[] post = request("POST", "metrics/" + METRIC + "/values?namespace=" + NAMESPACE, body.append("]}").toString());
        Measured m = measure("POST /metrics/{name}/values, " + BATCH + " points", BATCH, t -> {
            String logged = connections[t].send(post, 200);
            if (!logged.contains("\"logged\":" + BATCH)) {
                throw new IllegalStateException("metric batch answered " + logged);
            }
            return BATCH;
        }, t -> raw.insertMetricValues(1, BATCH));
        Results.print("metadata.metrics.batch", m.value, m.baseline);
    }

    private record Measured(double value, double baseline, Latencies latency, Latencies baselineLatency) {
    }

    /**
     * Warms both up, then runs each closed-loop with {@link #clients} threads for the measure's
     * seconds; also tells the CPU time the platform and this JVM (the HTTP clients; on H2 also the
     * baseline database's background work) spent per request: they share the machine's cores.
     */
    private Measured measure(String what, int itemsPerRequest, Results.Operation rest, Results.Operation raw) throws Exception {
        Results.progress(what + ": warming up " + warmup + " s");
        Results.throughput(clients, warmup, rest);
        Results.throughput(clients, 2, raw);
        Results.progress(what + ": measuring");
        Latencies latency = new Latencies(clients);
        long begin = System.nanoTime();
        Duration platformCpu = platform.cpuTime();
        long[] platformTicks = platform.userAndKernelTicks();
        Duration clientCpu = ownCpuTime();
        double value = Results.throughput(clients, seconds, latency.timing(rest));
        long[] ticksAfter = platform.userAndKernelTicks();
        long user = ticksAfter[0] - platformTicks[0];
        long kernel = ticksAfter[1] - platformTicks[1];
        String kernelShare = user + kernel == 0 ? "" : String.format(Locale.ROOT, " (%.0f%% of it in the kernel)", 100.0 * kernel / (user + kernel));
        double requests = value * (System.nanoTime() - begin) / 1e9 / itemsPerRequest;
        double platformMs = platform.cpuTime().minus(platformCpu).toNanos() / 1e6 / requests;
        double benchMs = ownCpuTime().minus(clientCpu).toNanos() / 1e6 / requests;
        Latencies baselineLatency = new Latencies(clients);
        double baseline = Results.throughput(clients, seconds, baselineLatency.timing(raw));
        Results.progress(String.format(Locale.ROOT, "%s: p50 %.2f ms, p99 %.2f ms (raw JDBC: p50 %.2f ms, p99 %.2f ms); "
                + "CPU per request: platform %.3f ms%s, benchmark JVM %.3f ms", what, latency.percentileMillis(50), latency.percentileMillis(99),
                baselineLatency.percentileMillis(50), baselineLatency.percentileMillis(99), platformMs, kernelShare, benchMs));
        return new Measured(value, baseline, latency, baselineLatency);
    }

    private static Duration ownCpuTime() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private HttpRequest versionPost(RestClient rest, int model) {
        return rest.post(versionPath(model), versionJson(model));
    }

    private static String versionPath(int model) {
        return "models/" + name(model) + "/versions?namespace=" + NAMESPACE;
    }

    private static String versionJson(int model) {
        return "{\"uri\":\"file:///bench/" + name(model) + "\",\"type\":\"bench\"}";
    }

    /** A request of the load, to a path relative to the API root. */
    private byte[] request(String method, String path, String json) {
        return LoadConnection.request(platform.api(), method, platform.api().getPath() + path, json);
    }

    /** The model a thread's {@code call}-th request goes to: each thread has its own models, so none wait for another's lock. */
    private int model(int thread, int call) {
        return thread + clients * (call % (MODELS / clients));
    }

    private static String name(int model) {
        return String.format(Locale.ROOT, "bench-model-%03d", model);
    }
}
