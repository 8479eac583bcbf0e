package org.aiflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.aiflow.api.event.EventDraft;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.client.AiflowClient;
import org.aiflow.client.Credentials;
import org.junit.After;
import org.junit.Test;

/**
 * Issue 16, item 1: the platform installed into an unmodified Apache Karaf, as docs/operations.md
 * ("Install into your own Karaf") tells users. The stock distribution {@code apache-karaf-<karaf.version>.tar.gz}
 * from Maven Central (unpacked by the build) gets only free ports, the local Maven repository and a console
 * user; {@code bin/start}; then {@code feature:repo-add} + {@code feature:install aiflow} through
 * {@code bin/client}. Checked: the command succeeds, the REST API gets ready, the sample workflow's
 * process task and a Flink batch job on the local cluster (its libraries from the Maven repository) end
 * SUCCESS, every configuration the features bring exists (and one the user wrote first is kept), and
 * {@code data/log/karaf.log} has no ERROR line. One container start.
 */
public class StockKarafIT {
    private static final String USER = "karaf";
    private static final String PASSWORD = "stock-karaf-pw";
    private static final String VERSION = System.getProperty("aiflow.version", "0.1.0-SNAPSHOT");
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Pattern ERROR_LINE = Pattern.compile("\\|\\s*ERROR\\s*\\|");

    private Path home;
    private boolean started;

