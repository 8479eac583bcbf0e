package org.aiflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.aiflow.client.AiflowClient;
import org.junit.After;
import org.junit.Test;

/**
 * The flink runner's remote mode against a Flink session cluster the test harness starts (the
 * distribution's own {@code flink/lib} cluster jar, run by hand as any user could), and bad input:
 * a wrong entry class, a missing jar and an unreachable cluster each end as a FAILED task with the
 * cause in its message and its log, never a hung task.
 */
public class FlinkRemoteIT {
    private Process karaf;
    private Process flink;

    @After
    public void stop() {
        if (karaf != null) {
            Distribution.kill(karaf);
        }
        if (flink != null) {
            flink.destroy();
        }
    }

    @Test
    public void remoteClusterRunsJobsAndBadJobsFailWithTheirCause() throws Exception {
        Path home = Distribution.unpack("flink-remote");
        String restUrl = startHarnessCluster(home, home.resolve("harness-flink"));
        Files.writeString(home.resolve("etc/org.aiflow.runner.flink.cluster-remote1.cfg"),
                "name = remote1\nmode = remote\nrestUrl = " + restUrl + "\n");
        Files.writeString(home.resolve("etc/org.aiflow.runner.flink.cluster-dead.cfg"),
                "name = dead\nmode = remote\nrestUrl = http://127.0.0.1:9\nrequestTimeoutSeconds = 5\n");
        AiflowClient client = Distribution.client(5, Duration.ofSeconds(30));
        karaf = Distribution.start(home, client);
        SchedulerService scheduler = client.scheduler();

        String jar = "${aiflow.home}/examples/flink-ml/flink-ml-jobs.jar";
        List<String> train = List.of("--aiflow-url", "none", "--model", "remote-lr", "--model-dir", "${aiflow.home}/data/remote-models",
                "--dataset", "${aiflow.home}/examples/flink-ml/data/train.csv", "--epochs", "50");
        scheduler.upload(new WorkflowDefinition("itest", "flink-checks", null, List.of(
                task("ok", Map.of("cluster", "remote1", "jar", jar, "entryClass", "org.aiflow.examples.ml.TrainJob", "args", train)),
                task("wrongclass", Map.of("cluster", "remote1", "jar", jar, "entryClass", "org.aiflow.examples.ml.NoSuchJob", "args", train)),
                task("missingjar", Map.of("cluster", "remote1", "jar", "examples/flink-ml/nope.jar", "args", train)),
                task("unreachable", Map.of("cluster", "dead", "jar", jar, "entryClass", "org.aiflow.examples.ml.TrainJob", "args", train)))));
        long execution = scheduler.startExecution("itest", "flink-checks").id();
        Poll.until(Duration.ofSeconds(120), "every task ended", () -> {
            List<TaskExecution> tasks = scheduler.listTasks(new TaskQuery("flink-checks", execution, null, 100));
            return tasks.size() == 4 && tasks.stream().allMatch(t -> t.status().isFinal());
        });
        Map<String, TaskExecution> byName = new java.util.HashMap<>();
        scheduler.listTasks(new TaskQuery("flink-checks", execution, null, 100)).forEach(t -> byName.put(t.taskName(), t));

        assertEquals(byName.get("ok").message(), TaskStatus.SUCCESS, byName.get("ok").status());
        try (DirectoryStream<Path> models = Files.newDirectoryStream(home.resolve("data/remote-models"), "remote-lr-*.json")) {
            assertTrue("the job on the remote cluster wrote its model", models.iterator().hasNext());
        }
        String okLog = log(scheduler, byName.get("ok"), "flink.log");
        assertTrue(okLog, okLog.contains("runs on " + restUrl));

        assertFailed(scheduler, byName.get("wrongclass"), "NoSuchJob");
        assertFailed(scheduler, byName.get("missingjar"), "does not exist");
        assertFailed(scheduler, byName.get("unreachable"), "unreachable");
        assertFalse("no task used the local cluster, so none was started",
                Files.exists(home.resolve("data/flink/local/cluster.json")));
    }

    private static TaskDefinition task(String name, Map<String, Object> config) {
        return new TaskDefinition(name, TaskKind.BATCH, new JobSpec("flink", config), List.of());
    }

    private static void assertFailed(SchedulerService scheduler, TaskExecution t, String cause) {
        assertEquals(t.taskName() + ": " + t.message(), TaskStatus.FAILED, t.status());
        assertTrue(t.taskName() + ": " + t.message(), t.message().contains(cause));
        String log = log(scheduler, t, "flink.log");
        assertTrue(t.taskName() + " log: " + log, log.contains(cause));
    }

    private static String log(SchedulerService scheduler, TaskExecution t, String file) {
        return scheduler.taskLog(t.id(), file, 0, 1024 * 1024).text();
    }

    /** Starts the distribution's cluster jar by hand, as a stand-in for a Flink session cluster. */
    private String startHarnessCluster(Path home, Path state) throws Exception {
        Path jar;
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(home.resolve("flink/lib"), "org.aiflow.flink.cluster-*.jar")) {
            jar = jars.iterator().next();
        }
        flink = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-Dlog.file=" + state.resolve("flink.log"), "-Dlog4j2.configurationFile=classpath:aiflow-flink-log4j2.properties",
                "-jar", jar.toString(), "--state-dir", state.toString())
                .redirectErrorStream(true).redirectOutput(new File(home.toFile(), "harness-flink.out")).start();
        Path clusterFile = state.resolve("cluster.json");
        Poll.until(Duration.ofSeconds(90), "the harness Flink cluster is up", () -> {
            if (!flink.isAlive()) {
                throw new IllegalStateException("the harness Flink cluster exited: see " + home.resolve("harness-flink.out"));
            }
            return Files.exists(clusterFile);
        });
        Matcher url = Pattern.compile("\"restUrl\":\"([^\"]+)\"").matcher(Files.readString(clusterFile, StandardCharsets.UTF_8));
        assertTrue(url.find());
        return url.group(1);
    }
}
