package org.aiflow.runner.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.aiflow.api.spi.runner.JobHandle;
import org.aiflow.api.spi.runner.JobRequest;
import org.aiflow.api.spi.runner.JobState;
import org.aiflow.api.workflow.TaskKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRotationTest {
    private static final LogRotation.Settings KB_KEEP_2 = new LogRotation.Settings(1024, 2);

    @TempDir
    Path logs;

    private Path log(String name, String text) throws Exception {
        return Files.writeString(logs.resolve(name), text);
    }

    @Test
    void aFileOverTheLimitIsCopiedToDot1AndTruncated() throws Exception {
        Path out = log("stdout.log", "a".repeat(1500));

        assertThat(LogRotation.rotateIfDue(out, KB_KEEP_2)).isTrue();

        assertThat(Files.readString(logs.resolve("stdout.log.1"))).isEqualTo("a".repeat(1500));
        assertThat(out).isEmptyFile();
    }

    @Test
    void aFileAtTheLimitIsLeftAsItIs() throws Exception {
        Path out = log("stdout.log", "a".repeat(1024));

        assertThat(LogRotation.rotateIfDue(out, KB_KEEP_2)).isFalse();
        assertThat(out).hasSize(1024);
        assertThat(logs.resolve("stdout.log.1")).doesNotExist();
    }

    @Test
    void olderFilesShiftAndTheOldestBeyondKeepIsDropped() throws Exception {
        Path out = log("stdout.log", "third".repeat(300));
        log("stdout.log.1", "second");
        log("stdout.log.2", "first");

        LogRotation.rotateIfDue(out, KB_KEEP_2);

        assertThat(Files.readString(logs.resolve("stdout.log.1"))).isEqualTo("third".repeat(300));
        assertThat(Files.readString(logs.resolve("stdout.log.2"))).isEqualTo("second");
        assertThat(logs.resolve("stdout.log.3")).doesNotExist();
    }

    @Test
    void anAppendingWriterGoesOnAtTheStartAfterTheTruncation() throws Exception {
        Path out = logs.resolve("stdout.log");
        try (FileOutputStream writer = new FileOutputStream(out.toFile(), true)) { // O_APPEND, as the process's fd 1
            writer.write("x".repeat(2000).getBytes(StandardCharsets.UTF_8));
            LogRotation.rotateIfDue(out, KB_KEEP_2);
            writer.write("after\n".getBytes(StandardCharsets.UTF_8));
        }
        // no hole of 2000 zero bytes before it: the write landed at the new end
        assertThat(Files.readString(out)).isEqualTo("after\n");
        assertThat(logs.resolve("stdout.log.1")).hasSize(2000);
    }

    @Test
    void aSymbolicLinkInPlaceOfTheLogIsNeverTruncated(@TempDir Path elsewhere) throws Exception {
        Path precious = Files.writeString(elsewhere.resolve("users.properties"), "karaf = karaf,_g_:admingroup\n".repeat(100));
        Files.createSymbolicLink(logs.resolve("stdout.log"), precious);

        assertThat(LogRotation.rotateIfDue(logs.resolve("stdout.log"), KB_KEEP_2)).isFalse();
        assertThat(precious).hasSize(2900);
        assertThat(logs.resolve("stdout.log.1")).doesNotExist();
    }

    @Test
    void aHardLinkInPlaceOfTheLogIsNeverTruncated(@TempDir Path elsewhere) throws Exception {
        Path precious = Files.writeString(elsewhere.resolve("users.properties"), "x".repeat(2000));
        Files.createLink(logs.resolve("stderr.log"), precious);

        assertThat(LogRotation.rotateIfDue(logs.resolve("stderr.log"), KB_KEEP_2)).isFalse();
        assertThat(precious).hasSize(2000);
    }

    @Test
    void aFailuresMessageQuotesTheRotatedStderrWhenTheCurrentOneIsEmpty() throws Exception {
        log("stderr.log", "");
        log("stderr.log.1", "warming up\nout of memory\n");
        assertThat(ProcessJobRunner.stderrTail(logs)).isEqualTo(": out of memory");

        log("stderr.log", "disk full\n");
        assertThat(ProcessJobRunner.stderrTail(logs)).isEqualTo(": disk full");
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> new LogRotation.Settings(100, 3)).hasMessageContaining("maxLogBytes must be 0 (no rotation) or at least 1024");
        assertThatThrownBy(() -> new LogRotation.Settings(4096, 0)).hasMessageContaining("keepLogs must be between 1 and 100");
        assertThat(new LogRotation.Settings(0, 1).enabled()).isFalse();
    }

    @Test
    void aRunningJobsLogIsRotatedWhileItRunsAndItsLaterOutputLandsInTheNewFile() throws Exception {
        ProcessJobRunner runner = new ProcessJobRunner(2_000, 1024, 2);
        try {
            Path go = logs.resolve("go");
            // 3000 bytes, then waits (bounded, 20 s) for the test's go-ahead, then one more line
            JobHandle h = runner.submit(new JobRequest(1, "wf", "task", TaskKind.BATCH, Map.of("command",
                    "head -c 3000 /dev/zero | tr '\\000' a; i=0; while [ ! -f '" + go + "' ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; echo after"),
                    logs));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.size(logs.resolve("stdout.log")) == 3000);
            // the scheduler's poll: status() of a running job hands a too large log to the rotation thread
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                assertThat(runner.status(h).phase()).isEqualTo(JobState.Phase.RUNNING);
                return Files.exists(logs.resolve("stdout.log.1")) && Files.size(logs.resolve("stdout.log")) == 0;
            });
            Files.writeString(go, "");
            await().atMost(Duration.ofSeconds(20)).until(() -> runner.status(h).phase() != JobState.Phase.RUNNING);

            assertThat(runner.status(h).phase()).isEqualTo(JobState.Phase.SUCCEEDED);
            assertThat(Files.readString(logs.resolve("stdout.log.1"))).isEqualTo("a".repeat(3000));
            assertThat(Files.readString(logs.resolve("stdout.log"))).isEqualTo("after\n");
        } finally {
            runner.deactivate();
        }
    }
}
