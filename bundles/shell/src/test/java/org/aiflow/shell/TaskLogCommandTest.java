package org.aiflow.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class TaskLogCommandTest {

    @Test
    void showsAProcesssOutputFirstThenTheRunnersOwnLog() {
        assertThat(TaskLogCommand.defaultFile(List.of("exit_code", "pid", "stderr.log", "stdout.log"))).isEqualTo("stdout.log");
        assertThat(TaskLogCommand.defaultFile(List.of("flink-job-id", "flink-savepoint", "flink.log"))).isEqualTo("flink.log");
        assertThat(TaskLogCommand.defaultFile(List.of())).isEqualTo("stdout.log");
    }
}
