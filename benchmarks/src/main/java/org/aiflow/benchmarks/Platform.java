package org.aiflow.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.aiflow.storage.jdbc.TestDatabases;

/**
 * The real distribution, unpacked into a fresh temporary directory and started with
 * {@code bin/start}: on the H2 it ships with, or switched to a fresh MariaDB database
 * ({@value #MARIADB_DATABASE}) by configuration before its first start. Its HTTP, ssh and RMI
 * ports are free ones, so it does not collide with another platform on this machine. Closing
 * stops it ({@code bin/stop}, then a kill after 30 s) and removes its files, unless the run failed.
 */
final class Platform implements AutoCloseable {
    static final String MARIADB_DATABASE = "aiflow_bench";
    private static final long START_TIMEOUT_SECONDS = 180;
    private static final long STOP_TIMEOUT_SECONDS = 30;

    private final Path dir;
    private final Path home;
    private final boolean mariadb;
    private final int httpPort;
    private volatile ProcessHandle process;
    private boolean succeeded;
    private boolean closed;

    private Platform(Path dir, Path home, boolean mariadb, int httpPort) {
        this.dir = dir;
        this.home = home;
        this.mariadb = mariadb;
        this.httpPort = httpPort;
    }

    static Platform unpack(Path distribution, String backend) throws Exception {
        if (!Files.isRegularFile(distribution)) {
            throw new IllegalStateException("no distribution at " + distribution.toAbsolutePath()
                    + ": build it with mvn -B -q install -DskipTests -pl karaf-assembly -am");
        }
        Path dir = Files.createTempDirectory("aiflow-bench-platform-");
        run(dir, dir, 120, "tar", "xzf", distribution.toAbsolutePath().toString());
        Path home;
        try (Stream<Path> entries = Files.list(dir)) {
            home = entries.filter(p -> Files.isExecutable(p.resolve("bin/start"))).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no bin/start in " + distribution));
        }
        Path etc = home.resolve("etc");
        int http = freePort();
        set(etc.resolve("org.ops4j.pax.web.cfg"), "org.osgi.service.http.port", Integer.toString(http));
        set(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", Integer.toString(freePort()));
        set(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort", Integer.toString(freePort()));
        set(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort", Integer.toString(freePort()));
        // the admin a script sets before the first start (docs/security.md); Karaf hashes the password when it reads the file
        Files.writeString(etc.resolve("users.properties"), "\n" + RestClient.ADMIN + " = " + RestClient.ADMIN_PASSWORD
                + ",_g_:admingroup\n", java.nio.file.StandardOpenOption.APPEND);
        boolean mariadb = backend.equals("mariadb");
        if (mariadb) {
            useMariaDb(etc);
        }
        return new Platform(dir, home, mariadb, http);
    }

    /** The documented switch (docs/operations.md), done in the files before the first start. */
    private static void useMariaDb(Path etc) throws IOException, SQLException {
        try (Connection c = DriverManager.getConnection(TestDatabases.MARIADB_SERVER, TestDatabases.MARIADB_USER, TestDatabases.MARIADB_PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + MARIADB_DATABASE);
            s.execute("CREATE DATABASE " + MARIADB_DATABASE + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        Path features = etc.resolve("org.apache.karaf.features.cfg");
        Matcher boot = Pattern.compile("(?m)^([ \\t]*)aiflow/([^,\\s]+),").matcher(Files.readString(features));
        if (!boot.find()) {
            throw new IllegalStateException("no aiflow boot feature in " + features);
        }
        Files.writeString(features, boot.replaceFirst("$1aiflow/$2, aiflow-storage-mariadb/$2,"));
        Files.write(etc.resolve("org.ops4j.datasource-aiflow-mariadb.cfg"), List.of(
                "osgi.jdbc.driver.name = mariadb", "dataSourceName = aiflow-mariadb",
                "url = " + TestDatabases.MARIADB_SERVER + MARIADB_DATABASE, "user = " + TestDatabases.MARIADB_USER,
                "password = " + TestDatabases.MARIADB_PASSWORD, "pool = hikari", "xa = false",
                "hikari.autoCommit = false", "hikari.maximumPoolSize = 20"));
        Files.write(etc.resolve("org.aiflow.storage.jdbc.cfg"), List.of("dataSource.target = (dataSourceName=aiflow-mariadb)"));
    }

    URI api() {
        return URI.create("http://localhost:" + httpPort + "/aiflow/v1/");
    }

    /** Starts it and polls until {@code GET /models} answers 200. */
    void start(RestClient rest) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        long begin = System.nanoTime();
        run(home, dir, 60, home.resolve("bin/start").toString());
        long deadline = begin + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (rest.status("models") != 200) {
            if (process == null) {
                process = pid().flatMap(ProcessHandle::of).orElse(null);
            }
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("the platform exited while starting; see " + home.resolve("data/log/karaf.log"));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("GET /models did not answer 200 within " + START_TIMEOUT_SECONDS + " s");
            }
            Thread.sleep(200);
        }
        process = pid().flatMap(ProcessHandle::of).orElseThrow(() -> new IllegalStateException("no karaf.pid in " + home));
        Results.progress(String.format(Locale.ROOT, "platform (%s) up at %s in %.1f s, pid %d, in %s", mariadb ? "MariaDB " + MARIADB_DATABASE : "H2",
                api(), (System.nanoTime() - begin) / 1e9, process.pid(), home));
    }

    /** CPU time the platform's JVM has used so far. */
    /** The platform's user and kernel CPU time so far, in clock ticks ({@code /proc/<pid>/stat}); zeros where there is no /proc. */
    long[] userAndKernelTicks() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])}; // utime and stime: fields 14 and 15 of the line
        } catch (java.io.IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    Duration cpuTime() {
        return process.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("no CPU time of pid " + process.pid()));
    }

    /** Fails unless the platform's data is in the backend it was meant to use. */
    void checkBackend(String namespace, int atLeastModels) throws SQLException {
        if (!mariadb) {
            if (!Files.isRegularFile(home.resolve("data/aiflow/h2/aiflow.mv.db"))) {
                throw new IllegalStateException("the platform's H2 database file is missing");
            }
            return;
        }
        try (Connection c = DriverManager.getConnection(TestDatabases.MARIADB_SERVER + MARIADB_DATABASE, TestDatabases.MARIADB_USER,
                TestDatabases.MARIADB_PASSWORD); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM aiflow_models WHERE namespace = '" + namespace + "'")) {
            r.next();
            if (r.getLong(1) < atLeastModels) {
                throw new IllegalStateException("MariaDB " + MARIADB_DATABASE + " holds " + r.getLong(1) + " models, not the benchmark's");
            }
        }
    }

    /** The run went well: closing removes the files (and the MariaDB database) instead of keeping them to look at. */
    void succeeded() {
        succeeded = true;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            run(home, dir, STOP_TIMEOUT_SECONDS, home.resolve("bin/stop").toString());
        } catch (Exception e) {
            Results.progress("bin/stop failed: " + e.getMessage());
        }
        Optional<ProcessHandle> karaf = Optional.ofNullable(process).or(() -> pid().flatMap(ProcessHandle::of));
        karaf.ifPresent(p -> {
            try {
                p.onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                Results.progress("the platform did not stop within " + STOP_TIMEOUT_SECONDS + " s: killing pid " + p.pid());
                p.destroyForcibly();
                p.onExit().join();
            }
        });
        if (!succeeded) {
            Results.progress("the run failed: the platform's files stay in " + home + " (data/log/karaf.log)");
            return;
        }
        try {
            if (mariadb) {
                try (Connection c = DriverManager.getConnection(TestDatabases.MARIADB_SERVER, TestDatabases.MARIADB_USER,
                        TestDatabases.MARIADB_PASSWORD); Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + MARIADB_DATABASE);
                }
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        } catch (Exception e) {
            Results.progress("cleaning up " + dir + " failed: " + e);
        }
    }

    private Optional<Long> pid() {
        try {
            Path file = home.resolve("karaf.pid");
            return Files.isRegularFile(file) ? Optional.of(Long.parseLong(Files.readString(file).trim())) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // not completely written yet
        }
    }

    /** Runs a command (JAVA_HOME and the rest of the environment inherited), its output into {@code logs/<name>.log}. */
    private static void run(Path cwd, Path logs, long timeoutSeconds, String... command) throws Exception {
        Path log = logs.resolve(Path.of(command[0]).getFileName() + ".log");
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue()
                    + ": " + Files.readString(log));
        }
    }

    private static void set(Path cfg, String key, String value) throws IOException {
        String text = Files.readString(cfg);
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s*=.*$").matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + key + " in " + cfg);
        }
        Files.writeString(cfg, m.replaceFirst(Matcher.quoteReplacement(key + " = " + value)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
