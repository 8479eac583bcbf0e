package org.aiflow.sample.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.aiflow.api.spi.runner.JobHandle;
import org.aiflow.api.spi.runner.JobRequest;
import org.aiflow.api.spi.runner.JobState;
import org.aiflow.api.workflow.TaskKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleJobRunnerTest {
    @TempDir
    Path logs;
    private final SampleJobRunner runner = new SampleJobRunner();

    @AfterEach
    void stop() {
        runner.deactivate();
    }

    private JobHandle submit(Map<String, Object> config) throws Exception {
        return runner.submit(new JobRequest(1, "wf", "t", TaskKind.BATCH, config, logs));
    }

    @Test
    void jobsRunForTheirDurationThenSucceedOrFail() throws Exception {
        JobHandle ok = submit(Map.of("durationMillis", 50));
        JobHandle bad = submit(Map.of("durationMillis", 50, "fail", true));
        assertThat(runner.status(ok).phase()).isEqualTo(JobState.Phase.RUNNING);
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.status(ok).phase() == JobState.Phase.SUCCEEDED);
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.status(bad).phase() == JobState.Phase.FAILED);
        assertThat(Files.readAllLines(logs.resolve("sample.log"))).contains("slept 50 ms");
    }

    @Test
    void stoppedJobsReportStoppedAndForeignHandlesUnknown() throws Exception {
        JobHandle h = submit(Map.of("durationMillis", 60_000));
        runner.stop(h, false);
        assertThat(runner.status(h).phase()).isEqualTo(JobState.Phase.STOPPED);
        assertThat(new SampleJobRunner().status(h).phase()).isEqualTo(JobState.Phase.UNKNOWN);
    }

    @Test
    void badConfigurationIsRejected() {
        assertThatThrownBy(() -> submit(Map.of("duration", 1))).hasMessageContaining("unknown field 'duration'");
        assertThatThrownBy(() -> submit(Map.of("durationMillis", "soon"))).hasMessageContaining("non-negative number");
    }
}
