package org.aiflow.scheduler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.event.NotificationService.Subscription;
import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.ScheduleInfo;
import org.aiflow.api.execution.SnapshotInfo;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskLog;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.TaskStatusChange;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.execution.WorkflowSnapshot;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.scheduler.TaskStatusEvents;
import org.aiflow.api.spi.condition.ConditionContext;
import org.aiflow.api.spi.condition.ConditionResult;
import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.spi.policy.PolicyVerdict;
import org.aiflow.api.spi.policy.ProposedAction;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.policy.SchedulingView;
import org.aiflow.api.spi.runner.JobHandle;
import org.aiflow.api.spi.runner.JobRequest;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.spi.runner.JobRunnerException;
import org.aiflow.api.spi.runner.JobState;
import org.aiflow.api.spi.storage.Decision;
import org.aiflow.api.spi.storage.DecisionOutcome;
import org.aiflow.api.spi.storage.NewTaskExecution;
import org.aiflow.api.spi.storage.Outboxed;
import org.aiflow.api.spi.storage.RuleState;
import org.aiflow.api.spi.storage.ScheduleState;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.Schedule;
import org.aiflow.api.workflow.Trigger;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling engine, independent of OSGi. Every state change happens on one worker thread, in
 * this order of truth: a decision (new task executions, rule states and the consumed-event
 * cursor) is committed in one transaction before any runner is called; runner calls then move
 * task executions on with compare-and-set transitions. A periodic tick polls running jobs,
 * dispatches queued ones, re-attaches to jobs whose runner came back and derives execution
 * statuses.
 */
