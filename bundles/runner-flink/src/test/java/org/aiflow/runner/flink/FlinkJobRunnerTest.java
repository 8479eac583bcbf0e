package org.aiflow.runner.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.aiflow.api.spi.runner.JobHandle;
import org.aiflow.api.spi.runner.JobRequest;
import org.aiflow.api.spi.runner.JobRunnerException;
import org.aiflow.api.spi.runner.JobState;
import org.aiflow.api.workflow.TaskKind;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flink runner against a real Flink 2 cluster: the local mode's child-JVM MiniCluster, started
 * once for the class from the same classpath the distribution ships, running the example job jar.
 */
class FlinkJobRunnerTest {
    private static final Path TARGET = Paths.get("target").toAbsolutePath();
    private static final Path JOBS = TARGET.resolve("jobs/flink-ml-jobs.jar");
    private static final Path DATA = TARGET.resolve("../../../examples/flink-ml/data").normalize();
    private static final AtomicLong IDS = new AtomicLong(1000);

    @TempDir
    static Path tmp;
    private static LocalClusterProcess process;
    private static FlinkJobRunner runner;

    @BeforeAll
    static void startCluster() throws Exception {
        process = new LocalClusterProcess("local", TARGET.resolve("flink/lib"), tmp.resolve("cluster"), tmp.resolve("cluster.log"),
                0, 4, List.of("-Xmx768m"), Duration.ofSeconds(90));
        runner = newRunner();
        // started up front so each test measures its job, not the cluster start
        FlinkCluster.local("local", process, Duration.ofSeconds(30)).rest().overview();
    }

    private static FlinkJobRunner newRunner() {
        return new FlinkJobRunner(TARGET, "none", tmp.resolve("runner"),
                FlinkCluster.local("local", process, Duration.ofSeconds(30)),
                FlinkCluster.remote("nowhere", URI.create("http://127.0.0.1:9"), null, Duration.ofSeconds(5), Duration.ofSeconds(1)));
    }

    @AfterAll
    static void stopCluster() {
        if (process != null) {
            process.stop(Duration.ofSeconds(20));
        }
    }

    @Test
    void batchJobRunsToSuccessAndLogsWhereItRan() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models-batch"));
        JobRequest request = request("train", TaskKind.BATCH, train(models));

        JobHandle handle = runner.submit(request);
        JobState end = awaitEnd(handle, Duration.ofSeconds(90));

