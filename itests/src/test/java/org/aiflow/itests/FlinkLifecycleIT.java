package org.aiflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.metadata.Artifact;
import org.aiflow.api.metadata.Dataset;
import org.aiflow.api.metadata.DatasetDraft;
import org.aiflow.api.metadata.LineageDirection;
import org.aiflow.api.metadata.LineageEdge;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.MetricQuery;
import org.aiflow.api.metadata.ModelStage;
import org.aiflow.api.metadata.ModelVersion;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.client.AiflowClient;
import org.junit.After;
import org.junit.Test;

/**
 * The ML lifecycle example end to end on the distribution's local Flink cluster, as the README runs
 * it: train (batch) → GENERATED model version → validate → VALIDATED → deploy → DEPLOYED → the
 * inference stream job. A second training round (the dataset changes) deploys version 2 and restarts
 * inference from the savepoint its first run was stopped with: the prediction stream continues where
 * it stopped, now scored by version 2 (the workflow's {@code retrain} task reacts to DATASET_UPDATED). Then the platform is killed (kill -9) and restarted: it
 * re-attaches to the inference job that kept running on the local cluster. Then it is stopped gracefully
 * ({@code bin/stop}, twice): the local cluster ends after a savepoint of the inference job, and at the
 * start the same task execution goes on RUNNING, resumed from it — the predictions' sequence numbers
 * run from 0 without a gap or a repeat through all of it.
 */
public class FlinkLifecycleIT {
    private static final String NS = "default";
    private static final String WORKFLOW = "ml-lifecycle";
    private static final String MODEL = "churn-lr";
    private static final String DATASET = "churn-train";

    private Process karaf;
    private Path home;

