package org.aiflow.itests;

import static org.junit.Assert.assertEquals;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.aiflow.client.AiflowClient;
import org.aiflow.client.Readiness;

/**
 * The built distribution as its own process, as users run it: unpack, {@code bin/karaf server},
 * kill. For tests about what survives a crash and what runs outside the OSGi container.
 */
final class Distribution {
    static final URI API = URI.create("http://localhost:8181/aiflow/v1");
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** The admin user every itest distribution gets at its first start (AIFLOW_ADMIN_PASSWORD, as docs/security.md tells scripts). */
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "itest-admin-pw";

    /** A client signed in as the admin. */
    static AiflowClient adminClient() {
        return AiflowClient.connect(API, ADMIN, ADMIN_PASSWORD);
    }

    /** A client signed in as the admin that tries each call {@code attempts} times. */
    static AiflowClient client(int attempts, Duration timeout) {
        return AiflowClient.connect(API, attempts, timeout, org.aiflow.client.Credentials.basic(ADMIN, ADMIN_PASSWORD));
    }

    /** The admin's {@code Authorization} header. */
    static String adminAuthorization() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((ADMIN + ":" + ADMIN_PASSWORD)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private Distribution() {
    }

    /** A fresh copy of the distribution under {@code target/<name>}. */
    static Path unpack(String name) throws Exception {
        Path dir = Paths.get("target", name).toAbsolutePath();
        if (Files.exists(dir)) {
            run(new ProcessBuilder("rm", "-rf", dir.toString()));
        }
        Files.createDirectories(dir);
        run(new ProcessBuilder("tar", "xzf", System.getProperty("aiflow.distribution"), "-C", dir.toString(), "--strip-components=1"));
        return dir;
    }

    static void run(ProcessBuilder command) throws Exception {
        Process p = command.inheritIO().start();
        assertEquals(String.join(" ", command.command()), 0, p.waitFor());
    }

    /** Starts {@code bin/karaf server} and waits until {@code /aiflow/v1/health/ready} answers 200. */
    static Process start(Path home, AiflowClient client) throws Exception {
        Process process = launch(home);
        awaitReady(process, home, client);
        return process;
    }

    /** Starts {@code bin/karaf server} (output in {@code console.log}) without waiting; {@code environment} adds variables. */
    static Process launch(Path home, String... environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // the admin a script sets before the first start (docs/security.md)
        builder.environment().put("AIFLOW_ADMIN_PASSWORD", ADMIN_PASSWORD);
        for (int i = 0; i + 1 < environment.length; i += 2) {
            builder.environment().put(environment[i], environment[i + 1]);
        }
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(new File(home.toFile(), "console.log")));
        return builder.start();
    }

    /**
     * Polls {@code GET /aiflow/v1/health/ready} every 50 ms until it answers 200 (ready: storage,
     * notification, metadata, scheduler and the whole REST application are up), failing at once if
     * the platform exits and after {@link #START_TIMEOUT} with the last answer's message.
     */
    static void awaitReady(Process process, Path home, AiflowClient client) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "nothing answered";
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("the platform exited with " + process.exitValue() + " before it was ready: see "
                        + home.resolve("console.log") + " and " + home.resolve("data/log/karaf.log"));
            }
            try {
                Readiness r = client.readiness();
                if (r.ready()) {
                    return;
                }
                last = r.message();
            } catch (RuntimeException e) {
                last = e.getMessage(); // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not ready within " + START_TIMEOUT.toSeconds() + " s: " + last);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    /** The process id of the Karaf JVM below the launcher. */
    static ProcessHandle jvm(Process launcher) {
        return launcher.descendants()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("org.apache.karaf.main.Main")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("no Karaf JVM below " + launcher.pid()));
    }

    /** SIGKILL to the JVM (and the launcher script) and everything they started: no shutdown hook, no flush. */
    static void kill(Process launcher) {
        launcher.descendants().forEach(ProcessHandle::destroyForcibly);
        launcher.destroyForcibly();
        try {
            launcher.onExit().get(30, TimeUnit.SECONDS);
            for (ProcessHandle p : launcher.descendants().toList()) {
                p.onExit().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the platform did not die", e);
        }
    }

    /**
     * SIGKILL to the platform's JVM and launcher only: the jobs it started (processes, the local Flink
     * cluster) keep running, as after a real crash.
     */
    static void killPlatformOnly(Process launcher) throws Exception {
        List<ProcessHandle> jvms = launcher.descendants()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("org.apache.karaf.main.Main")).orElse(false)).toList();
        if (jvms.isEmpty()) {
            throw new IllegalStateException("no Karaf JVM below " + launcher.pid());
        }
        jvms.forEach(ProcessHandle::destroyForcibly);
        launcher.destroyForcibly();
        for (ProcessHandle p : jvms) {
            p.onExit().get(30, TimeUnit.SECONDS);
        }
        launcher.onExit().get(30, TimeUnit.SECONDS);
    }
}