public final class Scheduler implements SchedulerService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** Cursor name of the scheduler's event consumer. */
    static final String CONSUMER = "scheduler";
    /** Named subscription that tells event retention what the scheduler still needs. */
    static final String SUBSCRIPTION = "aiflow-scheduler";
    /** Rule-state name of a workflow's triggers. */
    private static final String TRIGGERS = "triggers";
    private static final Set<TaskStatus> ACTIVE = EnumSet.of(TaskStatus.QUEUED, TaskStatus.WAITING, TaskStatus.RUNNING,
            TaskStatus.RETRYING, TaskStatus.STOPPING);
    private static final Set<TaskStatus> ATTACHED = EnumSet.of(TaskStatus.RUNNING, TaskStatus.STOPPING, TaskStatus.WAITING);
    /** How often the worker's copy of the live task executions is read again from the store, in case anything else changed them. */
    private static final long LIVE_RELOAD_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int MAX_EXECUTIONS = 10_000;
    /** How the message of an attempt stopped for running too long begins; such an attempt ends FAILED. */
    static final String TIMED_OUT = "timed out";
    /** Message of a queued attempt handed to its runner; see {@link JobRunner#find}. */
    static final String SUBMITTING = "submitting";

    private final SchedulerStore store;
    private final NotificationService notifications;
    private final PluginRegistry<JobRunner> runners;
    private final PluginRegistry<ConditionType> conditions;
    private final PluginRegistry<SchedulingPolicy> policies;
    private final Path logRoot;
    private final TaskTokens tokens;
    private final Supplier<String> platformUrl;
    private final TriggerEvents triggers;
    private final ScheduledExecutorService worker;
    private final Map<Long, WorkflowDefinition> definitions = new ConcurrentHashMap<>();
    // worker-thread state
    private long cursor;
    private long acknowledged;
    /** The cursor as stored; behind {@link #cursor} only by events that decided nothing. */
    private long storedCursor;
    /**
     * Worker-thread caches of the enabled workflows and the running executions, read for every
     * event: every change to either goes through the worker, which drops the cache it touches.
     */
    private Map<Long, Workflow> workflowsCache;
    private List<WorkflowExecution> runningCache;
    private final LiveTasks live = new LiveTasks();
    /** Fires the cron and interval schedules and keeps their state; worker thread only. */
    private final ScheduleFirer schedules;
    /** Ends the executions that can make no more progress; worker thread only. */
    private final ExecutionFinisher finisher;
    /** RUNNING transitions of started jobs not stored yet (see {@link #started}); worker thread only. */
    private final List<Decision.Transition> pendingStarts = new ArrayList<>();
    /** Events handed to the worker and not yet taken up by it. */
    private final java.util.concurrent.atomic.AtomicInteger eventsWaiting = new java.util.concurrent.atomic.AtomicInteger();
    private final Map<Long, Map<String, Map<String, String>>> ruleStateCache = new HashMap<>();
    private final Map<Long, Map<String, TaskExecution>> latestTaskCache = new HashMap<>();
    private InterestIndex<Workflow> workflowIndex;
    private Map<Long, Workflow> indexedWorkflows;
    private InterestIndex<WorkflowExecution> executionIndex;
    private List<WorkflowExecution> indexedExecutions;
    /** Task executions this instance queued and has not submitted: no job can run for them yet. */
    private final Set<Long> queuedHere = new HashSet<>();
    private long liveLoadedAt;
    private final Map<Long, EventInterest> taskInterest = new HashMap<>();
    private final Map<Long, EventInterest> workflowInterest = new HashMap<>();
    /** The snapshot each execution runs: it never changes, so it is read from the store once. */
    private final Map<Long, Long> executionSnapshots = new HashMap<>();
    /** The newest status event published; executions end only once the cursor has passed it. */
    private long lastStatusVersion;
    private int generation;
    private Subscription subscription;

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
        this.tokens = tokens;
        this.platformUrl = platformUrl;
        this.triggers = new TriggerEvents(store, notifications);
        this.notifications = notifications;
        this.runners = runners;
        this.conditions = conditions;
        this.policies = policies;
        this.logRoot = logRoot;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aiflow-scheduler");
            t.setDaemon(true);
            return t;
        });
        this.schedules = new ScheduleFirer(new ScheduleFirer.Host() {
            @Override
            public Collection<Workflow> workflows() {
                return Scheduler.this.workflows();
            }

            @Override
            public WorkflowDefinition definition(long snapshotId) {
                return Scheduler.this.definition(snapshotId);
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
            public void saveState(ScheduleState state) {
                store.saveScheduleState(state);
            }
        }, Clock.systemUTC());
        this.finisher = new ExecutionFinisher(new ExecutionFinisher.Host() {
            @Override
            public boolean statusChangesUndecided() {
                return cursor < lastStatusVersion;
            }

            @Override
            public List<WorkflowExecution> running() {
                return Scheduler.this.running();
            }

            @Override
            public WorkflowDefinition definition(long snapshotId) {
                return Scheduler.this.definition(snapshotId);
            }

            @Override
            public Map<String, TaskExecution> latestTasks(long executionId) {
                return Scheduler.this.latestTasks(executionId);
            }

            @Override
            public void finish(long executionId, ExecutionStatus status) {
                store.finishExecution(executionId, status);
                runningCache = null;
            }
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

    /** Resumes from the stored cursor: replays events it has not consumed, then follows new ones. */
    void start(long tickMillis) {
        onWorker(() -> {
            cursor = store.cursor(CONSUMER);
            storedCursor = cursor;
            acknowledged = notifications.createSubscription(SUBSCRIPTION, cursor).cursor();
            lastStatusVersion = notifications.latestVersion();
            reloadLive();
            tasksIn(List.of(TaskStatus.STOPPING)).forEach(this::stopJob); // stops decided before a crash
            subscribe();
            return null;
        });
        worker.scheduleWithFixedDelay(this::tick, 0, tickMillis, TimeUnit.MILLISECONDS);
        runners.onChange(() -> worker.execute(this::tick));
    }

    @Override
    public void close() {
        runners.onChange(() -> { });
        worker.execute(() -> {
            try {
                flushStarts();
            } catch (RuntimeException e) {
                LOG.warn("Could not store the handles of jobs just started; the next start finds them: {}", e.getMessage());
            }
            if (subscription != null) {
                subscription.close();
            }
        });
        worker.shutdown();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- events

    private void subscribe() {
        int gen = ++generation;
        subscription = notifications.subscribe(cursor, e -> {
            try {
                eventsWaiting.incrementAndGet();
                worker.execute(() -> {
                    eventsWaiting.decrementAndGet();
                    if (gen == generation) {
                        consume(e);
                    }
                });
            } catch (RejectedExecutionException closing) {
                // the scheduler is closing: the event is decided after the next start, from the cursor
            }
        });
    }

    private void consume(Event e) {
        if (e.version() <= cursor) {
            return; // at-least-once delivery: already decided
        }
        try {
            decide(e);
            if (eventsWaiting.get() == 0) {
                flushStarts(); // nothing queued behind this event to carry them
            }
        } catch (RuntimeException ex) {
            // nothing was committed for this event: re-read the log from the cursor after a pause,
            // ignoring whatever the old subscription had queued behind it
            LOG.warn("Scheduler could not process event {} ({}); retrying from the event log", e.version(), ex.getMessage());
            generation++;
            subscription.close();
            worker.schedule(this::subscribe, 1, TimeUnit.SECONDS);
        }
    }

    /** What one event makes the scheduler do, gathered before it is stored in one transaction. */
    private static final class Plan {
        final List<Decision.NewExecution> executions = new ArrayList<>();
        final List<NewTaskExecution> tasks = new ArrayList<>();
        final List<RuleState> states = new ArrayList<>();
        final Map<Long, Decision.Transition> stops = new LinkedHashMap<>();
        final Set<Long> executionsToStop = new HashSet<>();
        final Set<Long> stopped = new HashSet<>();

        boolean isEmpty() {
            return executions.isEmpty() && tasks.isEmpty() && states.isEmpty() && stops.isEmpty() && executionsToStop.isEmpty();
        }

        boolean queued(long executionId, String taskName) {
            return tasks.stream().anyMatch(n -> n.workflowExecutionId() == executionId && n.taskName().equals(taskName));
        }

        void stop(TaskExecution t, String why) {
            stopped.add(t.workflowExecutionId());
            boolean jobless = t.handle() == null || t.status() == TaskStatus.RETRYING;
            if (t.status() != TaskStatus.STOPPING) {
                stops.putIfAbsent(t.id(), new Decision.Transition(t.id(), t.status(), jobless ? TaskStatus.STOPPED : TaskStatus.STOPPING, why));
            }
        }
    }

    private void decide(Event e) {
        Long scope = executionScope(e);
        String eventKey = EventInterest.keyOf(e);
        Map<Long, Workflow> workflows = workflowsById();
        List<WorkflowExecution> running = running();
        Plan plan = new Plan();
        if (scope == null) {
            for (Workflow w : workflowIndex().candidates(eventKey)) {
                if (w.enabled()) {
                    decideForWorkflow(w, e, running, plan);
                }
            }
        }
        List<WorkflowExecution> candidates = scope == null ? executionIndex().candidates(eventKey)
                : running.stream().filter(x -> x.id() == scope).toList();
        for (WorkflowExecution x : candidates) {
            Workflow w = workflows.get(x.workflowId());
            if (w == null || !w.enabled() || plan.executionsToStop.contains(x.id())) {
                continue;
            }
            if (!interest(taskInterest, x.snapshotId(), EventInterest::ofTasks).mayReactTo(eventKey)) {
                continue;
            }
            WorkflowDefinition def = definition(x.snapshotId());
            if (def.tasks().stream().noneMatch(t -> mayReact(t.effectiveRules(), e))) {
                continue; // nothing to load: no rule of this execution can react to the event
            }
            Map<String, Map<String, String>> ruleStates = ruleStates(x.id());
            List<TaskExecution> active = live.ofExecution(x.id());
            ConditionContext context = context(x.id(), def, latestTasks(x.id()));
            for (TaskDefinition task : def.tasks()) {
                Optional<Action> action = evaluate(x.id(), task.name(), task.effectiveRules(), e, ruleStates, plan.states, context);
                action.ifPresent(a -> apply(a, x, task, reason(a, e), active, plan));
            }
        }
        if (plan.isEmpty()) {
            // nothing to store: deciding this event again after a crash decides nothing again, so the
            // cursor is stored lazily (with the next decision or on a tick) and costs no transaction
            cursor = e.version();
            return;
        }
        DecisionOutcome outcome = record(new Decision(e.version(), plan.executions, plan.tasks, plan.states,
                List.copyOf(plan.stops.values()), List.copyOf(plan.executionsToStop)));
        if (!plan.executions.isEmpty() || !plan.executionsToStop.isEmpty()) {
            runningCache = null;
        }
        cursor = e.version();
        triggers.queued(outcome.queued(), e);
        outcome.transitioned().stream().filter(t -> t.status() == TaskStatus.STOPPING).forEach(this::stopJob);
        if (!outcome.queued().isEmpty()) {
            dispatch();
        }
    }

    private static String reason(Action a, Event e) {
        return a + " by event " + e.version() + " (" + e.namespace() + "/" + e.key() + ")";
    }

    private Collection<Workflow> workflows() {
        return workflowsById().values();
    }

    private Map<Long, Workflow> workflowsById() {
        if (workflowsCache == null) {
            workflowsCache = new LinkedHashMap<>();
            store.listWorkflows().forEach(w -> workflowsCache.put(w.id(), w));
        }
        return workflowsCache;
    }

    /** What the rules of a snapshot may react to; worker thread only. */
    private EventInterest interest(Map<Long, EventInterest> cache, long snapshotId,
                                   java.util.function.Function<WorkflowDefinition, EventInterest> compute) {
        EventInterest i = cache.get(snapshotId);
        if (i == null) {
            i = compute.apply(definition(snapshotId));
            cache.put(snapshotId, i);
        }
        return i;
    }

    /** The workflows by the events their triggers and schedules may react to; rebuilt when the workflows change. */
    private InterestIndex<Workflow> workflowIndex() {
        Map<Long, Workflow> current = workflowsById();
        if (workflowIndex == null || indexedWorkflows != current) {
            workflowIndex = new InterestIndex<>(current.values(), w -> interest(workflowInterest, w.snapshotId(), EventInterest::ofWorkflow));
            indexedWorkflows = current;
        }
        return workflowIndex;
    }

    /** The running executions by the events their task rules may react to; rebuilt when they change. */
    private InterestIndex<WorkflowExecution> executionIndex() {
        List<WorkflowExecution> current = running();
        if (executionIndex == null || indexedExecutions != current) {
            executionIndex = new InterestIndex<>(current, x -> interest(taskInterest, x.snapshotId(), EventInterest::ofTasks));
            indexedExecutions = current;
        }
        return executionIndex;
    }

    private List<WorkflowExecution> running() {
        if (runningCache == null) {
            runningCache = store.listExecutions(ExecutionStatus.RUNNING, null, MAX_EXECUTIONS);
        }
        return runningCache;
    }

    /** Workflow-level reactions to an event: its triggers, and the firing of its schedules. */
    private void decideForWorkflow(Workflow w, Event e, List<WorkflowExecution> running, Plan plan) {
        WorkflowDefinition def = definition(w.snapshotId());
        List<WorkflowExecution> mine = running.stream().filter(x -> x.workflowId() == w.id()).toList();
        ScheduleFirer.fired(e, w, def).ifPresent(s -> {
            String why = "schedule '" + s.name() + "' fired for " + e.value() + " (event " + e.version() + ")";
            if (s.task() == null) {
                startExecution(w, def, why, plan);
            } else {
                TaskDefinition task = def.task(s.task()).orElseThrow();
                for (WorkflowExecution x : mine) {
                    List<TaskExecution> active = store.listTasks(new TaskQuery(null, x.id(), null, 10_000)).stream()
                            .filter(t -> ACTIVE.contains(t.status())).toList();
                    apply(Action.START, x, task, why, active, plan);
                }
            }
        });
        List<Rule> rules = def.triggers().stream().map(t -> new Rule(t.condition(), t.action())).toList();
        if (!mayReact(rules, e)) {
            return;
        }
        long owner = triggerStateOwner(w);
        Map<String, Map<String, String>> states = ruleStates(owner);
        ConditionContext context = context(0, def, Map.of());
        Optional<Action> action = Optional.empty();
        Map<String, Integer> seen = new HashMap<>();
        for (Rule rule : rules) {
            // a trigger's state is keyed by what the trigger is, not by its position: a new snapshot
            // that adds, removes or reorders triggers leaves the state of the unchanged ones as it was
            String id = triggerId(rule);
            String ruleSet = TRIGGERS + ":" + id + ":" + seen.merge(id, 1, Integer::sum);
            action = evaluate(owner, ruleSet, List.of(rule), e, states, plan.states, context);
            if (action.isPresent()) {
                break;
            }
        }
        if (action.isEmpty()) {
            return;
        }
        String why = "trigger: " + reason(action.get(), e);
        if (action.get() == Action.STOP || action.get() == Action.RESTART) {
            for (WorkflowExecution x : mine) {
                plan.executionsToStop.add(x.id());
                store.listTasks(new TaskQuery(null, x.id(), null, 10_000)).stream()
                        .filter(t -> ACTIVE.contains(t.status())).forEach(t -> plan.stop(t, why));
            }
        }
        if (action.get() == Action.START || action.get() == Action.RESTART) {
            startExecution(w, def, why, plan);
        }
    }

    /** Plans a new execution with its initial tasks, if the policies admit it now; otherwise this start is skipped. */
    private void startExecution(Workflow w, WorkflowDefinition def, String why, Plan plan) {
        if (plan.executions.stream().anyMatch(n -> n.workflowId() == w.id())) {
            return;
        }
        PolicyVerdict verdict = review(new ProposedAction(w.name(), 0, null, Action.START, 1, Map.of(), def.options()),
                tasksIn(ATTACHED));
        if (verdict.kind() != PolicyVerdict.Kind.PROCEED) {
            LOG.info("Workflow {}/{}: {} skipped: {}", w.namespace(), w.name(), why, verdict.reason());
            return;
        }
        plan.executions.add(new Decision.NewExecution(w.id(), w.snapshotId(), initialTasks(def, why)));
    }

    private static List<NewTaskExecution> initialTasks(WorkflowDefinition def, String why) {
        return def.tasks().stream().filter(TaskDefinition::startsWithExecution)
                .map(t -> new NewTaskExecution(0, def.namespace(), def.name(), t.name(), t.job().runnerType(), why)).toList();
    }

    /**
     * The stored rule states of an owner (an execution, or a workflow's triggers) by {@code ruleSet#index}:
     * read once, then kept up to date from the decisions the worker stores (it stores them all).
     * Read-only for callers.
     */
    private Map<String, Map<String, String>> ruleStates(long owner) {
        return ruleStateCache.computeIfAbsent(owner, o -> {
            Map<String, Map<String, String>> states = new HashMap<>();
            store.ruleStates(o).forEach(r -> states.put(r.taskName() + "#" + r.ruleIndex(), r.state()));
            return states;
        });
    }

    /** The newest attempt of each task of an execution: read once, then kept up to date from every change the worker makes. */
    private Map<String, TaskExecution> latestTasks(long executionId) {
        return latestTaskCache.computeIfAbsent(executionId, id -> {
            Map<String, TaskExecution> latest = new HashMap<>();
            store.listTasks(new TaskQuery(null, id, null, 10_000)).forEach(t -> latest.putIfAbsent(t.taskName(), t)); // newest first
            // the worker's copy of live tasks is newer than storage for starts not stored yet (see started)
            live.ofExecution(id).forEach(t -> latest.merge(t.taskName(), t, (old, now) -> now.id() >= old.id() ? now : old));
            return latest;
        });
    }

    private void rememberLatest(TaskExecution t) {
        Map<String, TaskExecution> latest = latestTaskCache.get(t.workflowExecutionId());
        if (latest != null) {
            latest.merge(t.taskName(), t, (old, now) -> now.id() >= old.id() ? now : old);
        }
    }

    /** A short, stable name of what a trigger is (its condition and action), for keying its state. */
    static String triggerId(Rule rule) {
        int hash = 31 * (31 * rule.condition().type().hashCode() + rule.condition().config().hashCode()) + rule.action().name().hashCode();
        return Integer.toHexString(hash);
    }

    /** Workflow-level rule states live beside execution ones, under the negated workflow id. */
    private static long triggerStateOwner(Workflow w) {
        return -w.id();
    }

    /** True if some rule's condition may react to the event (an uninstalled type cannot). */
    private boolean mayReact(List<Rule> rules, Event e) {
        for (Rule rule : rules) {
            Optional<ConditionType> type = conditions.get(rule.condition().type());
            try {
                if (type.isPresent() && type.get().mayReact(rule.condition().config(), e)) {
                    return true;
                }
            } catch (RuntimeException ex) {
                return true; // let evaluate report it
            }
        }
        return false;
    }

    /** Evaluates rules in order; the first that fires decides. Collects changed rule states. */
    private Optional<Action> evaluate(long owner, String ruleSet, List<Rule> rules, Event e,
                                      Map<String, Map<String, String>> ruleStates, List<RuleState> changed, ConditionContext context) {
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            Optional<ConditionType> type = conditions.get(rule.condition().type());
            if (type.isEmpty()) {
                LOG.warn("Workflow {} {}: condition type '{}' is not installed; rule {} is skipped",
                        context.workflowName(), ruleSet, rule.condition().type(), i);
                continue;
            }
            Map<String, String> state = ruleStates.getOrDefault(ruleSet + "#" + i, Map.of());
            ConditionResult result;
            try {
                result = type.get().evaluate(rule.condition().config(), e, state, context);
            } catch (RuntimeException ex) {
                LOG.error("Condition type '{}' failed on event {}", rule.condition().type(), e.version(), ex);
                continue;
            }
            if (!result.state().equals(state)) {
                changed.add(new RuleState(owner, ruleSet, i, result.state()));
            }
            if (result.fired()) {
                return Optional.of(rule.action());
            }
        }
        return Optional.empty();
    }

    /** The facts a condition may use about one execution: its tasks' newest statuses as of this decision. */
    private static ConditionContext context(long executionId, WorkflowDefinition def, Map<String, TaskExecution> latestTasks) {
        Map<String, TaskStatus> latest = new HashMap<>();
        latestTasks.forEach((name, t) -> latest.put(name, t.status()));
        return new ConditionContext() {
            @Override
            public long workflowExecutionId() {
                return executionId;
            }

            @Override
            public String workflowNamespace() {
                return def.namespace();
            }

            @Override
            public String workflowName() {
                return def.name();
            }

            @Override
            public Optional<TaskStatus> latestStatus(String taskName) {
                return Optional.ofNullable(latest.get(taskName));
            }
        };
    }

    private void apply(Action action, WorkflowExecution x, TaskDefinition task, String reason, List<TaskExecution> active, Plan plan) {
        List<TaskExecution> running = active.stream().filter(t -> t.taskName().equals(task.name())).toList();
        boolean alreadyQueued = plan.queued(x.id(), task.name());
        switch (action) {
            case START -> {
                if (running.isEmpty() && !alreadyQueued) {
                    plan.tasks.add(new NewTaskExecution(x.id(), x.namespace(), x.workflowName(), task.name(), task.job().runnerType(), reason));
                }
            }
            case STOP -> running.forEach(t -> plan.stop(t, reason));
            case RESTART -> {
                running.forEach(t -> plan.stop(t, reason));
                if (!alreadyQueued) {
                    plan.tasks.add(new NewTaskExecution(x.id(), x.namespace(), x.workflowName(), task.name(), task.job().runnerType(), reason));
                }
            }
            case NONE -> { }
        }
    }

    private static Long executionScope(Event e) {
        String id = e.context().get(Event.WORKFLOW_EXECUTION_ID);
        if (id == null) {
            return null;
        }
        try {
            return Long.parseLong(id.trim());
        } catch (NumberFormatException ex) {
            return -1L; // names no execution of ours: affects none
        }
    }

    // ---------------------------------------------------------------- tick

    private void tick() {
        try {
            flushStarts();
            pollAttached();
            retryDue();
            schedules.fire();
            dispatch();
            finisher.finishExecutions();
            if (cursor > storedCursor) {
                record(new Decision(cursor, null, null, null, null, null));
            }
            if (cursor > acknowledged) {
                acknowledged = notifications.acknowledge(SUBSCRIPTION, cursor).cursor();
            }
        } catch (RuntimeException e) {
            LOG.warn("Scheduler tick failed: {}", e.getMessage(), e);
        }
    }

    /**
     * Follows running jobs; marks the jobs of a missing runner WAITING and re-attaches when it is back.
     * The status changes of one pass are stored in one transaction: with many jobs ending between two
     * ticks, one commit instead of one each keeps the worker free for the events waiting behind it.
     */
    private void pollAttached() {
        List<Decision.Transition> changes = new ArrayList<>();
        for (TaskExecution t : tasksIn(ATTACHED)) {
            Optional<JobRunner> runner = runners.get(t.runnerType());
            if (runner.isEmpty()) {
                if (t.status() != TaskStatus.WAITING) {
                    changes.add(new Decision.Transition(t.id(), t.status(), TaskStatus.WAITING, "job runner '" + t.runnerType()
                            + "' is not available; the task waits for it to come back"));
                }
                continue;
            }
            if (t.handle() == null) {
                changes.add(new Decision.Transition(t.id(), t.status(), TaskStatus.QUEUED, "job runner '" + t.runnerType() + "' is available"));
                continue;
            }
            JobHandle handle = SchedulerJson.readHandle(t.handle());
            JobState state;
            try {
                state = runner.get().status(handle);
            } catch (RuntimeException e) {
                LOG.warn("Runner '{}' failed to report job {}: {}", t.runnerType(), handle.jobId(), e.getMessage());
                continue;
            }
            switch (state.phase()) {
                case RUNNING -> {
                    if (t.status() == TaskStatus.WAITING) {
                        changes.add(new Decision.Transition(t.id(), t.status(), TaskStatus.RUNNING, "re-attached to job " + handle.jobId()));
                    } else if (t.status() == TaskStatus.RUNNING) {
                        enforceTimeout(t);
                    }
                }
                case SUCCEEDED -> changes.add(new Decision.Transition(t.id(), t.status(), TaskStatus.SUCCESS, state.message()));
                case FAILED -> changes.add(failure(t, state.message()));
                case STOPPED -> changes.add(t.message().startsWith(TIMED_OUT) ? failure(t, t.message())
                        : new Decision.Transition(t.id(), t.status(), TaskStatus.STOPPED, state.message()));
                case UNKNOWN -> changes.add(failure(t, "job " + handle.jobId() + " was lost: " + state.message()));
            }
        }
        if (!changes.isEmpty()) {
            record(new Decision(cursor, null, null, null, changes, null));
        }
    }

    /** Starts queued task executions whose runner is there and that every policy admits. */
    private void dispatch() {
        List<TaskExecution> queued = tasksIn(List.of(TaskStatus.QUEUED));
        if (queued.isEmpty()) {
            return;
        }
        List<TaskExecution> attached = new ArrayList<>(tasksIn(ATTACHED));
        Set<String> busy = new HashSet<>();
        attached.forEach(t -> busy.add(t.workflowExecutionId() + "#" + t.taskName()));
        for (TaskExecution t : queued) {
            String slot = t.workflowExecutionId() + "#" + t.taskName();
            if (busy.contains(slot)) {
                continue; // one attempt of a task runs at a time; the previous one is still ending
            }
            Optional<JobRunner> runner = runners.get(t.runnerType());
            if (runner.isEmpty()) {
                transition(t, TaskStatus.WAITING, "no job runner of type '" + t.runnerType()
                        + "' is installed; the task starts when one is", null);
                continue;
            }
            PolicyVerdict verdict = review(t, attached);
            if (verdict.kind() == PolicyVerdict.Kind.DEFER) {
                if (!verdict.reason().equals(t.message())) {
                    transition(t, TaskStatus.QUEUED, verdict.reason(), null);
                }
                continue;
            }
            if (verdict.kind() == PolicyVerdict.Kind.REJECT) {
                transition(t, TaskStatus.FAILED, "rejected by policy: " + verdict.reason(), null);
                continue;
            }
            busy.add(slot);
            submit(t, runner.get()).ifPresent(attached::add);
        }
    }

    /** The snapshot an execution runs; worker thread. */
    private long snapshotOf(long executionId) {
        Long snapshot = executionSnapshots.get(executionId);
        if (snapshot == null) {
            snapshot = store.findExecution(executionId).orElseThrow(() -> new NotFoundException("workflow execution", executionId))
                    .snapshotId();
            executionSnapshots.put(executionId, snapshot);
        }
        return snapshot;
    }

    /** The proposal a policy reviews for starting (or retrying, with its new attempt number) a task execution. */
    private ProposedAction proposal(TaskExecution t, int attempt) {
        WorkflowDefinition def = definition(snapshotOf(t.workflowExecutionId()));
        Map<String, Object> taskOptions = def.task(t.taskName()).map(TaskDefinition::options).orElse(Map.of());
        return new ProposedAction(t.workflowName(), t.workflowExecutionId(), t.taskName(), Action.START, attempt, taskOptions,
                def.options());
    }

    private PolicyVerdict review(TaskExecution t, List<TaskExecution> attached) {
        return review(proposal(t, t.attempt()), attached);
    }

    private PolicyVerdict review(ProposedAction action, List<TaskExecution> attached) {
        SchedulingView view = new SchedulingView() {
            @Override
            public int runningTasks(String workflowName, String taskName) {
                return (int) attached.stream().filter(a -> a.workflowName().equals(workflowName)
                        && a.taskName().equals(taskName) && a.status() != TaskStatus.WAITING).count();
            }

            @Override
            public int runningExecutions(String workflowName) {
                return (int) running().stream()
                        .filter(x -> x.workflowName().equals(workflowName)).count();
            }
        };
        for (SchedulingPolicy policy : policies.all()) {
            try {
                PolicyVerdict verdict = policy.review(action, view);
                if (verdict != null && verdict.kind() != PolicyVerdict.Kind.PROCEED) {
                    return verdict;
                }
            } catch (RuntimeException e) {
                LOG.error("Scheduling policy {} failed; ignoring it for {}", policy, action, e);
            }
        }
        return PolicyVerdict.PROCEED;
    }

    /**
     * Starts a queued task execution's job and stores its handle. A job may already run for a task
     * execution this scheduler instance did not queue itself (an earlier instance may have submitted
     * it and died before the handle reached storage) or whose handle failed to reach storage: the
     * runner is asked to {@link JobRunner#find find} it first. Task executions queued by this
     * instance and never submitted need no such look, and no marker transaction before submitting.
     */
    private Optional<TaskExecution> submit(TaskExecution t, JobRunner runner) {
        WorkflowDefinition def = definition(snapshotOf(t.workflowExecutionId()));
        TaskDefinition task = def.task(t.taskName()).orElseThrow();
        Path logs = logDirectory(t.id());
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            return fail(t, "cannot create the log directory: " + e.getMessage());
        }
        Optional<Event> event = triggers.of(t, queuedHere.contains(t.id()));
        Path eventFile = logs.resolve(JobRequest.EVENT_FILE_NAME);
        if (event.isPresent()) {
            try {
                TaskEnvironment.writeEvent(eventFile, event.get());
            } catch (IOException e) {
                return fail(t, "cannot write " + eventFile + ": " + e.getMessage());
            }
        }
        JobRequest request = new JobRequest(t.id(), def.namespace(), t.workflowName(), t.taskName(), task.kind(), task.job().config(),
                logs, TaskEnvironment.of(platformUrl.get(), t, event, eventFile));
        // older instances wrote a SUBMITTING marker before submitting; it means the same
        if (!queuedHere.contains(t.id()) || t.message().startsWith(SUBMITTING)) {
            Optional<JobHandle> found;
            try {
                found = runner.find(request);
            } catch (RuntimeException e) {
                LOG.warn("Runner '{}' could not look for a job of task execution {}: {}", t.runnerType(), t.id(), e.getMessage());
                return Optional.empty(); // asked again at the next dispatch
            }
            if (found.isPresent()) {
                // the job runs with the token issued when it was submitted (stored hashed: never issued again)
                queuedHere.remove(t.id());
                return transition(t, TaskStatus.RUNNING, "found job " + found.get().jobId() + " submitted before a restart",
                        SchedulerJson.writeHandle(found.get()));
            }
        }
        Optional<String> token;
        try {
            token = tokens.issue(t.id(), def.namespace());
        } catch (RuntimeException e) {
            queuedHere.remove(t.id());
            tokens.revoke(t.id());
            LOG.error("Cannot issue the token of task execution {}", t.id(), e);
            return fail(t, "cannot issue the task's token: " + e.getMessage());
        }
        if (token.isPresent()) {
            request = request.withTaskEnvironment(TaskEnvironment.withToken(request.taskEnvironment(), token.get()));
        }
        JobHandle handle;
        try {
            handle = runner.submit(request);
        } catch (JobRunnerException | RuntimeException e) {
            queuedHere.remove(t.id());
            tokens.revoke(t.id());
            // a runner's message may quote the job's arguments: the token never goes into a message or log
            String why = TaskEnvironment.redact(e instanceof JobRunnerException ? e.getMessage() : "runner '" + t.runnerType()
                    + "' failed: " + e, token);
            if (!(e instanceof JobRunnerException)) {
                LOG.error("Runner '{}' failed to submit task execution {}: {}", t.runnerType(), t.id(), why);
                LOG.debug("Stack trace of the failed submit of task execution {}", t.id(), e);
            }
            return fail(t, why);
        }
        // a job runs from here on: if storing its handle fails (or the platform dies first), the task
        // is still QUEUED as stored, and the next dispatch finds the job instead of starting a second one
        queuedHere.remove(t.id());
        return Optional.of(started(t, "started job " + handle.jobId(), SchedulerJson.writeHandle(handle)));
    }

    /**
     * Records that a task's job runs: RUNNING with its handle in the worker's copy at once, in storage
     * with the next transaction (write-behind). Under load that is the next event's decision, so a start
     * costs no transaction of its own; with nothing queued behind, the worker stores it right away.
     * Every other way into the worker stores pending starts first ({@link #flushStarts}).
     */
    private TaskExecution started(TaskExecution t, String message, String handle) {
        pendingStarts.add(new Decision.Transition(t.id(), t.status(), TaskStatus.RUNNING, message, handle));
        TaskExecution running = new TaskExecution(t.id(), t.workflowExecutionId(), t.namespace(), t.workflowName(), t.taskName(), t.attempt(),
                t.runnerType(), TaskStatus.RUNNING, handle, message, t.createTime(), Instant.now());
        remember(running);
        return running;
    }

    /** Stores the starts not stored yet, in one transaction. */
    private void flushStarts() {
        if (!pendingStarts.isEmpty()) {
            record(new Decision(cursor, null, null, null, null, null));
        }
    }

    // ---------------------------------------------------------------- retries and timeouts

    /** Ends a failed attempt: RETRYING if a policy proposes a retry, else FAILED. */
    private Optional<TaskExecution> fail(TaskExecution t, String failure) {
        Decision.Transition end = failure(t, failure);
        return transition(t, end.to(), end.message(), null);
    }

    private Decision.Transition failure(TaskExecution t, String failure) {
        Optional<Duration> delay = retryDelay(t, failure);
        if (delay.isPresent()) {
            return new Decision.Transition(t.id(), t.status(), TaskStatus.RETRYING, failure + "; attempt " + (t.attempt() + 1)
                    + " follows in " + delay.get().toMillis() / 1000.0 + " s");
        }
        return new Decision.Transition(t.id(), t.status(), TaskStatus.FAILED, failure);
    }

    private Optional<Duration> retryDelay(TaskExecution t, String failure) {
        ProposedAction retry = proposal(t, t.attempt() + 1);
        for (SchedulingPolicy policy : policies.all()) {
            try {
                Optional<Duration> delay = policy.retryDelay(retry, failure);
                if (delay != null && delay.isPresent()) {
                    return delay;
                }
            } catch (RuntimeException e) {
                LOG.error("Scheduling policy {} failed to decide on a retry of task execution {}", policy, t.id(), e);
            }
        }
        return Optional.empty();
    }

    /**
     * Queues the next attempt of RETRYING executions whose delay has passed, then ends the failed
     * attempt FAILED. The delay is recomputed from the policies and the time the attempt entered
     * RETRYING, so nothing but the status needs storing; a crash between the two steps is
     * recognised by the newer attempt and never queues a second one.
     */
    private void retryDue() {
        for (TaskExecution t : tasksIn(List.of(TaskStatus.RETRYING))) {
            WorkflowExecution x = store.findExecution(t.workflowExecutionId()).orElseThrow();
            boolean newerAttempt = store.listTasks(new TaskQuery(null, x.id(), null, 10_000)).stream()
                    .anyMatch(o -> o.taskName().equals(t.taskName()) && o.attempt() > t.attempt());
            if (newerAttempt || x.status().isFinal()) {
                transition(t, TaskStatus.FAILED, t.message().replaceFirst("; attempt \\d+ follows in .*$", ""), null);
                continue;
            }
            Optional<Duration> delay = retryDelay(t, t.message());
            if (delay.isEmpty()) {
                transition(t, TaskStatus.FAILED, t.message(), null);
                continue;
            }
            if (t.updateTime().plus(delay.get()).isAfter(Instant.now())) {
                continue;
            }
            TaskDefinition task = definition(x.snapshotId()).task(t.taskName()).orElseThrow();
            TaskExecution next = record(new Decision(cursor, null, List.of(new NewTaskExecution(x.id(), x.workflowName(),
                    t.taskName(), task.job().runnerType(), "retry of attempt " + t.attempt())), null, null, null)).queued().get(0);
            triggers.retried(t.id(), next.id());
            transition(t, TaskStatus.FAILED, t.message().replaceFirst("; attempt \\d+ follows in .*$", "")
                    + "; retried as task execution " + next.id(), null);
        }
    }

    // ---------------------------------------------------------------- schedules (see ScheduleFirer)

    @Override
    public List<ScheduleInfo> schedules(String namespace, String workflowName) {
        return schedules.infos(workflow(namespace, workflowName));
    }

    @Override
    public ScheduleInfo pauseSchedule(String namespace, String workflowName, String scheduleName, boolean paused) {
        Workflow w = workflow(namespace, workflowName);
        Schedule s = schedules.schedule(w, scheduleName);
        return onWorker(() -> schedules.pause(w, s, paused));
    }

    /** Stops an attempt that ran longer than the smallest timeout a policy sets; it then ends FAILED (or RETRYING). */
    private void enforceTimeout(TaskExecution t) {
        ProposedAction action = proposal(t, t.attempt());
        Optional<Duration> limit = Optional.empty();
        for (SchedulingPolicy policy : policies.all()) {
            try {
                Optional<Duration> d = policy.timeout(action);
                if (d != null && d.isPresent() && (limit.isEmpty() || d.get().compareTo(limit.get()) < 0)) {
                    limit = d;
                }
            } catch (RuntimeException e) {
                LOG.error("Scheduling policy {} failed to give the timeout of task execution {}", policy, t.id(), e);
            }
        }
        if (limit.isPresent() && t.updateTime().plus(limit.get()).isBefore(Instant.now())) {
            requestStop(t, TIMED_OUT + " after " + limit.get().toMillis() / 1000.0 + " s");
        }
    }

    // ---------------------------------------------------------------- transitions

    private Optional<TaskExecution> transition(TaskExecution t, TaskStatus to, String message, String handle) {
        flushStarts(); // the compare-and-set below expects what is stored
        Optional<Outboxed<TaskExecution>> updated = store.transition(t.id(), t.status(), to, message, handle, this::statusEvents);
        updated.ifPresent(u -> lastStatusVersion = Math.max(lastStatusVersion, u.lastEventVersion()));
        keepLive(t.id(), updated.map(Outboxed::value));
        return updated.map(Outboxed::value);
    }

    /** Puts a transition's result into the worker's copy; if it did not apply, the row changed elsewhere: read it. */
    private void keepLive(long taskExecutionId, Optional<TaskExecution> transitioned) {
        if (transitioned.isPresent()) {
            remember(transitioned.get());
        } else {
            store.findTask(taskExecutionId).ifPresent(this::remember);
        }
    }

    private void remember(TaskExecution t) {
        live.put(t);
        rememberLatest(t);
        if (t.status().isFinal()) {
            queuedHere.remove(t.id());
            triggers.ended(t.id());
        }
        if ((t.status().isFinal() || t.status() == TaskStatus.RETRYING) && t.handle() != null) {
            tokens.revoke(t.id()); // the attempt's job has ended: so has its identity (a failed submit revoked it already)
        }
    }

    /** The not-final task executions in one of the statuses, oldest first, from the worker's copy. */
    private List<TaskExecution> tasksIn(Collection<TaskStatus> statuses) {
        if (System.nanoTime() - liveLoadedAt > LIVE_RELOAD_NANOS) {
            reloadLive();
        }
        return live.inStatus(statuses);
    }

    /** Reads the live task executions again; also forgets the snapshots of executions that have ended. */
    private void reloadLive() {
        List<TaskExecution> notFinal = store.tasksInStatus(ACTIVE);
        live.reload(notFinal);
        liveLoadedAt = System.nanoTime();
        // one entry per execution ever seen would grow without end; snapshotOf reads an entry again when needed
        Set<Long> current = new HashSet<>();
        running().forEach(x -> current.add(x.id()));
        notFinal.forEach(t -> current.add(t.workflowExecutionId()));
        executionSnapshots.keySet().retainAll(current);
        latestTaskCache.keySet().retainAll(current);
        ruleStateCache.keySet().removeIf(owner -> owner > 0 && !current.contains(owner)); // trigger owners (< 0) stay
        Set<Long> liveIds = notFinal.stream().map(TaskExecution::id).collect(java.util.stream.Collectors.toSet());
        queuedHere.retainAll(liveIds);
        triggers.retain(liveIds);
    }

    /** Stores a decision with the status events of the task executions it queues or moves on. */
    private DecisionOutcome record(Decision decision) {
        if (!pendingStarts.isEmpty()) {
            // started jobs' handles ride along, before the decision's own changes to those tasks
            List<Decision.Transition> all = new ArrayList<>(pendingStarts);
            all.addAll(decision.transitions());
            decision = new Decision(decision.cursor(), decision.executions(), decision.tasks(), decision.ruleStates(), all,
                    decision.executionsToStop());
        }
        Outboxed<DecisionOutcome> outcome = store.record(CONSUMER, decision, this::statusEvents);
        pendingStarts.clear();
        storedCursor = Math.max(storedCursor, decision.cursor());
        lastStatusVersion = Math.max(lastStatusVersion, outcome.lastEventVersion());
        outcome.value().queued().forEach(t -> {
            live.put(t);
            rememberLatest(t);
            queuedHere.add(t.id());
        });
        outcome.value().transitioned().forEach(this::remember);
        if (outcome.value().transitioned().size() < decision.transitions().size()) {
            // a compare-and-set that no longer applied: the row changed elsewhere, read it as stored
            Set<Long> applied = new HashSet<>();
            outcome.value().transitioned().forEach(t -> applied.add(t.id()));
            decision.transitions().stream().filter(c -> !applied.contains(c.taskExecutionId()))
                    .forEach(c -> store.findTask(c.taskExecutionId()).ifPresent(this::remember));
        }
        for (RuleState r : decision.ruleStates()) {
            Map<String, Map<String, String>> states = ruleStateCache.get(r.workflowExecutionId());
            if (states != null) {
                states.put(r.taskName() + "#" + r.ruleIndex(), r.state());
            }
        }
        return outcome.value();
    }

    private void requestStop(TaskExecution t, String why) {
        TaskExecution current = store.findTask(t.id()).orElseThrow();
        if (current.status().isFinal() || current.status() == TaskStatus.STOPPING) {
            return;
        }
        if (current.handle() == null || current.status() == TaskStatus.RETRYING) {
            transition(current, TaskStatus.STOPPED, why, null);
            return;
        }
        transition(current, TaskStatus.STOPPING, why, null).ifPresent(this::stopJob);
    }

    /** Asks the runner to stop a STOPPING task's job (stream tasks: with a savepoint); repeating it is harmless. */
    private void stopJob(TaskExecution t) {
        Optional<JobRunner> runner = runners.get(t.runnerType());
        if (runner.isEmpty() || t.handle() == null) {
            return; // asked again at the next start, which re-issues the stops of STOPPING tasks
        }
        boolean stream = definition(snapshotOf(t.workflowExecutionId())).task(t.taskName()).map(d -> d.kind() == TaskKind.STREAM).orElse(false);
        try {
            runner.get().stop(SchedulerJson.readHandle(t.handle()), stream);
        } catch (JobRunnerException | RuntimeException e) {
            LOG.warn("Runner '{}' could not stop task execution {}: {}", t.runnerType(), t.id(), e.getMessage());
        }
    }

    /** The event that reports a task execution's status, stored in the same transaction as the status (outbox). */
    private List<EventDraft> statusEvents(TaskExecution t) {
        // runs inside the store's transaction: must not call the store (the task execution names its namespace)
        Map<String, String> context = Map.of(TaskStatusEvents.CONTEXT_EXECUTION_ID, Long.toString(t.workflowExecutionId()),
                TaskStatusEvents.CONTEXT_WORKFLOW_NAMESPACE, t.namespace(), TaskStatusEvents.CONTEXT_WORKFLOW_NAME, t.workflowName(),
                TaskStatusEvents.CONTEXT_TASK_NAME, t.taskName(), TaskStatusEvents.CONTEXT_TASK_EXECUTION_ID, Long.toString(t.id()),
                TaskStatusEvents.CONTEXT_ATTEMPT, Integer.toString(t.attempt()));
        return List.of(new EventDraft(TaskStatusEvents.NAMESPACE, TaskStatusEvents.key(t.workflowName(), t.taskName()), t.status().name(),
                TaskStatusEvents.TYPE, TaskStatusEvents.SENDER, context, null));
    }

    // ---------------------------------------------------------------- service API

    @Override
    public Workflow upload(WorkflowDefinition definition) {
        validatePlugins(definition);
        return onWorker(() -> {
            workflowsCache = null;
            Optional<WorkflowDefinition> before = store.findWorkflow(definition.namespace(), definition.name())
                    .map(w -> definition(w.snapshotId()));
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

    private void validatePlugins(WorkflowDefinition definition) {
        for (Schedule s : definition.schedules()) {
            try {
                ScheduleSpec.parse(s.cron(), s.intervalSeconds(), s.timeZone());
            } catch (ValidationException e) {
                throw new ValidationException("schedule '" + s.name() + "': " + e.getMessage());
            }
        }
        for (int i = 0; i < definition.triggers().size(); i++) {
            Trigger trigger = definition.triggers().get(i);
            String typeName = trigger.condition().type();
            String which = "trigger " + (i + 1);
            ConditionType type = conditions.get(typeName).orElseThrow(() -> new ValidationException(
                    which + ": condition type '" + typeName + "' is not installed (installed: " + conditions.names() + ")"));
            if (!ExecutionRules.namesOtherWorkflowsOnly(trigger.condition())) {
                // a trigger sees no execution: a status condition on its own tasks could never fire
                throw new ValidationException(which + ": a trigger's status condition must name another 'workflow'");
            }
            try {
                type.validate(trigger.condition().config(), definition);
            } catch (ValidationException e) {
                throw new ValidationException(which + ": " + e.getMessage());
            }
        }
        for (SchedulingPolicy policy : policies.all()) {
            policy.validate(definition);
        }
        for (TaskDefinition task : definition.tasks()) {
            for (Rule rule : task.effectiveRules()) {
                String typeName = rule.condition().type();
                ConditionType type = conditions.get(typeName).orElseThrow(() -> new ValidationException(
                        "task '" + task.name() + "': condition type '" + typeName + "' is not installed (installed: "
                                + conditions.names() + ")"));
                try {
                    type.validate(rule.condition().config(), definition);
                } catch (ValidationException e) {
                    throw new ValidationException("task '" + task.name() + "': " + e.getMessage());
                }
            }
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
        onWorker(() -> {
            if (!store.listExecutions(ExecutionStatus.RUNNING, w.id(), 1).isEmpty()) {
                throw new ConflictException("workflow '" + w.namespace() + "/" + w.name() + "' has a running execution; stop it first");
            }
            store.deleteWorkflow(w.id());
            workflowsCache = null;
            schedules.forget(w.id());
            return null;
        });
    }

    @Override
    public Workflow setEnabled(String namespace, String name, boolean enabled) {
        Workflow w = workflow(namespace, name);
        return onWorker(() -> {
            workflowsCache = null;
            schedules.forget(w.id()); // read again: an operator may have edited them
            return store.setWorkflowEnabled(w.id(), enabled).orElseThrow(() -> new NotFoundException("workflow", name));
        });
    }

    @Override
    public WorkflowExecution startExecution(String namespace, String name) {
        Workflow w = workflow(namespace, name);
        if (!w.enabled()) {
            throw new ConflictException("workflow '" + namespace + "/" + name + "' is disabled; enable it first");
        }
        return onWorker(() -> {
            WorkflowDefinition def = definition(w.snapshotId());
            PolicyVerdict verdict = review(new ProposedAction(w.name(), 0, null, Action.START, 1, Map.of(), def.options()),
                    tasksIn(ATTACHED));
            if (verdict.kind() != PolicyVerdict.Kind.PROCEED) {
                throw new ConflictException("workflow '" + namespace + "/" + name + "' cannot start now: " + verdict.reason());
            }
            runningCache = null;
            DecisionOutcome outcome = record(new Decision(cursor, List.of(new Decision.NewExecution(w.id(),
                    w.snapshotId(), initialTasks(def, "started with the execution"))), null, null, null, null));
            dispatch();
            return outcome.executions().get(0);
        });
    }

    @Override
    public WorkflowExecution stopExecution(long executionId) {
        return onWorker(() -> {
            WorkflowExecution x = store.findExecution(executionId).orElseThrow(() -> new NotFoundException("workflow execution", executionId));
            if (x.status().isFinal()) {
                return x;
            }
            store.listTasks(new TaskQuery(null, executionId, null, 10_000)).stream()
                    .filter(t -> ACTIVE.contains(t.status()))
                    .forEach(t -> requestStop(t, "workflow execution stopped"));
            store.finishExecution(executionId, ExecutionStatus.STOPPED);
            runningCache = null;
            return store.findExecution(executionId).orElseThrow();
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
        return onWorker(() -> queueByHand(executionId, taskName, false));
    }

    @Override
    public TaskExecution restartTask(long executionId, String taskName) {
        return onWorker(() -> queueByHand(executionId, taskName, true));
    }

    /** Queues a new attempt of a task as a START (or, with {@code restart}, RESTART) rule would; on the worker. */
    private TaskExecution queueByHand(long executionId, String taskName, boolean restart) {
        WorkflowExecution x = execution(executionId);
        if (x.status().isFinal()) {
            throw new ConflictException("workflow execution " + executionId + " has ended (" + x.status() + ")");
        }
        TaskDefinition task = definition(x.snapshotId()).task(taskName)
                .orElseThrow(() -> new NotFoundException("task '" + taskName + "' is not part of workflow execution " + executionId));
        List<TaskExecution> active = store.listTasks(new TaskQuery(null, executionId, null, 10_000)).stream()
                .filter(t -> t.taskName().equals(taskName) && ACTIVE.contains(t.status())).toList();
        if (!restart && !active.isEmpty()) {
            throw new ConflictException("task '" + taskName + "' is already " + active.get(0).status()
                    + " (task execution " + active.get(0).id() + "); restart it instead");
        }
        String reason = (restart ? "restarted" : "started") + " by hand";
        TaskExecution queued = record(new Decision(cursor, null,
                List.of(new NewTaskExecution(x.id(), x.workflowName(), taskName, task.job().runnerType(), reason)), null, null, null))
                .queued().get(0);
        active.forEach(t -> requestStop(t, reason));
        dispatch();
        return store.findTask(queued.id()).orElseThrow();
    }

    @Override
    public TaskExecution stopTask(long taskExecutionId) {
        return onWorker(() -> {
            requestStop(task(taskExecutionId), "stopped by hand");
            return store.findTask(taskExecutionId).orElseThrow();
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

    private WorkflowDefinition definition(long snapshotId) {
        return definitions.computeIfAbsent(snapshotId, id -> snapshot(id).definition());
    }

    /** Runs state-changing work on the worker thread, so it never interleaves with event processing. */
    private <T> T onWorker(Callable<T> work) {
        try {
            return worker.submit(() -> {
                flushStarts(); // API calls read and change tasks as stored
                return work.call();
            }).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new UnavailableException("scheduler failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for the scheduler", e);
        }
    }
}
