package org.aiflow.scheduler;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.spi.storage.ScheduleState;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.workflow.WorkflowDefinition;

/** What the {@link ScheduleFirer} and the {@link ExecutionFinisher} get from the scheduler around them: its state and its writes. */
final class PartHosts {
    private PartHosts() {
    }

    static ScheduleFirer.Host schedules(SchedulerState state, Recorder recorder, SchedulerStore store, NotificationService notifications) {
        return new ScheduleFirer.Host() {
            @Override
            public Collection<Workflow> workflows() {
                return state.workflows();
            }

            @Override
            public WorkflowDefinition definition(long snapshotId) {
                return state.definition(snapshotId);
            }

            @Override
            public void publish(EventDraft fired) {
                notifications.publish(fired);
            }

            @Override
            public Optional<ScheduleState> loadState(long workflowId, String scheduleName) {
                return store.scheduleState(workflowId, scheduleName);
            }

            @Override
            public void saveState(ScheduleState s) {
                recorder.saveScheduleState(s);
            }
        };
    }

    static ExecutionFinisher.Host finisher(SchedulerState state, Recorder recorder) {
        return new ExecutionFinisher.Host() {
            @Override
            public boolean statusChangesUndecided() {
                return state.cursor < state.lastStatusVersion;
            }

            @Override
            public List<WorkflowExecution> running() {
                return state.running();
            }

            @Override
            public WorkflowDefinition definition(long snapshotId) {
                return state.definition(snapshotId);
            }

            @Override
            public Map<String, TaskExecution> latestTasks(long executionId) {
                return state.latestTasks(executionId);
            }

            @Override
            public void finish(long executionId, ExecutionStatus status) {
                recorder.finish(executionId, status);
            }
        };
    }
}