    @After
    public void stop() throws IOException {
        if (karaf != null) {
            Distribution.kill(karaf);
        }
        // after a kill -9 and restart the cluster is no child of the new launcher: end it by its pid file
        if (home != null) {
            localClusterPid(home).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    public void trainValidateDeployInferThenASecondRoundRestartsInferenceFromItsSavepoint() throws Exception {
        home = Distribution.unpack("flink-ml");
        AiflowClient client = Distribution.client(5, Duration.ofSeconds(30));
        karaf = Distribution.start(home, client);
        SchedulerService scheduler = client.scheduler();
        MetadataService metadata = client.metadata();
        Path predictions = home.resolve("data/ml/predictions.csv");

        Path file = home.resolve("examples/workflows/ml-lifecycle.yaml");
        scheduler.upload(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        Steps steps = new Steps();
        long x = scheduler.startExecution(NS, WORKFLOW).id();

        // ---- round 1
        steps.await("train (round 1, incl. the local cluster's start)", () -> attempts(scheduler, x, "train", TaskStatus.SUCCESS) == 1);
        steps.await("validate (round 1)", () -> attempts(scheduler, x, "validate", TaskStatus.SUCCESS) == 1);
        steps.await("deploy (round 1)", () -> attempts(scheduler, x, "deploy", TaskStatus.SUCCESS) == 1);
        steps.await("inference runs and scores with version 1", () -> attempts(scheduler, x, "inference", TaskStatus.RUNNING) == 1
                && predictionsOf(predictions, 1).size() >= 20);
        assertEquals(1, metadata.deployedVersion(NS, MODEL).orElseThrow().version());
        assertTrue("accuracy was logged for version 1", metadata.metricValues(NS, "accuracy", MetricQuery.all(100)).stream()
                .anyMatch(v -> Integer.valueOf(1).equals(v.modelVersion())));
        TaskExecution train1 = tasks(scheduler, x, "train").get(0);
        List<LineageEdge> lineage = metadata.lineageOfTask(train1.id());
        assertTrue("train read the dataset: " + lineage, lineage.stream().anyMatch(e -> e.direction() == LineageDirection.READ
                && e.entity().name().equals(DATASET)));
        assertTrue("train wrote version 1: " + lineage, lineage.stream().anyMatch(e -> e.direction() == LineageDirection.WROTE
                && e.entity().name().equals(MODEL) && e.entity().version() == 1));
        assertTrue(scheduler.taskLog(train1.id(), "flink.log", 0, 1 << 20).text().contains("runs on http://127.0.0.1:"));
        // what the job printed, and Flink's log lines about it, are the task's own logs (REST here; aiflow:task-log reads the same)
        steps.await("train's printed lines in its task logs", () -> scheduler.taskLogFiles(train1.id())
                .containsAll(List.of("stdout.log", "stderr.log", "flink-job.log")));
        String printed = scheduler.taskLog(train1.id(), "stdout.log", 0, 1 << 20).text();
        assertTrue(printed, printed.contains("TrainJob: model " + MODEL + " version 1 trained on "));
        assertTrue(scheduler.taskLog(train1.id(), "stderr.log", 0, 1 << 20).text().contains("TrainJob: training model " + MODEL + " on "));
        String jobLog = scheduler.taskLog(train1.id(), "flink-job.log", 0, 1 << 20).text();
        String jobId = scheduler.taskLog(train1.id(), "flink-job-id", 0, 1024).text().strip().split(" ")[1];
        assertTrue(jobLog, jobLog.contains(jobId) && jobLog.contains("FINISHED"));

        // ---- round 2: new training data
        Dataset d = metadata.dataset(NS, DATASET);
        String train2 = d.uri().replace("train.csv", "train-2.csv");
        metadata.updateDataset(NS, DATASET, d.revision(), new DatasetDraft(d.name(), train2, d.format(), d.schema(), d.description(),
                d.catalog(), d.properties()));
        steps.await("retrain (round 2: the dataset changed)", () -> attempts(scheduler, x, "retrain", TaskStatus.SUCCESS) == 1);
        steps.await("validate (round 2)", () -> attempts(scheduler, x, "validate", TaskStatus.SUCCESS) == 2);
        steps.await("deploy (round 2)", () -> attempts(scheduler, x, "deploy", TaskStatus.SUCCESS) == 2);
        steps.await("inference restarted from its savepoint and scores with version 2", () ->
                attempts(scheduler, x, "inference", TaskStatus.STOPPED) == 1 && attempts(scheduler, x, "inference", TaskStatus.RUNNING) == 1
                        && predictionsOf(predictions, 2).size() >= 20);
        ModelVersion v2 = metadata.deployedVersion(NS, MODEL).orElseThrow();
        assertEquals(2, v2.version());
        assertEquals(ModelStage.DEPRECATED, metadata.modelVersion(NS, MODEL, 1).stage());
        TaskExecution stopped = tasks(scheduler, x, "inference").stream().filter(t -> t.status() == TaskStatus.STOPPED).findFirst().orElseThrow();
        assertTrue(stopped.message(), stopped.message().contains("stopped with savepoint"));
        Artifact savepoint = metadata.artifact(NS, WORKFLOW + ".inference.savepoint");
        assertEquals("flink-savepoint", savepoint.type());
        assertTrue(stopped.message() + " vs " + savepoint.uri(), stopped.message().contains(savepoint.uri()));
        long lastOfV1 = predictionsOf(predictions, 1).stream().mapToLong(p -> p[0]).max().orElseThrow();
        long firstOfV2 = predictionsOf(predictions, 2).stream().mapToLong(p -> p[0]).min().orElseThrow();
        assertEquals("the restarted job continued the stream where the savepoint left it", lastOfV1 + 1, firstOfV2);

        // ---- kill -9: the inference job keeps running on the local cluster, the platform re-attaches
        TaskExecution running = tasks(scheduler, x, "inference").stream().filter(t -> t.status() == TaskStatus.RUNNING).findFirst().orElseThrow();
        long clusterPid = localClusterPid(home).orElseThrow();
        String opened = "InferenceJob: predicting with model " + MODEL + " version 2";
        steps.await("inference's printed line in its stdout.log", () -> count(stdout(scheduler, running.id()), opened) == 1);
        Distribution.killPlatformOnly(karaf);
        int linesAtKill = predictionsOf(predictions, 2).size();
        karaf = Distribution.start(home, client);
        steps.await("re-attached after kill -9; predictions go on", () -> predictionsOf(predictions, 2).size() > linesAtKill + 20
                && scheduler.task(running.id()).status() == TaskStatus.RUNNING);
        assertEquals("the same job: " + scheduler.task(running.id()), running.handle(), scheduler.task(running.id()).handle());
        assertEquals("the same local cluster", clusterPid, (long) localClusterPid(home).orElseThrow());
        assertEquals("no new inference attempt", 2, tasks(scheduler, x, "inference").size());

        // ---- graceful restarts: bin/stop suspends the inference job with a savepoint and ends the cluster; bin/start resumes it
        for (int round = 1; round <= 2; round++) {
            long pid = localClusterPid(home).orElseThrow();
            long stopBegan = System.nanoTime();
            gracefulStop(home, karaf);
            karaf = null;
            System.out.printf("STEP bin/stop %d (incl. the savepoint) %.1f s%n", round, (System.nanoTime() - stopBegan) / 1e9);
            assertTrue("the local cluster ended with the platform", ProcessHandle.of(pid).map(ph -> !ph.isAlive()).orElse(true));
            int linesAtStop = sequences(predictions).size();
            karaf = Distribution.start(home, client);
            int r = round;
            steps.await("graceful restart " + round + ": resumed from the savepoint; predictions go on", () ->
                    sequences(predictions).size() > linesAtStop + 20 && scheduler.task(running.id()).status() == TaskStatus.RUNNING);
            TaskExecution after = scheduler.task(running.id());
            assertEquals("the same task execution and job: " + after, running.handle(), after.handle());
            assertEquals("no new inference attempt after graceful restart " + r, 2, tasks(scheduler, x, "inference").size());
            assertContiguousFromZero(sequences(predictions));
            String log = scheduler.taskLog(running.id(), "flink.log", 0, 1 << 20).text();
            assertEquals(log, r, count(log, "suspended with savepoint "));
            assertEquals("resubmitted once per restart: " + log, r, count(log, " again (web UI: "));
            // the job's output before the cluster's restarts is kept; the resumed job prints on into the same file
            steps.await("inference's stdout.log after restart " + r + ": a line per start", () ->
                    count(stdout(scheduler, running.id()), opened) == 1 + r);
        }

        // ---- stop: the stream job ends with a savepoint
        scheduler.stopExecution(x);
        steps.await("execution stopped, inference stopped with a savepoint", () -> scheduler.execution(x).status().isFinal()
                && scheduler.task(running.id()).status().isFinal());
        TaskExecution end = scheduler.task(running.id());
        assertEquals(end.message(), TaskStatus.STOPPED, end.status());
        assertTrue(end.message(), end.message().contains("stopped with savepoint"));
        assertContiguousFromZero(sequences(predictions));
        steps.print();
    }

    /** {@code bin/stop}, then waits for the platform (launcher and JVM) to exit. */
    private static void gracefulStop(Path home, Process launcher) throws Exception {
        ProcessBuilder stop = new ProcessBuilder(home.resolve("bin/stop").toString());
        stop.environment().put("JAVA_HOME", System.getProperty("java.home"));
        stop.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        assertEquals("bin/stop", 0, stop.start().waitFor());
        java.util.List<ProcessHandle> jvms = launcher.descendants().toList();
        assertTrue("the platform exits after bin/stop", launcher.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        for (ProcessHandle p : jvms) {
            p.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static String stdout(SchedulerService scheduler, long task) {
        return scheduler.taskLogFiles(task).contains("stdout.log") ? scheduler.taskLog(task, "stdout.log", 0, 1 << 20).text() : "";
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** The sequence numbers of all complete prediction lines, in file order. */
    private static List<Long> sequences(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        text = text.substring(0, text.lastIndexOf('\n') + 1); // a line being written is not complete yet
        List<Long> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty() && Character.isDigit(line.charAt(0))) {
                out.add(Long.parseLong(line.substring(0, line.indexOf(','))));
            }
        }
        return out;
    }

    /** The lines' sequence numbers are 0, 1, 2, ...: no gap, no repeat, in order. */
    private static void assertContiguousFromZero(List<Long> sequences) {
        for (int i = 0; i < sequences.size(); i++) {
            if (sequences.get(i) != i) {
                throw new AssertionError("prediction line " + (i + 1) + " of " + sequences.size() + " has sequence " + sequences.get(i)
                        + ", expected " + i + " (around it: " + sequences.subList(Math.max(0, i - 3), Math.min(sequences.size(), i + 3)) + ")");
            }
        }
    }

    private static List<TaskExecution> tasks(SchedulerService scheduler, long execution, String task) {
        return scheduler.listTasks(new TaskQuery(WORKFLOW, execution, null, 1000)).stream().filter(t -> t.taskName().equals(task)).toList();
    }

    private static long attempts(SchedulerService scheduler, long execution, String task, TaskStatus status) {
        List<TaskExecution> all = tasks(scheduler, execution, task);
        all.stream().filter(t -> t.status() == TaskStatus.FAILED).findFirst().ifPresent(t -> {
            throw new AssertionError(task + " failed: " + t.message()); // an Error: Poll gives up at once
        });
        return all.stream().filter(t -> t.status() == status).count();
    }

    /** {@code [sequence]} of each prediction line scored by a model version ({@code sequence,x1,x2,probability,label,version}). */
    private static List<long[]> predictionsOf(Path file, int version) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<long[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split(",");
            if (f.length >= 6 && !f[0].isEmpty() && Character.isDigit(f[0].charAt(0)) && f[5].strip().equals(Integer.toString(version))) {
                out.add(new long[] {Long.parseLong(f[0])});
            }
        }
        return out;
    }

    private static Optional<Long> localClusterPid(Path home) throws IOException {
        Path file = home.resolve("data/flink/local/cluster.json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Matcher m = Pattern.compile("\"pid\":(\\d+)").matcher(Files.readString(file, StandardCharsets.UTF_8));
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    /** Waits for each step in turn and remembers how long it took, for the log and the docs. */
    private static final class Steps {
        private final List<String> done = new ArrayList<>();
        private long last = System.nanoTime();

        void await(String step, java.util.concurrent.Callable<Boolean> condition) {
            Poll.until(Duration.ofSeconds(180), step, condition);
            long now = System.nanoTime();
            String line = String.format("STEP %-70s %6.1f s", step, (now - last) / 1e9);
            System.out.println(line);
            done.add(line);
            last = now;
        }

        void print() {
            done.forEach(System.out::println);
        }
    }
}