    @After
    public void stop() throws Exception {
        if (!started) {
            return;
        }
        Optional<ProcessHandle> jvm = karafJvm();
        ProcessBuilder stop = new ProcessBuilder(home.resolve("bin/stop").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        stop.environment().put("JAVA_HOME", System.getProperty("java.home"));
        stop.start().waitFor(30, TimeUnit.SECONDS);
        if (jvm.isPresent()) {
            try {
                jvm.get().onExit().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                jvm.get().descendants().forEach(ProcessHandle::destroyForcibly);
                jvm.get().destroyForcibly();
            }
        }
        // the local Flink cluster ends with a graceful stop; after a forced one, end it by its pid file
        localClusterPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    public void featureInstallAiflowIntoAStockKarafWorksFirstTime() throws Exception {
        try {
            installAndUse();
        } catch (ConsoleTimeout e) {
            // seen once in about 20 runs (2026-12-07): feature:install hung for good on a lock-order deadlock between
            // pax-web 8's ServerModel, its whiteboard extender and Aries JAX-RS whiteboard 2.0.2's Registry (threads
            // features, CM event for org.apache.aries.jax.rs.whiteboard.default, paxweb-config), none in our bundles;
            // a fresh stock Karaf then installs fine. One retry, said in the output, instead of a CI run that hangs.
            System.out.printf(Locale.ROOT, "# %s: retrying once on a fresh stock Karaf%n", e.getMessage());
            stop();
            started = false;
            installAndUse();
        }
    }

    private void installAndUse() throws Exception {
        long began = System.nanoTime();
        home = freshStockKaraf();
        int http = freePort();
        int ssh = freePort();
        Path etc = home.resolve("etc");
        replace(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort = 8101", "sshPort = " + ssh);
        replace(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort = 1099", "rmiRegistryPort = " + freePort());
        replace(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort = 44444", "rmiServerPort = " + freePort());
        // pax-web's configuration comes with the http feature unless the file exists: only the port
        Files.writeString(etc.resolve("org.ops4j.pax.web.cfg"), "org.osgi.service.http.port = " + http + "\n");
        // our artifacts come from the local repository the build installed them into
        Files.writeString(etc.resolve("org.ops4j.pax.url.mvn.cfg"), "\norg.ops4j.pax.url.mvn.localRepository = "
                + localRepository() + "\n", java.nio.file.StandardOpenOption.APPEND);
        // Karaf 4.4 ships no console user: the one users add (admingroup = Karaf's and AI Flow's role admin)
        // (the two lines Karaf's users.properties has commented out, with a password of its own)
        Files.writeString(etc.resolve("users.properties"), "\n" + USER + " = " + PASSWORD + ",_g_:admingroup\n"
                + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n", java.nio.file.StandardOpenOption.APPEND);
        // a configuration the user wrote before the install is not overwritten by the feature's default
        Files.writeString(etc.resolve("org.aiflow.runner.process.cfg"), "stopGraceMillis = 4321\n");

        ProcessBuilder start = new ProcessBuilder(home.resolve("bin/start").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        start.environment().put("JAVA_HOME", System.getProperty("java.home"));
        assertEquals("bin/start", 0, start.start().waitFor());
        started = true;
        String[] reachable = {""};
        Poll.until(WAIT, "the console answers on port " + ssh, () -> {
            Console c = console(ssh, "bundle:list -t 0 | grep -c Active");
            reachable[0] = c.output();
            return c.exitCode() == 0;
        });
        System.out.printf(Locale.ROOT, "# stock Karaf (%s) up after %.1f s%n", Paths.get(System.getProperty("stock.karaf", "?")).getFileName(),
                seconds(began));

        long install = System.nanoTime();
        Console installed = console(ssh, "feature:repo-add mvn:org.aiflow/org.aiflow.features/" + VERSION + "/xml/features",
                "feature:install aiflow");
        System.out.printf(Locale.ROOT, "# feature:repo-add + feature:install aiflow: exit %d after %.1f s%n", installed.exitCode(),
                seconds(install));
        assertFalse(installed.output(), installed.output().contains("Error executing command"));
        assertEquals(installed.output(), 0, installed.exitCode());

        URI api = URI.create("http://localhost:" + http + "/aiflow/v1");
        AiflowClient client = AiflowClient.connect(api, 3, Duration.ofSeconds(30), Credentials.basic(USER, PASSWORD));
        String[] last = {"nothing answered"};
        Poll.until(WAIT, "GET /aiflow/v1/health/ready answers 200", () -> {
            try {
                var r = client.readiness();
                last[0] = r.message();
                return r.ready();
            } catch (RuntimeException e) {
                last[0] = e.getMessage();
                return false;
            }
        });
        System.out.printf(Locale.ROOT, "# REST ready %.1f s after the install%n", seconds(install));

        // the sample workflow, uploaded as a user would: its process task runs on the event 'hello'
        SchedulerService scheduler = client.scheduler();
        Path examples = Paths.get("..", "examples").toAbsolutePath().normalize();
        scheduler.upload("hello-world.json", Files.readString(examples.resolve("workflows/hello-world.json")));
        long hello = scheduler.startExecution("default", "hello-world").id();
        client.publish(new EventDraft("default", "hello", "stock-karaf", null, "stock-karaf-it", null, null));
        TaskExecution greet = awaitEnd(scheduler, "hello-world", hello);
        assertEquals(greet.toString(), TaskStatus.SUCCESS, greet.status());
        String stdout = Files.readString(home.resolve("data/aiflow/logs/task-" + greet.id() + "/stdout.log"));
        assertTrue(stdout, stdout.startsWith("Hello from AI Flow: workflow hello-world, task greet"));
        System.out.printf(Locale.ROOT, "# sample workflow's process task %s after %.1f s%n", greet.status(), seconds(install));

        // a Flink batch job on the local cluster 'local', whose libraries come from the Maven repository
        long flink = System.nanoTime();
        Path jar = localRepository().resolve("org/aiflow/org.aiflow.examples.flink.ml/" + VERSION + "/org.aiflow.examples.flink.ml-"
                + VERSION + ".jar");
        Path models = Files.createDirectories(home.resolve("models"));
        scheduler.upload(new WorkflowDefinition("default", "stock-flink", "a Flink batch job on the local cluster", List.of(
                new TaskDefinition("train", TaskKind.BATCH, new JobSpec("flink", Map.of("jar", jar.toString(),
                        "entryClass", "org.aiflow.examples.ml.TrainJob", "parallelism", 1,
                        "args", List.of("--aiflow-url", "${aiflow.url}", "--aiflow-token", "${aiflow.token}", "--namespace", "default",
                                "--model", "stock-lr", "--model-dir", models.toString(),
                                "--dataset", examples.resolve("flink-ml/data/train.csv").toString(), "--epochs", "20"))), List.of())),
                null, List.of(), null));
        long train = scheduler.startExecution("default", "stock-flink").id();
        TaskExecution trained = awaitEnd(scheduler, "stock-flink", train);
        assertEquals(trained + "\n" + taskLog(trained), TaskStatus.SUCCESS, trained.status());
        try (var files = Files.list(models)) {
            assertEquals("one model file", 1, files.count());
        }
        System.out.printf(Locale.ROOT, "# Flink batch job %s after %.1f s (local cluster started, libraries unpacked)%n", trained.status(),
                seconds(flink));

        // every configuration the features bring, created with its defaults; the one written first kept
        Console configs = console(ssh, "config:list");
        String list = configs.output();
        for (String pid : List.of("org.aiflow.storage.h2", "org.aiflow.storage.jdbc", "org.aiflow.scheduler", "org.aiflow.runner.process",
                "org.apache.aries.jax.rs.whiteboard.default")) {
            assertTrue("configuration " + pid + " exists:\n" + list, Pattern.compile("Pid:\\s+" + Pattern.quote(pid) + "\\s").matcher(list).find());
            assertTrue("etc/" + pid + ".cfg written", Files.exists(etc.resolve(pid + ".cfg")));
        }
        assertTrue("the local Flink cluster's factory configuration:\n" + list,
                Pattern.compile("FactoryPid:\\s+org\\.aiflow\\.runner\\.flink\\.cluster\\s").matcher(list).find() && list.contains("mode = local")
                        && list.contains("localLibArtifact = mvn:org.aiflow/org.aiflow.flink.cluster/" + VERSION + "/zip/lib"));
        assertTrue("dataSource.target is the filter string:\n" + list, list.contains("dataSource.target = (dataSourceName=aiflow-h2)"));
        assertTrue("the user's stopGraceMillis kept:\n" + list, list.contains("stopGraceMillis = 4321"));
        assertTrue(Files.readString(etc.resolve("org.aiflow.runner.process.cfg")).contains("stopGraceMillis = 4321"));

        // no ERROR in the log
        List<String> errors = Files.readAllLines(home.resolve("data/log/karaf.log"), StandardCharsets.UTF_8).stream()
                .filter(l -> ERROR_LINE.matcher(l).find()).collect(Collectors.toList());
        assertTrue("ERROR lines in data/log/karaf.log:\n" + String.join("\n", errors), errors.isEmpty());
        System.out.printf(Locale.ROOT, "# stock Karaf: all checks passed after %.1f s in all%n", seconds(began));
    }

    // ---------------------------------------------------------------- helpers

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static Path localRepository() {
        return Paths.get(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository")).toAbsolutePath();
    }

    /** A pristine copy of the stock distribution the build unpacked (property {@code stock.karaf}) under {@code target/stock-karaf}. */
    private static Path freshStockKaraf() throws Exception {
        Path dist = Paths.get(System.getProperty("stock.karaf", "target/stock-karaf-dist")).toAbsolutePath();
        assertTrue("the stock distribution is unpacked at " + dist + " (maven-dependency-plugin, pre-integration-test)",
                Files.isRegularFile(dist.resolve("bin/karaf")));
        Path dir = Paths.get("target", "stock-karaf").toAbsolutePath();
        Distribution.run(new ProcessBuilder("rm", "-rf", dir.toString()));
        Distribution.run(new ProcessBuilder("cp", "-a", dist.toString(), dir.toString()));
        Distribution.run(new ProcessBuilder("sh", "-c", "chmod +x '" + dir + "'/bin/*"));
        return dir;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void replace(Path file, String from, String to) throws Exception {
        String text = Files.readString(file);
        if (!text.contains(from)) {
            throw new IllegalStateException("no '" + from + "' in " + file);
        }
        Files.writeString(file, text.replace(from, to));
    }

    record Console(int exitCode, String output) {
    }

    /** Commands through {@code bin/client} in batch mode (its exec mode prints nothing in Karaf 4.4.10). */
    private Console console(int port, String... commands) throws Exception {
        ProcessBuilder b = new ProcessBuilder(home.resolve("bin/client").toString(), "-a", Integer.toString(port), "-h", "localhost",
                "-u", USER, "-p", PASSWORD, "-r", "3", "-b").redirectErrorStream(true);
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path in = Files.createTempFile(home, "client-", ".txt");
        Files.writeString(in, String.join("\n", commands) + "\n");
        b.redirectInput(in.toFile());
        Path output = Files.createTempFile(home, "client-", ".out");
        b.redirectOutput(output.toFile());
        Process p = b.start();
        // bounded: reading the stream to its end first would wait for ever on a hung command
        boolean ended = p.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(output, StandardCharsets.UTF_8).replaceAll("\u001B\\[[;\\d]*m", "");
        Files.deleteIfExists(in);
        Files.deleteIfExists(output);
        if (!ended) {
            throw new ConsoleTimeout("bin/client did not end within 3 minutes: " + String.join("; ", commands) + "; output: " + out);
        }
        return new Console(p.exitValue(), out);
    }

    /** A console command that did not end (the Karaf it talks to hung). */
    static final class ConsoleTimeout extends Exception {
        ConsoleTimeout(String message) {
            super(message);
        }
    }

    private static TaskExecution awaitEnd(SchedulerService scheduler, String workflow, long execution) {
        TaskExecution[] last = {null};
        Poll.until(WAIT, "the task of " + workflow + " ends", () -> {
            List<TaskExecution> tasks = scheduler.listTasks(new TaskQuery(workflow, execution, null, 10));
            last[0] = tasks.isEmpty() ? null : tasks.get(0);
            return last[0] != null && last[0].status().isFinal();
        });
        return last[0];
    }

    private String taskLog(TaskExecution task) {
        List<String> logs = new ArrayList<>();
        try (var files = Files.list(home.resolve("data/aiflow/logs/task-" + task.id()))) {
            for (Path f : files.toList()) {
                logs.add("--- " + f.getFileName() + "\n" + Files.readString(f));
            }
        } catch (Exception e) {
            logs.add(e.toString());
        }
        return String.join("\n", logs);
    }

    /** The Karaf JVM of this home (bin/start detaches it). */
    private Optional<ProcessHandle> karafJvm() {
        String marker = "-Dkaraf.home=" + home;
        return ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                .map(a -> List.of(a).contains(marker) && List.of(a).contains("org.apache.karaf.main.Main")).orElse(false)).findFirst();
    }

    private Optional<Long> localClusterPid() {
        Path file = home.resolve("data/flink/local/cluster.json");
        try {
            Matcher m = Pattern.compile("\"pid\"\\s*:\\s*(\\d+)").matcher(Files.readString(file));
            return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
