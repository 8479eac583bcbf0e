package org.aiflow.scheduler;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.spi.policy.PolicyVerdict;
import org.aiflow.api.spi.storage.Decision;
import org.aiflow.api.spi.storage.DecisionOutcome;
import org.aiflow.api.spi.storage.NewTaskExecution;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.workflow.Schedule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.WorkflowDefinition;


/**
 * The changes the service API asks of the scheduler, run on the leader's worker thread: on this node
 * when it leads, else sent to the leader through the store ({@link CommandRelay}). A command's
 * arguments and answer are strings (ids, names, a workflow definition as JSON), so both ways run the
 * same code; the caller reads the changed entity from the store by the id answered.
 */
final class SchedulerCommands {
    enum Name {
        UPLOAD, DELETE_WORKFLOW, SET_ENABLED, PAUSE_SCHEDULE, START_EXECUTION, STOP_EXECUTION, START_TASK, RESTART_TASK, STOP_TASK
    }

    private final SchedulerStore store;
    private final SchedulerState state;
    private final Recorder recorder;
    private final JobMonitor monitor;
    private final PolicyReview review;
    private final ScheduleFirer schedules;
    private final WorkflowValidator validator;

    SchedulerCommands(SchedulerStore store, SchedulerState state, Recorder recorder, JobMonitor monitor, PolicyReview review,
                      ScheduleFirer schedules, WorkflowValidator validator) {
        this.store = store;
        this.state = state;
        this.recorder = recorder;
        this.monitor = monitor;
        this.review = review;
        this.schedules = schedules;
        this.validator = validator;
    }

    /** Runs a command; worker thread only. @return its answer: the id of what it changed, or empty */
    String run(Name name, Map<String, String> a) {
        return switch (name) {
            case UPLOAD -> Long.toString(upload(SchedulerJson.readDefinition(a.get("definition"))).id());
            case DELETE_WORKFLOW -> {
                deleteWorkflow(workflow(a));
                yield "";
            }
            case SET_ENABLED -> Long.toString(setEnabled(workflow(a), Boolean.parseBoolean(a.get("enabled"))).id());
            case PAUSE_SCHEDULE -> {
                Workflow w = workflow(a);
                schedules.pause(w, schedules.schedule(w, a.get("schedule")), Boolean.parseBoolean(a.get("paused")));
                yield "";
            }
            case START_EXECUTION -> Long.toString(startExecution(workflow(a)).id());
            case STOP_EXECUTION -> Long.toString(stopExecution(id(a, "execution")));
            case START_TASK -> Long.toString(queueByHand(id(a, "execution"), a.get("task"), false).id());
            case RESTART_TASK -> Long.toString(queueByHand(id(a, "execution"), a.get("task"), true).id());
            case STOP_TASK -> {
                long id = id(a, "task");
                monitor.requestStop(task(id), "stopped by hand");
                yield Long.toString(id);
            }
        };
    }

    private static long id(Map<String, String> a, String name) {
        return Long.parseLong(a.get(name));
    }

    private Workflow workflow(Map<String, String> a) {
        String namespace = a.get("namespace");
        String name = a.get("name");
        return store.findWorkflow(namespace, name).orElseThrow(() -> new NotFoundException("workflow", namespace + "/" + name));
    }

    private TaskExecution task(long id) {
        return store.findTask(id).orElseThrow(() -> new NotFoundException("task execution", id));
    }

    private Workflow upload(WorkflowDefinition definition) {
        validator.validate(definition);
        state.workflowsChanged();
        Optional<WorkflowDefinition> before = store.findWorkflow(definition.namespace(), definition.name())
                .map(w -> state.definition(w.snapshotId()));
        Workflow saved = store.saveWorkflow(definition);
        before.ifPresent(old -> schedules.rescheduleChanged(saved, old, definition));
        return saved;
    }

    private void deleteWorkflow(Workflow w) {
        if (!store.listExecutions(ExecutionStatus.RUNNING, w.id(), 1).isEmpty()) {
            throw new ConflictException("workflow '" + w.namespace() + "/" + w.name() + "' has a running execution; stop it first");
        }
        store.deleteWorkflow(w.id());
        state.workflowsChanged();
        schedules.forget(w.id());
    }

    private Workflow setEnabled(Workflow w, boolean enabled) {
        state.workflowsChanged();
        schedules.forget(w.id()); // read again: an operator may have edited them
        return store.setWorkflowEnabled(w.id(), enabled).orElseThrow(() -> new NotFoundException("workflow", w.name()));
    }

    private WorkflowExecution startExecution(Workflow w) {
        if (!w.enabled()) {
            throw new ConflictException("workflow '" + w.namespace() + "/" + w.name() + "' is disabled; enable it first");
        }
        WorkflowDefinition def = state.definition(w.snapshotId());
        PolicyVerdict verdict = review.review(PolicyReview.executionStart(w.name(), def), state.attached());
        if (verdict.kind() != PolicyVerdict.Kind.PROCEED) {
            throw new ConflictException("workflow '" + w.namespace() + "/" + w.name() + "' cannot start now: " + verdict.reason());
        }
        DecisionOutcome outcome = recorder.record(new Decision(state.cursor, List.of(new Decision.NewExecution(w.id(),
                w.snapshotId(), EventDecider.initialTasks(def, "started with the execution"))), null, null, null, null));
        monitor.dispatch();
        return outcome.executions().get(0);
    }

    private long stopExecution(long executionId) {
        WorkflowExecution x = store.findExecution(executionId).orElseThrow(() -> new NotFoundException("workflow execution", executionId));
        if (!x.status().isFinal()) {
            state.activeTasks(executionId).forEach(t -> monitor.requestStop(t, "workflow execution stopped"));
            recorder.finish(executionId, ExecutionStatus.STOPPED);
        }
        return executionId;
    }

    /** Queues a new attempt of a task as a START (or, with {@code restart}, RESTART) rule would. */
    private TaskExecution queueByHand(long executionId, String taskName, boolean restart) {
        WorkflowExecution x = store.findExecution(executionId).orElseThrow(() -> new NotFoundException("workflow execution", executionId));
        if (x.status().isFinal()) {
            throw new ConflictException("workflow execution " + executionId + " has ended (" + x.status() + ")");
        }
        TaskDefinition task = state.definition(x.snapshotId()).task(taskName)
                .orElseThrow(() -> new NotFoundException("task '" + taskName + "' is not part of workflow execution " + executionId));
        List<TaskExecution> active = state.activeTasks(executionId).stream().filter(t -> t.taskName().equals(taskName)).toList();
        if (!restart && !active.isEmpty()) {
            throw new ConflictException("task '" + taskName + "' is already " + active.get(0).status()
                    + " (task execution " + active.get(0).id() + "); restart it instead");
        }
        String reason = (restart ? "restarted" : "started") + " by hand";
        TaskExecution queued = recorder.record(new Decision(state.cursor, null,
                List.of(new NewTaskExecution(x.id(), x.workflowName(), taskName, task.job().runnerType(), reason)), null, null, null))
                .queued().get(0);
        active.forEach(t -> monitor.requestStop(t, reason));
        monitor.dispatch();
        return queued;
    }

    /** Checks a schedule exists before a pause is sent anywhere. */
    Schedule schedule(Workflow w, String scheduleName) {
        return schedules.schedule(w, scheduleName);
    }
}
