package org.aiflow.flink.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.apache.flink.util.MdcUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

/**
 * The routing of printed lines by the writing thread's job id (Flink's MDC key), without Flink: the
 * real cluster is exercised by the flink runner's FlinkJobRunnerTest.
 */
class JobOutputTest {
    private static final String JOB_A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String JOB_B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static final String UNREGISTERED = "cccccccccccccccccccccccccccccccc";

    @TempDir
    Path tmp;

    @Test
    void eachJobsThreadsPrintIntoTheirTasksDirectoryAndTheRestToTheSharedOutput() throws Exception {
        Path registry = Files.createDirectories(tmp.resolve("job-logs"));
        Path taskA = Files.createDirectories(tmp.resolve("task-1"));
        Path taskB = Files.createDirectories(tmp.resolve("task-2"));
        Files.writeString(registry.resolve(JOB_A), taskA + "\n");
        Files.writeString(registry.resolve(JOB_B), taskB.toString());
        Files.writeString(taskA.resolve(JobLogs.STDOUT), "before a cluster restart\n");
        JobLogs logs = new JobLogs(registry, 1 << 20, 3);
        ByteArrayOutputStream shared = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new JobOutput(logs, JobLogs.STDOUT, shared), true, StandardCharsets.UTF_8);

        // two jobs' threads print at once, 200 lines each, and a thread of no job
        CountDownLatch go = new CountDownLatch(1);
        Thread a = printer(out, JOB_A, "line of a", go);
        Thread b = printer(out, JOB_B, "line of b", go);
        Thread c = printer(out, UNREGISTERED, "line of c", go);
        go.countDown();
        for (Thread t : new Thread[] {a, b, c}) {
            t.join(10_000);
        }
        out.println("the cluster itself");

        String printedA = Files.readString(taskA.resolve(JobLogs.STDOUT));
        String printedB = Files.readString(taskB.resolve(JobLogs.STDOUT));
        assertThat(printedA).startsWith("before a cluster restart\n").contains("line of a 199\n").doesNotContain("line of b");
        assertThat(printedA.lines().filter(l -> l.startsWith("line of a")).count()).isEqualTo(200);
        assertThat(printedB.lines().filter(l -> l.matches("line of b \\d+")).count()).isEqualTo(200);
        assertThat(printedB).doesNotContain("line of a").doesNotContain("line of c");
        assertThat(shared.toString(StandardCharsets.UTF_8)).contains("line of c 199\n").contains("the cluster itself\n")
                .doesNotContain("line of a").doesNotContain("line of b");
        assertThat(taskA.resolve(JobLogs.STDERR)).doesNotExist();
    }

    @Test
    void aLargeJobLogIsRotatedAndAVanishedDirectoryIsNotCreatedAgain() throws Exception {
        Path registry = Files.createDirectories(tmp.resolve("job-logs"));
        Path task = Files.createDirectories(tmp.resolve("task-3"));
        Files.writeString(registry.resolve(JOB_A), task.toString());
        JobLogs logs = new JobLogs(registry, 1000, 2);
        byte[] line = "0123456789012345678901234567890123456789012345678\n".getBytes(StandardCharsets.UTF_8); // 50 bytes

        for (int i = 0; i < 70; i++) { // 3,500 bytes: 1,000 a file
            assertThat(logs.write(JOB_A, JobLogs.FLINK_LOG, line, 0, line.length)).isTrue();
        }

        assertThat(Files.size(task.resolve(JobLogs.FLINK_LOG))).isEqualTo(500);
        assertThat(Files.size(task.resolve(JobLogs.FLINK_LOG + ".1"))).isEqualTo(1000);
        assertThat(Files.size(task.resolve(JobLogs.FLINK_LOG + ".2"))).isEqualTo(1000);
        assertThat(task.resolve(JobLogs.FLINK_LOG + ".3")).doesNotExist();

        // the retention deleted the task's directory: closed when idle, then never created again
        logs.closeIdle(Long.MAX_VALUE);
        deleteTree(task);
        assertThat(logs.write(JOB_A, JobLogs.FLINK_LOG, line, 0, line.length)).isFalse();
        assertThat(task).doesNotExist();
        assertThat(logs.write("../../etc", JobLogs.STDOUT, line, 0, line.length)).as("not a job id").isFalse();

        // at the next cluster start the registration of the vanished directory goes, the others stay
        Path other = Files.createDirectories(tmp.resolve("task-5"));
        Files.writeString(registry.resolve(JOB_B), other.toString());
        assertThat(new JobLogs(registry, 1000, 2).prune()).isEqualTo(1);
        assertThat(registry.resolve(JOB_A)).doesNotExist();
        assertThat(registry.resolve(JOB_B)).exists();
    }

    @Test
    void aLinkInPlaceOfAJobLogIsNotFollowed() throws Exception {
        Path registry = Files.createDirectories(tmp.resolve("job-logs"));
        Path task = Files.createDirectories(tmp.resolve("task-4"));
        Path elsewhere = Files.writeString(tmp.resolve("elsewhere"), "");
        Files.createSymbolicLink(task.resolve(JobLogs.STDERR), elsewhere);
        Files.writeString(registry.resolve(JOB_B), task.toString());
        JobLogs logs = new JobLogs(registry, 1 << 20, 3);

        assertThat(logs.write(JOB_B, JobLogs.STDERR, new byte[] {'x'}, 0, 1)).isFalse();
        assertThat(Files.size(elsewhere)).isZero();
    }

    private static Thread printer(PrintStream out, String job, String text, CountDownLatch go) {
        Thread t = new Thread(() -> {
            MDC.put(MdcUtils.JOB_ID, job);
            try {
                go.await();
                for (int i = 0; i < 200; i++) {
                    out.println(text + " " + i);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                MDC.remove(MdcUtils.JOB_ID);
            }
        });
        t.start();
        return t;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
