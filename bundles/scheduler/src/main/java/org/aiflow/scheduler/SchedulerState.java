package org.aiflow.scheduler;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.spi.storage.RuleState;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.workflow.WorkflowDefinition;

/**
 * What the scheduler knows between events, read from the store once and then kept up to date from
 * the changes the scheduler itself makes (it makes them all while it is the leader): the enabled
 * workflows and their interest index, the running executions, the live task executions, rule states,
 * the newest attempt of each task, the event cursor. Every read the decider and the job monitor do
 * for an event goes here instead of to the database.
 *
 * <p>The store stays the truth: {@link #forget()} drops everything (after a failed transaction, or
 * when this node stops being the leader) and it is read again. Worker thread only, except
 * {@link #definition}, which the service API also uses.
 */
final class SchedulerState implements EventDecider.View {
    static final Set<TaskStatus> ACTIVE = EnumSet.of(TaskStatus.QUEUED, TaskStatus.WAITING, TaskStatus.RUNNING,
            TaskStatus.RETRYING, TaskStatus.STOPPING);
    static final Set<TaskStatus> ATTACHED = EnumSet.of(TaskStatus.RUNNING, TaskStatus.STOPPING, TaskStatus.WAITING);
    /** How often the copy of the live task executions is read again from the store, in case anything else changed them. */
    private static final long LIVE_RELOAD_NANOS = TimeUnit.SECONDS.toNanos(30);
    static final int MAX_EXECUTIONS = 10_000;

    private final SchedulerStore store;
    private final TaskTokens tokens;
    private final TriggerEvents triggers;
    /** Snapshots never change: kept for good, shared with the service API. */
    private final Map<Long, WorkflowDefinition> definitions = new ConcurrentHashMap<>();

    /** The newest event decided (in memory; see {@link #storedCursor}). */
    long cursor;
    /** The cursor as committed; behind {@link #cursor} only by events that decided nothing. */
    long storedCursor;
    /** The retention subscription's acknowledged version. */
    long acknowledged;
    /** The newest status event published; executions end only once the cursor has passed it. */
    long lastStatusVersion;

    private Map<Long, Workflow> workflowsCache;
    private List<WorkflowExecution> runningCache;
    private Map<Long, WorkflowExecution> runningById;
    private final LiveTasks live = new LiveTasks();
    private final Map<Long, Map<String, Map<String, String>>> ruleStateCache = new HashMap<>();
    /** The most task executions read for one execution's newest attempts. */
    private static final int LATEST_TASKS_READ = 10_000;
    private final Map<Long, Map<String, TaskExecution>> latestTaskCache = new HashMap<>();
    /** Executions whose every task execution was read into {@link #latestTaskCache} (fewer than the read's limit). */
    private final Set<Long> allAttemptsKnown = new HashSet<>();
    private InterestIndex<Workflow> workflowIndex;
    private Map<Long, Workflow> indexedWorkflows;
    private InterestIndex<WorkflowExecution> executionIndex;
    private List<WorkflowExecution> indexedExecutions;
    /** Task executions this node queued and has not submitted: no job can run for them yet. */
    private final Set<Long> queuedHere = new HashSet<>();
    private long liveLoadedAt;
    private final Map<Long, EventInterest> taskInterest = new HashMap<>();
    private final Map<Long, EventInterest> workflowInterest = new HashMap<>();
    /** Whether the built-in condition type of a name decides; the interests read built-in configuration only then. */
    private Predicate<String> builtInDecides = type -> true;
    /** The snapshot each execution runs: it never changes, so it is read from the store once. */
    private final Map<Long, Long> executionSnapshots = new HashMap<>();

    SchedulerState(SchedulerStore store, TaskTokens tokens, TriggerEvents triggers) {
        this.store = store;
        this.tokens = tokens;
        this.triggers = triggers;
    }

    TriggerEvents triggers() {
        return triggers;
    }

    // ---------------------------------------------------------------- workflows and executions

    Map<Long, Workflow> workflowsById() {
        if (workflowsCache == null) {
            workflowsCache = new LinkedHashMap<>();
            store.listWorkflows().forEach(w -> workflowsCache.put(w.id(), w));
        }
        return workflowsCache;
    }

    Collection<Workflow> workflows() {
        return workflowsById().values();
    }

    @Override
    public Optional<Workflow> workflow(long workflowId) {
        return Optional.ofNullable(workflowsById().get(workflowId));
    }

    /** The workflows changed (uploaded, enabled, disabled, deleted): read them again when next needed. */
    void workflowsChanged() {
        workflowsCache = null;
    }

