package org.aiflow.scheduler;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.ScheduleInfo;
import org.aiflow.api.execution.SnapshotInfo;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskLog;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatusChange;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.execution.WorkflowSnapshot;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.spi.policy.PolicyVerdict;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.spi.storage.Decision;
import org.aiflow.api.spi.storage.DecisionOutcome;
import org.aiflow.api.spi.storage.LeaderFence;
import org.aiflow.api.spi.storage.NewTaskExecution;
import org.aiflow.api.spi.storage.ScheduleState;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.workflow.Schedule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.WorkflowDefinition;

/**
 * The scheduling engine, independent of OSGi, and the {@link SchedulerService} facade over it. The
 * parts, each with one job: {@link SchedulerState} (what is known between events),
 * {@link EventDecider} (an event and the state into a plan), {@link Recorder} (every write, fenced
 * and with its status events), {@link JobMonitor} (dispatch, polling, re-attach, retries, timeouts,
 * stops), {@link ScheduleFirer} (cron and interval), {@link ExecutionFinisher} (ending executions)
 * and {@link SchedulerWorker} (the one thread that runs them, events in batches). Reads of the API
 * go to the store; changes run on the worker.
 */
public final class Scheduler implements SchedulerService, AutoCloseable {
    /** Cursor name of the scheduler's event consumer. */
    static final String CONSUMER = "scheduler";
    /** Named subscription that tells event retention what the scheduler still needs. */
    static final String SUBSCRIPTION = "aiflow-scheduler";

    private final SchedulerStore store;
    private final PluginRegistry<JobRunner> runners;
    private final PluginRegistry<ConditionType> conditions;
    private final PluginRegistry<SchedulingPolicy> policies;
    private final Path logRoot;
    private final SchedulerState state;
    private final Recorder recorder;
    private final PolicyReview review;
    private final JobMonitor monitor;
    private final ScheduleFirer schedules;
    private final SchedulerWorker worker;
    private final WorkflowValidator validator;
    /** The lease this node led with when it last started leading; null without a lease (one node). */
    private volatile LeaderFence fence;

    Scheduler(SchedulerStore store, NotificationService notifications, PluginRegistry<JobRunner> runners,
              PluginRegistry<ConditionType> conditions, PluginRegistry<SchedulingPolicy> policies, Path logRoot) {
        this(store, notifications, runners, conditions, policies, logRoot, new TaskTokens(), () -> PlatformUrl.standalone(null));
    }

    /**
     * @param tokens      the tasks' tokens (bound to a token service, or not)
     * @param platformUrl the platform's REST base given to each job as {@code AIFLOW_URL}, asked at each submit
     */
    Scheduler(SchedulerStore store, NotificationService notifications, PluginRegistry<JobRunner> runners,
              PluginRegistry<ConditionType> conditions, PluginRegistry<SchedulingPolicy> policies, Path logRoot,
              TaskTokens tokens, Supplier<String> platformUrl) {
        this.store = store;
        this.runners = runners;
        this.conditions = conditions;
        this.policies = policies;
        this.logRoot = logRoot;
        this.validator = new WorkflowValidator(conditions, policies);
        this.state = new SchedulerState(store, tokens, new TriggerEvents(store, notifications));
        this.recorder = new Recorder(store, state, () -> fence);
        this.review = new PolicyReview(policies, state::running, x -> state.definition(state.snapshotOf(x)));
        this.monitor = new JobMonitor(store, state, recorder, review, runners, tokens, platformUrl, this::logDirectory);
        EventDecider decider = new EventDecider(state, conditions, review);
        this.schedules = new ScheduleFirer(new ScheduleFirer.Host() {
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
        }, Clock.systemUTC());
        ExecutionFinisher finisher = new ExecutionFinisher(new ExecutionFinisher.Host() {
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
        });
        this.worker = new SchedulerWorker(notifications, state, recorder, decider, monitor, () -> {
            schedules.fire();
            finisher.finishExecutions();
        });
    }

    /**
     * A running scheduler outside OSGi, with the built-in condition types and policies and the given
     * job runners (by type): for embedding, tests and benchmarks. Close it to stop it.
     */
    public static Scheduler standalone(SchedulerStore store, NotificationService notifications, Map<String, JobRunner> jobRunners,
                                       Path logRoot, long tickMillis) {
        PluginRegistry<JobRunner> runners = new PluginRegistry<>(JobRunner.TYPE_PROPERTY);
        jobRunners.forEach((type, runner) -> runners.add(runner, Map.of(JobRunner.TYPE_PROPERTY, type)));
        PluginRegistry<ConditionType> conditions = new PluginRegistry<>(ConditionType.TYPE_PROPERTY);
        BuiltInConditions.register(conditions);
        PluginRegistry<SchedulingPolicy> policies = new PluginRegistry<>(SchedulingPolicy.NAME_PROPERTY);
        BuiltInPolicies.register(policies);
        Scheduler scheduler = new Scheduler(store, notifications, runners, conditions, policies, logRoot);
        scheduler.start(tickMillis);
        return scheduler;
    }