        assertThat(end.phase()).as(end.message()).isEqualTo(JobState.Phase.SUCCEEDED);
        try (Stream<Path> files = Files.list(models)) {
            assertThat(files.map(p -> p.getFileName().toString())).singleElement().asString().startsWith("m-").endsWith(".json");
        }
        assertThat(Files.readString(request.logDirectory().resolve(JobFiles.LOG))).contains("Flink job " + handle.jobId() + " runs on");
        assertThat(handle.attributes()).containsEntry("cluster", "local").containsEntry("workflow", "wf");
    }

    /**
     * What a job prints (stdout, stderr) and Flink's log lines about it land in its own task's log
     * directory, not in another job's running at the same time, and not in the cluster's shared output.
     */
    @Test
    void twoJobsAtOncePrintIntoTheirOwnTasksLogDirectories() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models-output"));
        JobRequest a = request("train-a", TaskKind.BATCH, train(models, "model-a"));
        JobRequest b = request("train-b", TaskKind.BATCH, train(models, "model-b"));

        JobHandle ha = runner.submit(a);
        JobHandle hb = runner.submit(b);
        assertThat(awaitEnd(ha, Duration.ofSeconds(90)).phase()).isEqualTo(JobState.Phase.SUCCEEDED);
        assertThat(awaitEnd(hb, Duration.ofSeconds(90)).phase()).isEqualTo(JobState.Phase.SUCCEEDED);

        for (String[] own : new String[][] {{"model-a", "model-b", "train-a"}, {"model-b", "model-a", "train-b"}}) {
            Path logs = (own[0].equals("model-a") ? a : b).logDirectory();
            String id = (own[0].equals("model-a") ? ha : hb).jobId();
            await(() -> Files.exists(logs.resolve("stdout.log")), Duration.ofSeconds(10), "stdout.log of " + own[2]);
            assertThat(Files.readString(logs.resolve("stdout.log"))).as("stdout.log of " + own[2])
                    .contains("TrainJob: model " + own[0] + " trained on ").doesNotContain(own[1]);
            assertThat(Files.readString(logs.resolve("stderr.log"))).as("stderr.log of " + own[2])
                    .contains("TrainJob: training model " + own[0] + " on ").doesNotContain(own[1]);
            // Flink's own lines about the job (the JobMaster's state changes carry the job id in their context)
            assertThat(Files.readString(logs.resolve("flink-job.log"))).as("flink-job.log of " + own[2])
                    .contains(id).contains("FINISHED").doesNotContain(own[1]);
            assertThat(tmp.resolve("cluster/job-logs").resolve(id)).as("the registration goes when the job ended").doesNotExist();
        }
        assertThat(Files.readString(tmp.resolve("cluster/process.out"))).doesNotContain("TrainJob: model model-a")
                .doesNotContain("TrainJob: training model model-b");
    }

    @Test
    void badJobsFailAtSubmissionWithTheCauseInTheirLog() throws Exception {
        Map<String, Object> missingJar = new HashMap<>(train(tmp));
        missingJar.put("jar", "no/such.jar");
        JobRequest r1 = request("t1", TaskKind.BATCH, missingJar);
        assertThatThrownBy(() -> runner.submit(r1)).isInstanceOf(JobRunnerException.class).hasMessageContaining("no/such.jar")
                .hasMessageContaining("does not exist");
        assertThat(Files.readString(r1.logDirectory().resolve(JobFiles.LOG))).contains("does not exist");

        Map<String, Object> wrongClass = new HashMap<>(train(tmp));
        wrongClass.put("entryClass", "org.aiflow.examples.ml.NoSuchJob");
        JobRequest r2 = request("t2", TaskKind.BATCH, wrongClass);
        assertThatThrownBy(() -> runner.submit(r2)).isInstanceOf(JobRunnerException.class).hasMessageContaining("NoSuchJob");
        assertThat(Files.readString(r2.logDirectory().resolve(JobFiles.LOG))).contains("submission failed").contains("NoSuchJob");

        Map<String, Object> unreachable = new HashMap<>(train(tmp));
        unreachable.put("cluster", "nowhere");
        JobRequest r3 = request("t3", TaskKind.BATCH, unreachable);
        assertThatThrownBy(() -> runner.submit(r3)).isInstanceOf(JobRunnerException.class).hasMessageContaining("unreachable");

        Map<String, Object> unknownCluster = new HashMap<>(train(tmp));
        unknownCluster.put("cluster", "mars");
        assertThatThrownBy(() -> runner.submit(request("t4", TaskKind.BATCH, unknownCluster)))
                .hasMessageContaining("no Flink cluster named 'mars'").hasMessageContaining("[local, nowhere]");

        Map<String, Object> unknownField = new HashMap<>(train(tmp));
        unknownField.put("paralelism", 2);
        assertThatThrownBy(() -> runner.submit(request("t5", TaskKind.BATCH, unknownField)))
                .hasMessageContaining("unknown field 'paralelism'");
    }

    @Test
    void aJobThatFailsOnTheClusterEndsFailedWithFlinksCause() throws Exception {
        Map<String, Object> config = new HashMap<>(train(tmp));
        List<String> args = new ArrayList<>(strings(config.get("args")));
        args.set(args.indexOf("--dataset") + 1, tmp.resolve("missing.csv").toString());
        config.put("args", args);
        JobRequest request = request("train", TaskKind.BATCH, config);

        JobState end = awaitEnd(runner.submit(request), Duration.ofSeconds(90));

        assertThat(end.phase()).isEqualTo(JobState.Phase.FAILED);
        assertThat(end.message()).contains("missing.csv");
        assertThat(Files.readString(request.logDirectory().resolve(JobFiles.FAILURE))).contains("missing.csv");
        assertThat(Files.readString(request.logDirectory().resolve(JobFiles.LOG))).contains("failed:\n").contains("missing.csv");
        System.out.println("failed job: " + end.message());
    }

    @Test
    void streamJobStopsWithASavepointAndItsNextRunContinuesFromIt() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models-stream"));
        assertThat(awaitEnd(runner.submit(request("train", TaskKind.BATCH, train(models))), Duration.ofSeconds(90)).phase())
                .isEqualTo(JobState.Phase.SUCCEEDED);
        Path model;
        try (Stream<Path> files = Files.list(models)) {
            model = files.findFirst().orElseThrow();
        }
        Path predictions = tmp.resolve("predictions.csv");
        Map<String, Object> inference = Map.of("jar", JOBS.toString(), "entryClass", "org.aiflow.examples.ml.InferenceJob",
                "args", List.of("--aiflow-url", "none", "--model", "m", "--model-file", model.toString(),
                        "--predictions", predictions.toString(), "--rate", "200"));

        JobRequest first = request("inference", TaskKind.STREAM, inference);
        JobHandle h1 = runner.submit(first);
        assertThat(h1.attributes()).doesNotContainKey("restoredFrom");
        await(() -> lines(predictions).size() >= 50, Duration.ofSeconds(90), "predictions of the first run");
        runner.stop(h1, true);
        runner.stop(h1, true); // repeating a stop is harmless
        JobState stopped = awaitEnd(h1, Duration.ofSeconds(90));
        assertThat(stopped.phase()).as(stopped.message()).isEqualTo(JobState.Phase.STOPPED);
        assertThat(stopped.message()).contains("stopped with savepoint");
        String savepoint = Files.readString(first.logDirectory().resolve(JobFiles.SAVEPOINT)).strip();
        assertThat(stopped.message()).contains(savepoint);
        long lastOfFirstRun = lastSequence(predictions);
        int linesOfFirstRun = lines(predictions).size();

        JobRequest second = request("inference", TaskKind.STREAM, inference);
        JobHandle h2 = runner.submit(second);
        assertThat(h2.attributes()).containsEntry("restoredFrom", savepoint);
        await(() -> lines(predictions).size() >= linesOfFirstRun + 20, Duration.ofSeconds(90), "predictions of the second run");
        long firstOfSecondRun = Long.parseLong(lines(predictions).get(linesOfFirstRun).split(",")[0]);
        // restored from the savepoint: the source goes on where it stopped instead of starting at 0
        assertThat(firstOfSecondRun).isEqualTo(lastOfFirstRun + 1);

        // a new runner instance (a platform restart) finds the job by the id recorded before submission
        FlinkJobRunner restarted = newRunner();
        JobHandle found = restarted.find(second).orElseThrow();
        assertThat(found.jobId()).isEqualTo(h2.jobId());
        assertThat(restarted.status(found).phase()).isEqualTo(JobState.Phase.RUNNING);

        restarted.stop(found, false);
        JobState cancelled = awaitEnd(found, Duration.ofSeconds(60));
        assertThat(cancelled.phase()).isEqualTo(JobState.Phase.STOPPED);
        assertThat(cancelled.message()).contains("cancelled");
    }

    /**
     * A graceful platform stop (what {@link FlinkCluster#deactivate} does when the framework stops)
     * suspends the stream job with a savepoint and ends the local cluster; the next runner instance's
     * first status call starts a new cluster and resubmits the job from that savepoint under the same
     * job id: RUNNING, and the predictions go on with no gap and no repeat.
     */
    @Test
    void aGracefulPlatformStopSuspendsStreamJobsAndTheNextStartResumesThemWithoutGap() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models-suspend"));
        assertThat(awaitEnd(runner.submit(request("train", TaskKind.BATCH, train(models))), Duration.ofSeconds(90)).phase())
                .isEqualTo(JobState.Phase.SUCCEEDED);
        Path model;
        try (Stream<Path> files = Files.list(models)) {
            model = files.findFirst().orElseThrow();
        }
        Path predictions = tmp.resolve("predictions-suspend.csv");
        Map<String, Object> inference = Map.of("jar", JOBS.toString(), "entryClass", "org.aiflow.examples.ml.InferenceJob",
                "args", List.of("--aiflow-url", "none", "--model", "m", "--model-file", model.toString(),
                        "--predictions", predictions.toString(), "--rate", "200"));
        // a cluster of its own: the platform stop ends it
        LocalClusterProcess own = new LocalClusterProcess("local", TARGET.resolve("flink/lib"), tmp.resolve("cluster-suspend"),
                tmp.resolve("cluster-suspend.log"), 0, 2, List.of("-Xmx512m"), Duration.ofSeconds(90));
        try {
            FlinkCluster before = FlinkCluster.local("local", own, Duration.ofSeconds(30));
            FlinkJobRunner first = new FlinkJobRunner(TARGET, "none", tmp.resolve("runner-suspend"), before);
            JobRequest request = request("inference", TaskKind.STREAM, inference);
            JobHandle handle = first.submit(request);
            await(() -> lines(predictions).size() >= 100, Duration.ofSeconds(90), "predictions before the stop");
            long pid = own.running().orElseThrow().pid();

            before.shutDown();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("the cluster ended").isFalse();
            String log = Files.readString(request.logDirectory().resolve(JobFiles.LOG));
            assertThat(log).contains("suspended with savepoint ");
            assertThat(first.status(handle).phase()).as("while the platform stops").isEqualTo(JobState.Phase.RUNNING);
            int linesAtStop = lines(predictions).size();

            // the platform starts again: a new runner and cluster component, the scheduler asks for the stored handle
            FlinkJobRunner second = new FlinkJobRunner(TARGET, "none", tmp.resolve("runner-suspend"),
                    FlinkCluster.local("local", own, Duration.ofSeconds(30)));
            JobState resumed = second.status(handle);
            assertThat(resumed.phase()).as(resumed.message()).isEqualTo(JobState.Phase.RUNNING);
            assertThat(resumed.message()).contains("resumed from savepoint");
            assertThat(own.running().orElseThrow().pid()).isNotEqualTo(pid);
            await(() -> lines(predictions).size() >= linesAtStop + 100, Duration.ofSeconds(90), "predictions after the restart");
            assertThat(second.status(handle).phase()).isEqualTo(JobState.Phase.RUNNING);
            assertContiguousFromZero(predictions);
            assertThat(Files.readString(request.logDirectory().resolve(JobFiles.JOB_ID))).contains(handle.jobId());
            // what the job printed before the stop is kept, and the resumed job (a new cluster) prints on into the same file
            await(() -> Files.readString(request.logDirectory().resolve("stdout.log")).split("InferenceJob: predicting", -1).length == 3,
                    Duration.ofSeconds(10), "a line of each run in stdout.log");

            // stopped by the user while suspended (before any status call): STOPPED at the suspension's savepoint
            FlinkCluster again = FlinkCluster.local("local", own, Duration.ofSeconds(30));
            again.shutDown();
            FlinkJobRunner third = new FlinkJobRunner(TARGET, "none", tmp.resolve("runner-suspend"),
                    FlinkCluster.local("local", own, Duration.ofSeconds(30)));
            third.stop(handle, true);
            JobState stopped = third.status(handle);
            assertThat(stopped.phase()).as(stopped.message()).isEqualTo(JobState.Phase.STOPPED);
            String savepoint = Files.readString(request.logDirectory().resolve(JobFiles.SAVEPOINT)).strip();
            assertThat(stopped.message()).contains(savepoint).contains("taken when the platform stopped");
            assertContiguousFromZero(predictions);
            assertThat(Files.readString(tmp.resolve("runner-suspend/savepoints/default/wf/inference.savepoint")).strip())
                    .isEqualTo(savepoint);
        } finally {
            own.stop(Duration.ofSeconds(20));
        }
    }

    /** Each prediction's sequence number is the one before plus one, from 0: no gap and no repeat. */
    private static void assertContiguousFromZero(Path predictions) {
        List<String> l = lines(predictions);
        for (int i = 0; i < l.size(); i++) {
            assertThat(Long.parseLong(l.get(i).split(",")[0])).as("line %d of %d", i + 1, l.size()).isEqualTo(i);
        }
    }

    @Test
    void aJobTheClusterDoesNotKnowIsUnknown() throws Exception {
        JobHandle ghost = new JobHandle("flink", "0123456789abcdef0123456789abcdef", Map.of("cluster", "local"));
        JobState state = runner.status(ghost);
        assertThat(state.phase()).isEqualTo(JobState.Phase.UNKNOWN);
        assertThat(state.message()).contains("has no job 0123456789abcdef0123456789abcdef");
        assertThat(runner.find(request("never", TaskKind.BATCH, train(tmp)))).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, Object> train(Path models) {
        return train(models, "m");
    }

    private static Map<String, Object> train(Path models, String model) {
        return Map.of("jar", JOBS.toString(), "entryClass", "org.aiflow.examples.ml.TrainJob",
                "args", List.of("--aiflow-url", "${aiflow.url}", "--model", model, "--model-dir", models.toString(),
                        "--dataset", DATA.resolve("train.csv").toString(), "--epochs", "50"),
                "parallelism", 1);
    }

    private static JobRequest request(String task, TaskKind kind, Map<String, Object> config) throws IOException {
        long id = IDS.incrementAndGet();
        Path logs = Files.createDirectories(tmp.resolve("logs").resolve(Long.toString(id)));
        return new JobRequest(id, "default", "wf", task, kind, config, logs);
    }

    private static JobState awaitEnd(JobHandle handle, Duration timeout) {
        JobState[] last = new JobState[1];
        await(() -> {
            last[0] = runner.status(handle);
            return last[0].phase() != JobState.Phase.RUNNING;
        }, timeout, "the end of job " + handle.jobId());
        return last[0];
    }

    private static void await(Callable<Boolean> condition, Duration timeout, String what) {
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(100)).until(condition);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank() && Character.isDigit(l.charAt(0))).toList()
                    : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long lastSequence(Path file) {
        List<String> l = lines(file);
        return Long.parseLong(l.get(l.size() - 1).split(",")[0]);
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        return (List<String>) o;
    }
}
