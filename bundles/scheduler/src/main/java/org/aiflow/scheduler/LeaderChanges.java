package org.aiflow.scheduler;

import java.util.Map;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.execution.ScheduleInfo;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.workflow.Schedule;
import org.aiflow.api.workflow.WorkflowDefinition;

/**
 * The changes of the {@link org.aiflow.api.scheduler.SchedulerService} API: each is checked against
 * the store, turned into a {@link SchedulerCommands} command and run on the leader, on this node's
 * worker when it leads, else through the store ({@link CommandRelay}); the answer is read back from
 * the store.
 */
final class LeaderChanges {
    private final SchedulerReads reads;
    private final SchedulerWorker worker;
    private final SchedulerCommands commands;
    private final WorkflowValidator validator;
    private final ScheduleFirer schedules;
    /** How changes reach the leader when this node does not lead; null: only this node schedules. */
    private volatile CommandRelay relay;

    LeaderChanges(SchedulerReads reads, SchedulerWorker worker, SchedulerCommands commands, WorkflowValidator validator,
                  ScheduleFirer schedules) {
        this.reads = reads;
        this.worker = worker;
        this.commands = commands;
        this.validator = validator;
        this.schedules = schedules;
    }

    /** The relay in use, or null. */
    CommandRelay relay() {
        return relay;
    }

    void relayThrough(CommandRelay r) {
        this.relay = r;
    }

    Workflow upload(WorkflowDefinition definition) {
        validator.validate(definition);
        change(SchedulerCommands.Name.UPLOAD, Map.of("definition", SchedulerJson.writeDefinition(definition)));
        return reads.workflow(definition.namespace(), definition.name());
    }

    void deleteWorkflow(String namespace, String name) {
        Workflow w = reads.workflow(namespace, name);
        change(SchedulerCommands.Name.DELETE_WORKFLOW, Map.of("namespace", w.namespace(), "name", w.name()));
    }

    Workflow setEnabled(String namespace, String name, boolean enabled) {
        Workflow w = reads.workflow(namespace, name);
        change(SchedulerCommands.Name.SET_ENABLED, Map.of("namespace", w.namespace(), "name", w.name(), "enabled", Boolean.toString(enabled)));
        return reads.workflow(namespace, name);
    }

    ScheduleInfo pauseSchedule(String namespace, String workflowName, String scheduleName, boolean paused) {
        Workflow w = reads.workflow(namespace, workflowName);
        Schedule s = commands.schedule(w, scheduleName);
        change(SchedulerCommands.Name.PAUSE_SCHEDULE, Map.of("namespace", w.namespace(), "name", w.name(), "schedule", s.name(),
                "paused", Boolean.toString(paused)));
        return schedules.infos(w).stream().filter(i -> i.name().equals(s.name())).findFirst()
                .orElseThrow(() -> new NotFoundException("schedule", scheduleName));
    }

    WorkflowExecution startExecution(String namespace, String name) {
        Workflow w = reads.workflow(namespace, name);
        if (!w.enabled()) {
            throw new ConflictException("workflow '" + namespace + "/" + name + "' is disabled; enable it first");
        }
        return reads.execution(Long.parseLong(change(SchedulerCommands.Name.START_EXECUTION,
                Map.of("namespace", w.namespace(), "name", w.name()))));
    }

    WorkflowExecution stopExecution(long executionId) {
        reads.execution(executionId);
        return reads.execution(Long.parseLong(change(SchedulerCommands.Name.STOP_EXECUTION,
                Map.of("execution", Long.toString(executionId)))));
    }

    TaskExecution startTask(long executionId, String taskName) {
        return reads.task(Long.parseLong(change(SchedulerCommands.Name.START_TASK,
                Map.of("execution", Long.toString(executionId), "task", taskName))));
    }

    TaskExecution restartTask(long executionId, String taskName) {
        return reads.task(Long.parseLong(change(SchedulerCommands.Name.RESTART_TASK, Map.of("execution", Long.toString(executionId),
                "task", taskName))));
    }

    TaskExecution stopTask(long taskExecutionId) {
        reads.task(taskExecutionId);
        return reads.task(Long.parseLong(change(SchedulerCommands.Name.STOP_TASK, Map.of("task", Long.toString(taskExecutionId)))));
    }

    /**
     * Runs a change on the leader: on this node's worker when it leads, else through the store
     * ({@link CommandRelay}); returns the command's answer.
     */
    private String change(SchedulerCommands.Name name, Map<String, String> arguments) {
        CommandRelay r = relay;
        if (r == null || worker.leading()) {
            try {
                return worker.onWorker(() -> commands.run(name, arguments));
            } catch (SchedulerWorker.NotLeading e) {
                if (r == null) {
                    throw e;
                }
            }
        }
        return r.forward(name, arguments);
    }
}