    /** Starts the worker's ticks; scheduling itself starts with {@link #lead}. */
    void startTicks(long tickMillis) {
        worker.startTicks(tickMillis);
        runners.onChange(worker::tickSoon);
    }

    /** Starts as the only scheduler on its store: resumes from the stored cursor, then follows new events. */
    void start(long tickMillis) {
        lead(null);
        startTicks(tickMillis);
    }

    /**
     * This node leads now: resumes from the stored cursor, replays the events not decided, then
     * follows new ones. Every write is fenced by {@code fence} from now on (a write after another node
     * took the lease fails and changes nothing).
     *
     * @param fence null without a lease (the only scheduler on its store)
     */
    void lead(LeaderFence fence) {
        this.fence = fence;
        worker.lead();
    }

    /** Another node leads now: this one stops deciding and dispatching. */
    void stepDown() {
        worker.stepDown();
    }

    boolean leading() {
        return worker.leading();
    }

    /** Runs {@code work} on the worker thread (tests: a paused worker). */
    void runOnWorker(Runnable work) {
        worker.execute(work);
    }

    /**
     * Asked before each job is started: false while this node cannot be sure it still holds the
     * lease (the job is then left QUEUED for whoever leads).
     */
    void leaseCheck(java.util.function.BooleanSupplier holdsLease) {
        monitor.leaseCheck(holdsLease);
    }

    /** Told when a write was refused because another node has taken the lease. */
    void onFenced(java.util.function.Consumer<String> listener) {
        worker.onFenced(listener);
    }

    @Override
    public void close() {
        runners.onChange(() -> { });
        worker.close();
    }

    // ---------------------------------------------------------------- workflows

    @Override
    public Workflow upload(WorkflowDefinition definition) {
        validator.validate(definition);
        return worker.onWorker(() -> {
            state.workflowsChanged();
            Optional<WorkflowDefinition> before = store.findWorkflow(definition.namespace(), definition.name())
                    .map(w -> state.definition(w.snapshotId()));
            Workflow saved = store.saveWorkflow(definition);
            before.ifPresent(old -> schedules.rescheduleChanged(saved, old, definition));
            return saved;
        });
    }

    @Override
    public WorkflowDefinition readWorkflow(String source, String document) {
        return SchedulerJson.readWorkflow(source, document);
    }

    @Override
    public Workflow upload(String source, String document) {
        WorkflowDefinition definition = SchedulerJson.readWorkflow(source, document);
        try {
            return upload(definition);
        } catch (ValidationException e) {
            throw new ValidationException(source + ": " + e.getMessage());
        }
    }

    @Override
    public List<Workflow> listWorkflows() {
        return store.listWorkflows();
    }

    @Override
    public Workflow workflow(String namespace, String name) {
        return store.findWorkflow(namespace, name).orElseThrow(() -> new NotFoundException("workflow", namespace + "/" + name));
    }

    @Override
    public WorkflowSnapshot snapshot(long snapshotId) {
        return store.findSnapshot(snapshotId).orElseThrow(() -> new NotFoundException("workflow snapshot", snapshotId));
    }

    @Override
    public List<SnapshotInfo> snapshots(String namespace, String name, Long beforeId, int limit) {
        if (limit < 1 || limit > MAX_SNAPSHOT_PAGE) {
            throw new ValidationException("limit must be between 1 and " + MAX_SNAPSHOT_PAGE + ", got " + limit);
        }
        return store.listSnapshots(workflow(namespace, name).id(), beforeId, limit);
    }

    @Override
    public void deleteWorkflow(String namespace, String name) {
        Workflow w = workflow(namespace, name);
        worker.onWorker(() -> {
            if (!store.listExecutions(ExecutionStatus.RUNNING, w.id(), 1).isEmpty()) {
                throw new ConflictException("workflow '" + w.namespace() + "/" + w.name() + "' has a running execution; stop it first");
            }
            store.deleteWorkflow(w.id());
            state.workflowsChanged();
            schedules.forget(w.id());
            return null;
        });
    }

    @Override
    public Workflow setEnabled(String namespace, String name, boolean enabled) {
        Workflow w = workflow(namespace, name);
        return worker.onWorker(() -> {
            state.workflowsChanged();
            schedules.forget(w.id()); // read again: an operator may have edited them
            return store.setWorkflowEnabled(w.id(), enabled).orElseThrow(() -> new NotFoundException("workflow", name));
        });
    }