    @Override
    public List<WorkflowExecution> running() {
        if (runningCache == null) {
            runningCache = store.listExecutions(ExecutionStatus.RUNNING, null, MAX_EXECUTIONS);
            runningById = new HashMap<>();
            runningCache.forEach(x -> runningById.put(x.id(), x));
        }
        return runningCache;
    }

    @Override
    public Optional<WorkflowExecution> runningExecution(long executionId) {
        running();
        return Optional.ofNullable(runningById.get(executionId));
    }

    /** Executions started or ended: read the running ones again when next needed. */
    void runningChanged() {
        runningCache = null;
    }

    @Override
    public List<Workflow> workflowCandidates(String eventKey) {
        Map<Long, Workflow> current = workflowsById();
        if (workflowIndex == null || indexedWorkflows != current) {
            workflowIndex = new InterestIndex<>(current.values(), w -> interest(workflowInterest, w.snapshotId(), d -> EventInterest.ofWorkflow(d, builtInDecides)));
            indexedWorkflows = current;
        }
        return workflowIndex.candidates(eventKey);
    }

    @Override
    public List<WorkflowExecution> executionCandidates(String eventKey) {
        List<WorkflowExecution> current = running();
        if (executionIndex == null || indexedExecutions != current) {
            executionIndex = new InterestIndex<>(current, x -> interest(taskInterest, x.snapshotId(), d -> EventInterest.ofTasks(d, builtInDecides)));
            indexedExecutions = current;
        }
        return executionIndex.candidates(eventKey);
    }

    @Override
    public EventInterest taskInterest(long snapshotId) {
        return interest(taskInterest, snapshotId, d -> EventInterest.ofTasks(d, builtInDecides));
    }

    /**
     * The condition types changed (a plugin came or went, maybe replacing a built-in or giving it
     * back): the interests are computed again, with {@code builtInDecides} telling whether the
     * built-in of a name decides.
     */
    void conditionTypesChanged(Predicate<String> builtInDecides) {
        this.builtInDecides = builtInDecides;
        taskInterest.clear();
        workflowInterest.clear();
        workflowIndex = null;
        executionIndex = null;
    }

    private EventInterest interest(Map<Long, EventInterest> cache, long snapshotId, Function<WorkflowDefinition, EventInterest> compute) {
        EventInterest i = cache.get(snapshotId);
        if (i == null) {
            i = compute.apply(definition(snapshotId));
            cache.put(snapshotId, i);
        }
        return i;
    }

    @Override
    public WorkflowDefinition definition(long snapshotId) {
        return definitions.computeIfAbsent(snapshotId, id -> store.findSnapshot(id)
                .orElseThrow(() -> new NotFoundException("workflow snapshot", id)).definition());
    }

    /** The snapshot an execution runs. */
    private long snapshotOf(long executionId) {
        Long snapshot = executionSnapshots.get(executionId);
        if (snapshot == null) {
            // a running execution is in the copy of running ones already (a read per execution's first start otherwise)
            snapshot = runningExecution(executionId).map(WorkflowExecution::snapshotId).orElse(null);
        }
        if (snapshot == null) {
            snapshot = store.findExecution(executionId).orElseThrow(() -> new NotFoundException("workflow execution", executionId))
                    .snapshotId();
            executionSnapshots.put(executionId, snapshot);
        }
        return snapshot;
    }

    /** The definition an execution runs. */
    WorkflowDefinition definitionOfExecution(long executionId) {
        return definition(snapshotOf(executionId));
    }

    // ---------------------------------------------------------------- rule states and tasks

    /**
     * The stored rule states of an owner (an execution, or a workflow's triggers) by {@code ruleSet#index}:
     * read once, then kept up to date from the decisions the scheduler stores. Read-only for callers.
     */
    @Override
    public Map<String, Map<String, String>> ruleStates(long owner) {
        return ruleStateCache.computeIfAbsent(owner, o -> {
            Map<String, Map<String, String>> states = new HashMap<>();
            store.ruleStates(o).forEach(r -> states.put(r.taskName() + "#" + r.ruleIndex(), r.state()));
            return states;
        });
    }

    void ruleStatesStored(Collection<RuleState> changed) {
        for (RuleState r : changed) {
            Map<String, Map<String, String>> states = ruleStateCache.get(r.workflowExecutionId());
            if (states != null) {
                states.put(r.taskName() + "#" + r.ruleIndex(), r.state());
            }
        }
    }

