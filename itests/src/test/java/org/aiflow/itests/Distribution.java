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

import org.aiflow.api.metadata.ListQuery;
import org.aiflow.client.AiflowClient;

/**
 * The built distribution as its own process, as users run it: unpack, {@code bin/karaf server},
 * kill. For tests about what survives a crash and what runs outside the OSGi container.
 */
final class Distribution {
    static final URI API = URI.create("http://localhost:8181/aiflow/v1");
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);

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

    /** Starts {@code bin/karaf server} and waits until the REST API answers. */
    static Process start(Path home, AiflowClient client) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(new File(home.toFile(), "console.log")));
        Process process = builder.start();
        Poll.until(START_TIMEOUT, "the platform's REST API answers", () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the platform exited: see " + home.resolve("console.log"));
            }
            // the whiteboard republishes the REST application as each resource arrives: wait for the
            // last ones (scheduler, metadata), not just the events API, before putting load on it
            client.latestVersion();
            client.scheduler().listWorkflows();
            client.metadata().listModels(null, ListQuery.first(1));
            return answersItself("models/ready-probe/versions"); // the jobs register model versions
        });
        return process;
    }

    /** Whether the resource at {@code path} answers itself (JSON), not CXF's "No service was found" or "no such resource". */
    private static boolean answersItself(String path) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(API + "/" + path)).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return r.headers().firstValue("Content-Type").orElse("").startsWith("application/json") && !r.body().contains("no such resource");
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
