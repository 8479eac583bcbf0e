package org.aiflow.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;

import javax.security.auth.Subject;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskLog;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.scheduler.SchedulerService;
import org.junit.jupiter.api.Test;

class TaskLogCommandTest {
    private static final Subject ADMIN = TestConsole.user("alice", "admin");

    @Test
    void showsAProcesssOutputFirstThenTheRunnersOwnLog() {
        assertThat(TaskLogCommand.defaultFile(List.of("exit_code", "pid", "stderr.log", "stdout.log"))).isEqualTo("stdout.log");
        assertThat(TaskLogCommand.defaultFile(List.of("flink-job-id", "flink-savepoint", "flink.log"))).isEqualTo("flink.log");
        // a Flink job that has not printed yet, or failed: the runner's account, not Flink's own log or the bare cause
        assertThat(TaskLogCommand.defaultFile(List.of("flink-failure.log", "flink-job-id", "flink-job.log", "flink.log"))).isEqualTo("flink.log");
        assertThat(TaskLogCommand.defaultFile(List.of("flink-job-id", "flink-job.log", "flink.log", "stderr.log", "stdout.log")))
                .isEqualTo("stdout.log");
        assertThat(TaskLogCommand.defaultFile(List.of())).isEqualTo("stdout.log");
    }

    /** The process runner rotates by copy-truncate: the followed file shrinks, and following goes on at its start. */
    @Test
    void followGoesOnFromTheStartOfARotatedFile() throws Exception {
        String[] content = {"before\n"};
        boolean[] rotated = {false};
        SchedulerService scheduler = (SchedulerService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SchedulerService.class}, (p, m, args) -> switch (m.getName()) {
                    case "task" -> new TaskExecution(5, 1, "ml", "wf", "t", 1, "process",
                            rotated[0] ? TaskStatus.SUCCESS : TaskStatus.RUNNING, null, "", Instant.now(), Instant.now());
                    case "taskLogFiles" -> List.of("stdout.log", "stdout.log.1");
                    case "taskLog" -> {
                        long offset = (Long) args[2];
                        if (offset > 0 && !rotated[0]) {
                            rotated[0] = true; // copied to stdout.log.1 and truncated; the process wrote on
                            content[0] = "after\n";
                        }
                        String text = content[0];
                        int start = (int) (offset < 0 ? Math.max(0, text.length() + offset) : Math.min(offset, text.length()));
                        int end = Math.min(text.length(), start + (Integer) args[3]);
                        yield new TaskLog(5, (String) args[1], start, end, text.length(), text.substring(start, end));
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        TestConsole console = new TestConsole();
        TaskLogCommand command = console.wire(new TaskLogCommand());
        command.scheduler = scheduler;
        command.id = 5;
        command.file = "stdout.log";
        command.tail = 0;
        command.follow = true;

        TestConsole.Result result = console.run(ADMIN, command);

        assertThat(result.error()).isNull();
        assertThat(result.out()).isEqualTo("before\n-- stdout.log was rotated; earlier output is in stdout.log.1\nafter\n"
                + "-- task execution 5 ended: SUCCESS\n");
    }
}