    /** The newest attempt of each task of an execution: read once, then kept up to date from every change the scheduler makes. */
    @Override
    public Map<String, TaskExecution> latestTasks(long executionId) {
        return latestTaskCache.computeIfAbsent(executionId, id -> {
            Map<String, TaskExecution> latest = new HashMap<>();
            List<TaskExecution> stored = store.listTasks(new TaskQuery(null, id, null, LATEST_TASKS_READ));
            stored.forEach(t -> latest.putIfAbsent(t.taskName(), t)); // newest first
            if (stored.size() < LATEST_TASKS_READ) {
                allAttemptsKnown.add(id);
            }
            // the copy of live tasks is newer than storage for starts not stored yet (see Recorder.started)
            live.ofExecution(id).forEach(t -> latest.merge(t.taskName(), t, (old, now) -> now.id() >= old.id() ? now : old));
            return latest;
        });
    }

    @Override
    public boolean allAttemptsKnown(long executionId) {
        return allAttemptsKnown.contains(executionId) && latestTaskCache.containsKey(executionId);
    }

    @Override
    public List<TaskExecution> liveTasks(long executionId) {
        return live.ofExecution(executionId);
    }

    /** The not-final attempts of an execution as stored (after the pending starts are stored, as on the worker's API calls). */
    List<TaskExecution> activeTasks(long executionId) {
        return store.listTasks(new TaskQuery(null, executionId, null, 10_000)).stream()
                .filter(t -> ACTIVE.contains(t.status())).toList();
    }

    @Override
    public List<TaskExecution> attached() {
        return tasksIn(ATTACHED);
    }

    /** The not-final task executions in one of the statuses, oldest first, from the copy. */
    List<TaskExecution> tasksIn(Collection<TaskStatus> statuses) {
        return live.inStatus(statuses);
    }

    /** A not-final task execution as the copy has it; empty once it has ended. */
    Optional<TaskExecution> live(long taskExecutionId) {
        return live.get(taskExecutionId);
    }

    /**
     * Whether the copy of the live task executions is older than 30 s and should be read again
     * ({@link #reloadLive}), where every start is stored (a start written behind is RUNNING in the
     * copy, QUEUED as stored).
     */
    boolean liveReloadDue() {
        return System.nanoTime() - liveLoadedAt > LIVE_RELOAD_NANOS;
    }

    /** A task execution as it is now: into the copy; an ended attempt's token and trigger event are dropped. */
    void remember(TaskExecution t) {
        live.put(t);
        Map<String, TaskExecution> latest = latestTaskCache.get(t.workflowExecutionId());
        if (latest != null) {
            latest.merge(t.taskName(), t, (old, now) -> now.id() >= old.id() ? now : old);
        }
        if (t.status().isFinal()) {
            queuedHere.remove(t.id());
            triggers.ended(t.id());
        }
        if ((t.status().isFinal() || t.status() == TaskStatus.RETRYING) && t.handle() != null) {
            tokens.revoke(t.id()); // the attempt's job has ended: so has its identity (a failed submit revoked it already)
        }
    }

    /** A task execution this node has just queued. */
    void queued(TaskExecution t) {
        remember(t);
        queuedHere.add(t.id());
    }

    boolean queuedHere(long taskExecutionId) {
        return queuedHere.contains(taskExecutionId);
    }

    void submitted(long taskExecutionId) {
        queuedHere.remove(taskExecutionId);
    }

    /** Reads the live task executions again; also forgets what belongs to executions that have ended. */
    void reloadLive() {
        List<TaskExecution> notFinal = store.tasksInStatus(ACTIVE);
        live.reload(notFinal);
        liveLoadedAt = System.nanoTime();
        // one entry per execution ever seen would grow without end; each is read again when needed
        Set<Long> current = new HashSet<>();
        running().forEach(x -> current.add(x.id()));
        notFinal.forEach(t -> current.add(t.workflowExecutionId()));
        executionSnapshots.keySet().retainAll(current);
        latestTaskCache.keySet().retainAll(current);
        allAttemptsKnown.retainAll(latestTaskCache.keySet());
        ruleStateCache.keySet().removeIf(owner -> owner > 0 && !current.contains(owner)); // trigger owners (< 0) stay
        Set<Long> liveIds = notFinal.stream().map(TaskExecution::id).collect(Collectors.toSet());
        queuedHere.retainAll(liveIds);
        triggers.retain(liveIds);
    }

    /**
     * Drops everything but the snapshots and reads the cursor again: after a transaction that did
     * not commit (the copies may hold what it would have stored), or on becoming the leader.
     */
    void forget() {
        workflowsCache = null;
        runningCache = null;
        ruleStateCache.clear();
        latestTaskCache.clear();
        allAttemptsKnown.clear();
        workflowIndex = null;
        executionIndex = null;
        indexedWorkflows = null;
        indexedExecutions = null;
        queuedHere.clear();
        executionSnapshots.clear();
        cursor = store.cursor(Scheduler.CONSUMER);
        storedCursor = cursor;
        reloadLive();
    }

    int liveCount() {
        return live.size();
    }
}
