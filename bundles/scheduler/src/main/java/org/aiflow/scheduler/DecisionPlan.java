package org.aiflow.scheduler;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.spi.storage.Decision;
import org.aiflow.api.spi.storage.NewTaskExecution;
import org.aiflow.api.spi.storage.RuleState;

/** What one event makes the scheduler do, gathered by the {@link EventDecider} before it is stored in one transaction. */
final class DecisionPlan {
    final List<Decision.NewExecution> executions = new ArrayList<>();
    final List<NewTaskExecution> tasks = new ArrayList<>();
    final List<RuleState> states = new ArrayList<>();
    final Map<Long, Decision.Transition> stops = new LinkedHashMap<>();
    final Set<Long> executionsToStop = new HashSet<>();

    boolean isEmpty() {
        return executions.isEmpty() && tasks.isEmpty() && states.isEmpty() && stops.isEmpty() && executionsToStop.isEmpty();
    }

    boolean queued(long executionId, String taskName) {
        return tasks.stream().anyMatch(n -> n.workflowExecutionId() == executionId && n.taskName().equals(taskName));
    }

    /** Stops an attempt: STOPPING if a job runs for it, else STOPPED at once. */
    void stop(TaskExecution t, String why) {
        boolean jobless = t.handle() == null || t.status() == TaskStatus.RETRYING;
        if (t.status() != TaskStatus.STOPPING) {
            stops.putIfAbsent(t.id(), Decision.Transition.of(t, jobless ? TaskStatus.STOPPED : TaskStatus.STOPPING, why));
        }
    }

    /** The plan as a decision that moves the cursor to {@code version}. */
    Decision toDecision(long version) {
        return new Decision(version, executions, tasks, states, List.copyOf(stops.values()), List.copyOf(executionsToStop));
    }
}
