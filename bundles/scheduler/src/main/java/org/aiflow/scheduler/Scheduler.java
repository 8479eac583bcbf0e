package org.aiflow.scheduler;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.NotificationService;
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
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.spi.storage.LeaderFence;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.stats.SchedulerStatistics;
import org.aiflow.api.workflow.WorkflowDefinition;

/**
 * The scheduling engine, independent of OSGi, and the {@link SchedulerService} facade over it. The
 * parts, each with one job: {@link SchedulerState} (what is known between events),
 * {@link EventDecider} (an event and the state into a plan), {@link Recorder} (every write, fenced
 * and with its status events), {@link JobMonitor} (dispatch, polling, re-attach, retries, timeouts,
 * stops), {@link ScheduleFirer} (cron and interval), {@link ExecutionFinisher} (ending executions)
 * and {@link SchedulerWorker} (the one thread that runs them, events in batches). Reads of the API
 * go to the store ({@link SchedulerReads}); changes run on the leader's worker ({@link LeaderChanges}).
 */
public final class Scheduler implements SchedulerService, AutoCloseable {
    /** Cursor name of the scheduler's event consumer. */
    static final String CONSUMER = "scheduler";
    /** Named subscription that tells event retention what the scheduler still needs. */
    static final String SUBSCRIPTION = "aiflow-scheduler";

