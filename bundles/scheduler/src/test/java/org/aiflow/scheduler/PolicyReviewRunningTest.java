package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.junit.jupiter.api.Test;

/** What the policies see running during one dispatch: counted once, kept up to date as tasks start. */
class PolicyReviewRunningTest {
    private static TaskExecution task(long id, String workflow, String task, TaskStatus status) {
        Instant now = Instant.now();
        return new TaskExecution(id, 1, "default", workflow, task, 1, "process", status, null, "", now, now);
    }

    private static WorkflowExecution execution(long id, String workflow) {
        return new WorkflowExecution(id, 1, "default", workflow, 1, ExecutionStatus.RUNNING, Instant.now(), null);
    }

    @Test
    void countsAttachedAttemptsPerTaskButNotThoseWaitingForTheirRunner() {
        List<WorkflowExecution> executions = List.of(execution(1, "wf"), execution(2, "wf"), execution(3, "other"));
        AtomicInteger reads = new AtomicInteger();
        PolicyReview review = new PolicyReview(new PluginRegistry<>(SchedulingPolicy.NAME_PROPERTY), () -> {
            reads.incrementAndGet();
            return executions;
        }, id -> null);
        List<TaskExecution> attached = new ArrayList<>(List.of(task(1, "wf", "train", TaskStatus.RUNNING),
                task(2, "wf", "train", TaskStatus.STOPPING), task(3, "wf", "train", TaskStatus.WAITING),
                task(4, "wf", "score", TaskStatus.RUNNING), task(5, "wf2", "train", TaskStatus.RUNNING)));
        PolicyReview.Running running = review.running(attached);
        assertThat(running.runningTasks("wf", "train")).isEqualTo(2);
        assertThat(running.runningTasks("wf", "score")).isEqualTo(1);
        assertThat(running.runningTasks("wf2", "train")).isEqualTo(1);
        assertThat(running.runningTasks("wf", "missing")).isZero();

        running.add(task(6, "wf", "score", TaskStatus.QUEUED)); // being started by this dispatch: it counts from now on
        assertThat(running.runningTasks("wf", "score")).isEqualTo(2);

        assertThat(reads).as("executions are read only when a policy asks").hasValue(0);
        assertThat(running.runningExecutions("wf")).isEqualTo(2);
        assertThat(running.runningExecutions("other")).isEqualTo(1);
        assertThat(running.runningExecutions("none")).isZero();
        assertThat(reads).as("and once a dispatch").hasValue(1);
    }
}
