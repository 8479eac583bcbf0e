package org.aiflow.runner.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.aiflow.api.spi.runner.JobHandle;
import org.aiflow.api.spi.runner.JobRequest;
import org.aiflow.api.spi.runner.JobRunnerException;
import org.aiflow.api.spi.runner.JobState;
import org.aiflow.api.workflow.TaskKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessJobRunnerTest {
    @TempDir
    Path logs;
    private final ProcessJobRunner runner = new ProcessJobRunner(2_000);

    @AfterEach
    void stopRunner() {
        runner.deactivate();
    }

    private JobHandle submit(Map<String, Object> config) throws JobRunnerException {
        return runner.submit(new JobRequest(1, "wf", "task", TaskKind.BATCH, config, logs));
    }

    private JobState awaitEnd(ProcessJobRunner r, JobHandle handle) {
        await().atMost(Duration.ofSeconds(20)).until(() -> r.status(handle).phase() != JobState.Phase.RUNNING);
        return r.status(handle);
    }

    @Test
    void commandSucceedsAndWritesItsOutputToTheLog() throws Exception {
        JobHandle h = submit(Map.of("command", "echo \"hello $GREETING\" from $AIFLOW_TASK", "env", Map.of("GREETING", "world")));
        assertThat(awaitEnd(runner, h)).isEqualTo(new JobState(JobState.Phase.SUCCEEDED, "exit code 0"));
        assertThat(Files.readString(logs.resolve("stdout.log"))).isEqualTo("hello world from task\n");
    }

    @Test
    void theTaskEnvironmentIsTheProcessEnvironmentAndWinsOverTheJobsEnv() throws Exception {
        Map<String, String> task = Map.ofEntries(Map.entry("AIFLOW_URL", "http://127.0.0.1:8181/aiflow/v1"),
                Map.entry("AIFLOW_TOKEN", "secret-token-123"), Map.entry("AIFLOW_WORKFLOW_EXECUTION_ID", "7"),
                Map.entry("AIFLOW_EVENT_FILE", logs.resolve("event.json").toString()), Map.entry("AIFLOW_EVENT_VERSION", "42"),
                Map.entry("AIFLOW_EVENT_NAMESPACE", "churn"), Map.entry("AIFLOW_EVENT_KEY", "model a"),
                Map.entry("AIFLOW_EVENT_TYPE", "MODEL_DEPLOYED"));
        JobRequest request = new JobRequest(11, "churn", "wf", "task", TaskKind.BATCH,
                Map.of("args", List.of("/usr/bin/env"), "env", Map.of("AIFLOW_TOKEN", "spoofed", "AIFLOW_NAMESPACE", "other", "MINE", "1")),
                logs, task);
        JobHandle h = runner.submit(request);
        assertThat(awaitEnd(runner, h).phase()).isEqualTo(JobState.Phase.SUCCEEDED);

        List<String> env = Files.readAllLines(logs.resolve("stdout.log"));
        assertThat(env).contains("AIFLOW_URL=http://127.0.0.1:8181/aiflow/v1", "AIFLOW_TOKEN=secret-token-123",
                "AIFLOW_NAMESPACE=churn", "AIFLOW_WORKFLOW=wf", "AIFLOW_WORKFLOW_EXECUTION_ID=7", "AIFLOW_TASK=task",
                "AIFLOW_TASK_EXECUTION_ID=11", "AIFLOW_EVENT_FILE=" + logs.resolve("event.json"), "AIFLOW_EVENT_VERSION=42",
                "AIFLOW_EVENT_NAMESPACE=churn", "AIFLOW_EVENT_KEY=model a", "AIFLOW_EVENT_TYPE=MODEL_DEPLOYED", "MINE=1");
        assertThat(env).doesNotContain("AIFLOW_TOKEN=spoofed", "AIFLOW_NAMESPACE=other");
        // the token is in the process environment only: not on the wrapper's command line, not in the handle
        assertThat(h.toString()).doesNotContain("secret-token-123");
        assertThat(request.toString()).doesNotContain("secret-token-123").contains("AIFLOW_TOKEN=***");
        for (String file : List.of("stderr.log", "exit_code", "pid")) {
            assertThat(Files.readString(logs.resolve(file))).doesNotContain("secret-token-123");
        }
    }

    @Test
    void aRequestWithoutATaskEnvironmentStillNamesTheTask() throws Exception {
        JobHandle h = submit(Map.of("command", "echo \"$AIFLOW_NAMESPACE/$AIFLOW_WORKFLOW/$AIFLOW_TASK/$AIFLOW_TASK_EXECUTION_ID [$AIFLOW_TOKEN]\""));
        assertThat(awaitEnd(runner, h).phase()).isEqualTo(JobState.Phase.SUCCEEDED);
        assertThat(Files.readString(logs.resolve("stdout.log"))).isEqualTo("default/wf/task/1 []\n");
    }

    @Test
    void argsRunWithoutAShellAndExitCodesFailWithTheLastStderrLine() throws Exception {
        JobHandle h = submit(Map.of("args", List.of("/bin/sh", "-c", "echo boom >&2; exit 3")));
        JobState s = awaitEnd(runner, h);
        assertThat(s.phase()).isEqualTo(JobState.Phase.FAILED);
        assertThat(s.message()).isEqualTo("exit code 3: boom");
    }

    @Test
    void aNewRunnerInstanceReattachesByHandle() throws Exception {
        Path gate = logs.resolve("gate");
        JobHandle h = submit(Map.of("command", "while [ ! -f '" + gate + "' ]; do sleep 0.05; done"));
        ProcessJobRunner restarted = new ProcessJobRunner(2_000);
        try {
            assertThat(restarted.status(h).phase()).isEqualTo(JobState.Phase.RUNNING);
            Files.writeString(gate, "go");
            assertThat(awaitEnd(restarted, h).phase()).isEqualTo(JobState.Phase.SUCCEEDED);
        } finally {
            restarted.deactivate();
        }
    }

    @Test
    void stopEndsTheProcessTree() throws Exception {
        JobHandle h = submit(Map.of("command", "sleep 300 & sleep 300; wait"));
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(Long.parseLong(h.jobId()))
                .map(p -> p.descendants().count() >= 2).orElse(false));
        List<ProcessHandle> tree = ProcessHandle.of(Long.parseLong(h.jobId())).orElseThrow().descendants().toList();
        runner.stop(h, false);
        assertThat(awaitEnd(runner, h).phase()).isEqualTo(JobState.Phase.STOPPED);
        await().atMost(Duration.ofSeconds(10)).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void aVanishedProcessIsUnknown() {
        JobHandle h = new JobHandle("process", "999999999", Map.of("logDirectory", logs.toString()));
        assertThat(runner.status(h).phase()).isEqualTo(JobState.Phase.UNKNOWN);
    }

    @Test
    void badConfigurationIsRejectedClearly() {
        assertThatThrownBy(() -> submit(Map.of())).hasMessageContaining("exactly one of 'command'");
        assertThatThrownBy(() -> submit(Map.of("command", "x", "args", List.of("y")))).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> submit(Map.of("command", "x", "cmd", "y"))).hasMessageContaining("unknown field 'cmd'");
        assertThatThrownBy(() -> submit(Map.of("args", List.of(1)))).hasMessageContaining("list of strings");
        assertThatThrownBy(() -> submit(Map.of("command", "true", "workingDirectory", "/no/such/dir"))).hasMessageContaining("not a directory");
    }

    @Test
    void aMissingProgramFailsTheJob() throws Exception {
        JobHandle h = submit(Map.of("args", List.of("/no/such/program")));
        JobState s = awaitEnd(runner, h);
        assertThat(s.phase()).isEqualTo(JobState.Phase.FAILED);
        assertThat(s.message()).startsWith("exit code 127");
    }
}