    @Override
    public List<ScheduleInfo> schedules(String namespace, String workflowName) {
        return schedules.infos(workflow(namespace, workflowName));
    }

    @Override
    public ScheduleInfo pauseSchedule(String namespace, String workflowName, String scheduleName, boolean paused) {
        Workflow w = workflow(namespace, workflowName);
        Schedule s = schedules.schedule(w, scheduleName);
        return worker.onWorker(() -> schedules.pause(w, s, paused));
    }

    // ---------------------------------------------------------------- executions and tasks

    @Override
    public WorkflowExecution startExecution(String namespace, String name) {
        Workflow w = workflow(namespace, name);
        if (!w.enabled()) {
            throw new ConflictException("workflow '" + namespace + "/" + name + "' is disabled; enable it first");
        }
        return worker.onWorker(() -> {
            WorkflowDefinition def = state.definition(w.snapshotId());
            PolicyVerdict verdict = review.review(PolicyReview.executionStart(w.name(), def), state.attached());
            if (verdict.kind() != PolicyVerdict.Kind.PROCEED) {
                throw new ConflictException("workflow '" + namespace + "/" + name + "' cannot start now: " + verdict.reason());
            }
            DecisionOutcome outcome = recorder.record(new Decision(state.cursor, List.of(new Decision.NewExecution(w.id(),
                    w.snapshotId(), EventDecider.initialTasks(def, "started with the execution"))), null, null, null, null));
            monitor.dispatch();
            return outcome.executions().get(0);
        });
    }

    @Override
    public WorkflowExecution stopExecution(long executionId) {
        return worker.onWorker(() -> {
            WorkflowExecution x = execution(executionId);
            if (x.status().isFinal()) {
                return x;
            }
            state.activeTasks(executionId).forEach(t -> monitor.requestStop(t, "workflow execution stopped"));
            recorder.finish(executionId, ExecutionStatus.STOPPED);
            return execution(executionId);
        });
    }

    @Override
    public WorkflowExecution execution(long executionId) {
        return store.findExecution(executionId).orElseThrow(() -> new NotFoundException("workflow execution", executionId));
    }

    @Override
    public List<WorkflowExecution> listExecutions(String namespace, String name, int limit) {
        Long workflowId = name == null ? null : workflow(namespace, name).id();
        return store.listExecutions(null, workflowId, limit);
    }

    @Override
    public List<TaskExecution> listTasks(TaskQuery query) {
        return store.listTasks(query);
    }

    @Override
    public TaskExecution task(long taskExecutionId) {
        return store.findTask(taskExecutionId).orElseThrow(() -> new NotFoundException("task execution", taskExecutionId));
    }

    @Override
    public TaskExecution startTask(long executionId, String taskName) {
        return worker.onWorker(() -> queueByHand(executionId, taskName, false));
    }

    @Override
    public TaskExecution restartTask(long executionId, String taskName) {
        return worker.onWorker(() -> queueByHand(executionId, taskName, true));
    }

    /** Queues a new attempt of a task as a START (or, with {@code restart}, RESTART) rule would; on the worker. */
    private TaskExecution queueByHand(long executionId, String taskName, boolean restart) {
        WorkflowExecution x = execution(executionId);
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
        return task(queued.id());
    }

    @Override
    public TaskExecution stopTask(long taskExecutionId) {
        return worker.onWorker(() -> {
            monitor.requestStop(task(taskExecutionId), "stopped by hand");
            return task(taskExecutionId);
        });
    }

    @Override
    public List<String> taskLogFiles(long taskExecutionId) {
        task(taskExecutionId);
        return TaskLogs.files(logDirectory(taskExecutionId));
    }

    @Override
    public TaskLog taskLog(long taskExecutionId, String file, long offset, int maxBytes) {
        task(taskExecutionId);
        return TaskLogs.read(taskExecutionId, logDirectory(taskExecutionId), file, offset, maxBytes);
    }

    @Override
    public List<TaskStatusChange> taskHistory(long taskExecutionId) {
        task(taskExecutionId);
        return store.history(taskExecutionId);
    }

    @Override
    public List<String> runnerTypes() {
        return runners.names();
    }

    @Override
    public List<String> conditionTypes() {
        return conditions.names();
    }

    @Override
    public List<String> policies() {
        return policies.namesByRanking();
    }

    /** Where the logs of a task execution live. */
    public Path logDirectory(long taskExecutionId) {
        return logRoot.resolve("task-" + taskExecutionId);
    }
}
