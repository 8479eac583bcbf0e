package org.aiflow.scheduler;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.aiflow.api.event.NotificationService;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.spi.storage.Decision;
import org.aiflow.api.spi.storage.LeaderFence;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;

/**
 * The scheduler's parts wired as {@link Scheduler} wires them, over an {@link InMemorySchedulerStore}
 * and a {@link FakeJobRunner}, with the built-in conditions and policies: no database, no OSGi. Used
 * from one thread (the test's, standing in for the worker) unless a {@link SchedulerWorker} runs them.
 */
final class SchedulerParts {
    final InMemorySchedulerStore store = new InMemorySchedulerStore();
    final FakeJobRunner runner = new FakeJobRunner();
    final PluginRegistry<JobRunner> runners = new PluginRegistry<>(JobRunner.TYPE_PROPERTY);
    final PluginRegistry<ConditionType> conditions = ConditionFixtures.builtInConditions();
    final PluginRegistry<SchedulingPolicy> policies = new PluginRegistry<>(SchedulingPolicy.NAME_PROPERTY);
    final TaskTokens tokens = new TaskTokens();
    final SchedulerStats stats = new SchedulerStats();
    final SchedulerState state;
    final Recorder recorder;
    final PolicyReview review;
    final JobMonitor monitor;
    final EventDecider decider;
    /** The fence the recorder's writes carry; null: none (one node). */
    volatile LeaderFence fence;

    final NotificationService notifications;

    /**
     * @param notifications the event service over the store; only the event of a task queued by an
     *                      earlier instance is asked of it, so it may give null if no test needs that
     */
    SchedulerParts(Path logRoot, Function<InMemorySchedulerStore, NotificationService> notifications) {
        this.notifications = notifications.apply(store);
        runners.add(runner, Map.of(JobRunner.TYPE_PROPERTY, FakeJobRunner.TYPE));
        BuiltInPolicies.register(policies);
        state = new SchedulerState(store, tokens, new TriggerEvents(store, this.notifications));
        recorder = new Recorder(store, state, () -> fence);
        review = new PolicyReview(policies, state::running, state::definitionOfExecution);
        monitor = new JobMonitor(store, state, recorder, review, runners, tokens, () -> "http://localhost:8181/api",
                id -> logRoot.resolve("task-" + id), JobSubmitter.direct(tokens, stats));
        decider = new EventDecider(state, conditions, review);
    }

    /** Workflow {@code team/wf} with one task {@code t} run by the fake runner, starting with its execution. */
    static WorkflowDefinition oneTask(Map<String, Object> taskOptions) {
        return new WorkflowDefinition("team", "wf", null, List.of(new TaskDefinition("t", TaskKind.BATCH,
                new JobSpec(FakeJobRunner.TYPE, Map.of()), List.of(), List.of(), taskOptions)));
    }

    /** Stores the workflow and starts an execution of it through the recorder (as a manual start does). */
    TaskExecution startExecution(WorkflowDefinition def) {
        Workflow w = store.saveWorkflow(def);
        state.workflowsChanged();
        return recorder.record(new Decision(state.cursor, List.of(new Decision.NewExecution(w.id(), w.snapshotId(),
                EventDecider.initialTasks(def, "started by the test"))), null, null, null, null)).queued().get(0);
    }

    TaskExecution stored(long taskExecutionId) {
        return store.findTask(taskExecutionId).orElseThrow();
    }

    /** Every attempt of a task of an execution, oldest first. */
    List<TaskExecution> attempts(long executionId, String taskName) {
        return store.listTasks(new TaskQuery(null, executionId, null, 10_000)).stream().filter(t -> t.taskName().equals(taskName))
                .sorted((a, b) -> Integer.compare(a.attempt(), b.attempt())).toList();
    }
}