    private final PluginRegistry<JobRunner> runners;
    private final PluginRegistry<ConditionType> conditions;
    private final PluginRegistry<SchedulingPolicy> policies;
    private final SchedulerState state;
    private final Recorder recorder;
    private final PolicyReview review;
    private final JobMonitor monitor;
    private final JobSubmitter submitter;
    private final ScheduleFirer schedules;
    private final SchedulerWorker worker;
    private final SchedulerCommands commands;
    private final SchedulerStats stats;
    private final SchedulerReads reads;
    private final LeaderChanges changes;
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
        this(store, notifications, runners, conditions, policies, logRoot, tokens, platformUrl, new SchedulerStats());
    }

    /** @param stats where decision latency, the queue and failed submits are recorded (the bundle's in OSGi, kept across re-creations) */
    Scheduler(SchedulerStore store, NotificationService notifications, PluginRegistry<JobRunner> runners,
              PluginRegistry<ConditionType> conditions, PluginRegistry<SchedulingPolicy> policies, Path logRoot,
              TaskTokens tokens, Supplier<String> platformUrl, SchedulerStats stats) {
        this.stats = stats;
        this.runners = runners;
        this.conditions = conditions;
        this.policies = policies;
        this.reads = new SchedulerReads(store, logRoot);
        WorkflowValidator validator = new WorkflowValidator(conditions, policies);
        this.state = new SchedulerState(store, tokens, new TriggerEvents(store, notifications));
        this.recorder = new Recorder(store, state, () -> fence);
        this.review = new PolicyReview(policies, state::running, state::definitionOfExecution);
        this.submitter = JobSubmitter.threaded(tokens, stats);
        this.monitor = new JobMonitor(store, state, recorder, review, runners, tokens, platformUrl, this::logDirectory, submitter);
        state.conditionTypesChanged(type -> BuiltInConditions.decides(conditions, type));
        EventDecider decider = new EventDecider(state, conditions, review);
        this.schedules = new ScheduleFirer(PartHosts.schedules(state, recorder, store, notifications), Clock.systemUTC());
        ExecutionFinisher finisher = new ExecutionFinisher(PartHosts.finisher(state, recorder));
        this.commands = new SchedulerCommands(store, state, recorder, monitor, review, schedules, validator);
        this.worker = new SchedulerWorker(notifications, state, recorder, decider, monitor, () -> {
            schedules.fire();
            finisher.finishExecutions();
        }, stats);
        monitor.recordOutcomesThrough(work -> worker.whileLeading("record the start of a job", work), worker::flushSoon);
        this.changes = new LeaderChanges(reads, worker, commands, validator, schedules);
    }

    /**
     * A running scheduler outside OSGi, with the built-in condition types and policies and the given
     * job runners (by type): for embedding, tests and benchmarks. Close it to stop it.
     */
    public static Scheduler standalone(SchedulerStore store, NotificationService notifications, Map<String, JobRunner> jobRunners,
                                       Path logRoot, long tickMillis) {
        return standalone(store, notifications, jobRunners, logRoot, tickMillis, null);
    }

    /**
     * As {@link #standalone(SchedulerStore, NotificationService, Map, Path, long)}, with every write
     * fenced by a lease the caller holds (and renews) in the store's {@code ClusterStore}: as a
     * platform node writes.
     */
    public static Scheduler standalone(SchedulerStore store, NotificationService notifications, Map<String, JobRunner> jobRunners,
                                       Path logRoot, long tickMillis, LeaderFence fence) {
        PluginRegistry<JobRunner> runners = new PluginRegistry<>(JobRunner.TYPE_PROPERTY);
        jobRunners.forEach((type, runner) -> runners.add(runner, Map.of(JobRunner.TYPE_PROPERTY, type)));
        PluginRegistry<ConditionType> conditions = new PluginRegistry<>(ConditionType.TYPE_PROPERTY);
        BuiltInConditions.register(conditions);
        PluginRegistry<SchedulingPolicy> policies = new PluginRegistry<>(SchedulingPolicy.NAME_PROPERTY);
        BuiltInPolicies.register(policies);
        Scheduler scheduler = new Scheduler(store, notifications, runners, conditions, policies, logRoot);
        scheduler.lead(fence);
        scheduler.startTicks(tickMillis);
        return scheduler;
    }

    /** Decision latency, the events waiting and failed submits, measured so far. */
    public SchedulerStatistics statistics() {
        return stats;
    }

    /** Starts the worker's ticks; scheduling itself starts with {@link #lead}. */
    void startTicks(long tickMillis) {
        worker.startTicks(tickMillis);
        runners.onChange(worker::tickSoon);
        // a plugin replacing a built-in condition type (or giving it back) changes which events may matter
        conditions.onChange(() -> {
            try {
                worker.execute(() -> state.conditionTypesChanged(type -> BuiltInConditions.decides(conditions, type)));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // closing: nothing decides any more
            }
            worker.tickSoon(); // a condition type scheduling waits for may be back
        });
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
        worker.lead(() -> {
            schedules.forgetAll();
            monitor.forget();
        });
        CommandRelay r = changes.relay();
        if (r != null) {
            worker.onWorker(() -> {
                r.leading();
                return null;
            });
        }
    }

    /**
     * Sends the changes asked for on this node to the leader through the store while another node
     * leads, and runs the other nodes' changes every {@code pollMillis} while this one leads.
     */
    void relayThrough(CommandRelay r, long pollMillis) {
        changes.relayThrough(r);
        worker.pollCommands(() -> r.runNew(commands::run, recorder::fenced), pollMillis);
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
        submitter.leaseCheck(holdsLease);
    }

    /** Told when a write was refused because another node has taken the lease. */
    void onFenced(java.util.function.Consumer<String> listener) {
        worker.onFenced(listener);
    }

    @Override
    public void close() {
        runners.onChange(() -> { });
        conditions.onChange(() -> { });
        submitter.drain(10_000); // the starts under way are recorded before the worker stores what is pending
        worker.close();
        submitter.close();
    }

    // ---------------------------------------------------------------- workflows

    @Override
    public Workflow upload(WorkflowDefinition definition) {
        return changes.upload(definition);
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
        return reads.listWorkflows();
    }

    @Override
    public Workflow workflow(String namespace, String name) {
        return reads.workflow(namespace, name);
    }

    @Override
    public WorkflowSnapshot snapshot(long snapshotId) {
        return reads.snapshot(snapshotId);
    }

    @Override
    public List<SnapshotInfo> snapshots(String namespace, String name, Long beforeId, int limit) {
        return reads.snapshots(namespace, name, beforeId, limit);
    }

    @Override
    public void deleteWorkflow(String namespace, String name) {
        changes.deleteWorkflow(namespace, name);
    }

    @Override
    public Workflow setEnabled(String namespace, String name, boolean enabled) {
        return changes.setEnabled(namespace, name, enabled);
    }

    @Override
    public List<ScheduleInfo> schedules(String namespace, String workflowName) {
        return schedules.infos(workflow(namespace, workflowName));
    }

    @Override
    public ScheduleInfo pauseSchedule(String namespace, String workflowName, String scheduleName, boolean paused) {
        return changes.pauseSchedule(namespace, workflowName, scheduleName, paused);
    }

    // ---------------------------------------------------------------- executions and tasks

    @Override
    public WorkflowExecution startExecution(String namespace, String name) {
        return changes.startExecution(namespace, name);
    }

    @Override
    public WorkflowExecution stopExecution(long executionId) {
        return changes.stopExecution(executionId);
    }

    @Override
    public WorkflowExecution execution(long executionId) {
        return reads.execution(executionId);
    }

    @Override
    public List<WorkflowExecution> listExecutions(String namespace, String name, int limit) {
        return listExecutions(namespace, name, null, limit);
    }

    @Override
    public List<WorkflowExecution> listExecutions(String namespace, String name, Long beforeId, int limit) {
        return reads.listExecutions(namespace, name, beforeId, limit);
    }

    @Override
    public List<TaskExecution> listTasks(TaskQuery query) {
        return reads.listTasks(query);
    }

    @Override
    public TaskExecution task(long taskExecutionId) {
        return reads.task(taskExecutionId);
    }

    @Override
    public TaskExecution startTask(long executionId, String taskName) {
        return changes.startTask(executionId, taskName);
    }

    @Override
    public TaskExecution restartTask(long executionId, String taskName) {
        return changes.restartTask(executionId, taskName);
    }

    @Override
    public TaskExecution stopTask(long taskExecutionId) {
        return changes.stopTask(taskExecutionId);
    }

    @Override
    public List<String> taskLogFiles(long taskExecutionId) {
        return reads.taskLogFiles(taskExecutionId);
    }

    @Override
    public TaskLog taskLog(long taskExecutionId, String file, long offset, int maxBytes) {
        return reads.taskLog(taskExecutionId, file, offset, maxBytes);
    }

    @Override
    public List<TaskStatusChange> taskHistory(long taskExecutionId) {
        return reads.taskHistory(taskExecutionId);
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
        return reads.logDirectory(taskExecutionId);
    }
}
