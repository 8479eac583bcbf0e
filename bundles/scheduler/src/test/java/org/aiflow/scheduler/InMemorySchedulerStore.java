package org.aiflow.scheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.aiflow.api.error.FencedException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.SnapshotInfo;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.TaskStatusChange;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.execution.WorkflowSnapshot;
import org.aiflow.api.spi.storage.Decision;
import org.aiflow.api.spi.storage.DecisionOutcome;
import org.aiflow.api.spi.storage.LeaderFence;
import org.aiflow.api.spi.storage.NewTaskExecution;
import org.aiflow.api.spi.storage.Outboxed;
import org.aiflow.api.spi.storage.RuleState;
import org.aiflow.api.spi.storage.ScheduleState;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.workflow.WorkflowDefinition;

/**
 * A {@link SchedulerStore} in memory, with the semantics of the JDBC one (MyBatisSchedulerStore):
 * compare-and-set transitions with their status-change history, attempt numbers per task, the
 * consumer cursor, rule and schedule states, and outbox events appended to a small event log at the
 * commit. {@link #inTransaction} joins every call of the same thread and rolls all of it back (a
 * copy of the data taken at its start) if the work throws; {@link #commits()} counts the write
 * transactions that committed. A settable lease fences transactions as the database's lease row does.
 * One lock for everything: another thread's calls wait for an open transaction to end.
 */
final class InMemorySchedulerStore implements SchedulerStore {
    static final int MAX_MESSAGE = 2000;

    /** Everything stored; records are immutable, so a copy of the maps is a snapshot. */
    private static final class Data {
        TreeMap<Long, Workflow> workflows = new TreeMap<>();
        TreeMap<Long, WorkflowSnapshot> snapshots = new TreeMap<>();
        TreeMap<Long, WorkflowExecution> executions = new TreeMap<>();
        TreeMap<Long, TaskExecution> tasks = new TreeMap<>();
        List<TaskStatusChange> changes = new ArrayList<>();
        Map<String, RuleState> ruleStates = new HashMap<>();
        Map<String, Long> cursors = new HashMap<>();
        Map<String, ScheduleState> schedules = new HashMap<>();
        List<Event> events = new ArrayList<>();
        long workflowIds, snapshotIds, executionIds, taskIds;

        Data copy() {
            Data d = new Data();
            d.workflows.putAll(workflows);
            d.snapshots.putAll(snapshots);
            d.executions.putAll(executions);
            d.tasks.putAll(tasks);
            d.changes.addAll(changes);
            d.ruleStates.putAll(ruleStates);
            d.cursors.putAll(cursors);
            d.schedules.putAll(schedules);
            d.events.addAll(events);
            d.workflowIds = workflowIds;
            d.snapshotIds = snapshotIds;
            d.executionIds = executionIds;
            d.taskIds = taskIds;
            return d;
        }
    }

    /** The transaction open on the thread holding the lock. */
    private static final class Tx {
        final List<EventDraft> outbox = new ArrayList<>();
        RuntimeException failed;
    }

    private Data data = new Data();
    private Tx tx;
    private LeaderFence lease;
    private int commits;
    private int rollbacks;
    private final List<Consumer<List<Event>>> listeners = new CopyOnWriteArrayList<>();

    /** Who holds the lease now; transactions with another fence fail. Null: nobody (every fenced transaction fails). */
    synchronized void lease(LeaderFence holder) {
        this.lease = holder;
    }

    /** Write transactions committed so far (a joined call is part of its transaction, not one of its own). */
    synchronized int commits() {
        return commits;
    }

    synchronized int rollbacks() {
        return rollbacks;
    }

    /** The event log: outbox events and {@link #append appended} ones, in version order. */
    synchronized List<Event> events() {
        return List.copyOf(data.events);
    }

    synchronized long lastVersion() {
        return data.events.isEmpty() ? 0 : data.events.get(data.events.size() - 1).version();
    }

    /** Appends events to the log outside any scheduler transaction (as a publisher does), and announces them. */
    List<Event> append(List<EventDraft> drafts) {
        List<Event> appended;
        synchronized (this) {
            appended = appendIn(drafts);
        }
        announce(appended);
        return appended;
    }

    /** Told about every committed batch of events, after the commit, outside the lock. */
    void onCommitted(Consumer<List<Event>> listener) {
        listeners.add(listener);
    }

    @Override
    public <T> Outboxed<T> inTransaction(LeaderFence fence, Supplier<T> work) {
        List<Event> appended;
        T value;
        synchronized (this) {
            if (tx != null) { // nested: joins, checking its own fence
                try {
                    check(fence);
                    return new Outboxed<>(work.get(), 0);
                } catch (RuntimeException e) {
                    tx.failed = e;
                    throw e;
                }
            }
            check(fence);
            Data before = data.copy();
            tx = new Tx();
            try {
                value = work.get();
                if (tx.failed != null) {
                    throw new IllegalStateException("a call joined to the transaction failed: " + tx.failed.getMessage(), tx.failed);
                }
                appended = appendIn(tx.outbox);
                commits++;
            } catch (RuntimeException | Error e) {
                data = before;
                rollbacks++;
                throw e;
            } finally {
                tx = null;
            }
        }
        announce(appended);
        return new Outboxed<>(value, highest(appended));
    }

    private void check(LeaderFence fence) {
        if (fence != null && !fence.equals(lease)) {
            throw new FencedException("lease '" + fence.lease() + "' is held by " + (lease == null ? "nobody" : lease.owner() + " at epoch "
                    + lease.epoch()) + ", not " + fence.owner() + " at epoch " + fence.epoch());
        }
    }

    /** A write: joins the open transaction, or is one transaction of its own. */
    private <T> Outboxed<T> write(Function<List<EventDraft>, T> work) {
        synchronized (this) {
            if (tx != null) {
                List<EventDraft> drafts = new ArrayList<>();
                try {
                    T value = work.apply(drafts);
                    tx.outbox.addAll(drafts);
                    return new Outboxed<>(value, 0);
                } catch (RuntimeException e) {
                    tx.failed = e;
                    throw e;
                }
            }
        }
        return inTransaction(null, () -> write(work).value()); // announces outside the lock
    }

    private List<Event> appendIn(List<EventDraft> drafts) {
        List<Event> appended = new ArrayList<>();
        long version = lastVersion();
        for (EventDraft d : drafts) {
            Event e = new Event(++version, d.namespace(), d.key(), d.value(), d.type(), d.sender(), d.context(), Instant.now(), d.principal());
            data.events.add(e);
            appended.add(e);
        }
        return appended;
    }

    private void announce(List<Event> appended) {
        if (!appended.isEmpty()) {
            listeners.forEach(l -> l.accept(appended));
        }
    }

    private static long highest(List<Event> events) {
        return events.stream().mapToLong(Event::version).max().orElse(0);
    }

    @Override
    public Workflow saveWorkflow(WorkflowDefinition definition) {
        return write(drafts -> {
            Instant now = Instant.now();
            Workflow w = find(definition.namespace(), definition.name()).orElse(null);
            long id = w == null ? ++data.workflowIds : w.id();
            WorkflowSnapshot s = new WorkflowSnapshot(++data.snapshotIds, id, definition, now);
            data.snapshots.put(s.id(), s);
            Workflow saved = new Workflow(id, definition.namespace(), definition.name(), w == null || w.enabled(), s.id(),
                    w == null ? now : w.createTime(), now);
            data.workflows.put(id, saved);
            return saved;
        }).value();
    }

    private Optional<Workflow> find(String namespace, String name) {
        return data.workflows.values().stream().filter(w -> w.namespace().equals(namespace) && w.name().equals(name)).findFirst();
    }

    @Override
    public synchronized Optional<Workflow> findWorkflow(String namespace, String name) {
        return find(namespace, name);
    }

    @Override
    public synchronized List<Workflow> listWorkflows() {
        return data.workflows.values().stream().sorted(Comparator.comparing(Workflow::namespace).thenComparing(Workflow::name)).toList();
    }

    @Override
    public Optional<Workflow> setWorkflowEnabled(long workflowId, boolean enabled) {
        return write(drafts -> Optional.ofNullable(data.workflows.computeIfPresent(workflowId, (id, w) -> new Workflow(id, w.namespace(),
                w.name(), enabled, w.snapshotId(), w.createTime(), Instant.now())))).value();
    }

    @Override
    public synchronized Optional<WorkflowSnapshot> findSnapshot(long snapshotId) {
        return Optional.ofNullable(data.snapshots.get(snapshotId));
    }

    @Override
    public synchronized List<SnapshotInfo> listSnapshots(long workflowId, Long beforeId, int limit) {
        return data.snapshots.descendingMap().values().stream().filter(s -> s.workflowId() == workflowId && (beforeId == null || s.id() < beforeId))
                .limit(limit).map(s -> new SnapshotInfo(s.id(), s.workflowId(), s.createTime())).toList();
    }

    @Override
    public boolean deleteWorkflow(long workflowId) {
        return write(drafts -> data.workflows.remove(workflowId) != null).value();
    }

    @Override
    public WorkflowExecution createExecution(long workflowId, long snapshotId) {
        return write(drafts -> insertExecution(workflowId, snapshotId)).value();
    }

    private WorkflowExecution insertExecution(long workflowId, long snapshotId) {
        Workflow w = data.workflows.get(workflowId);
        if (w == null) {
            throw new NotFoundException("workflow", workflowId);
        }
        WorkflowExecution x = new WorkflowExecution(++data.executionIds, workflowId, w.namespace(), w.name(), snapshotId,
                ExecutionStatus.RUNNING, Instant.now(), null);
        data.executions.put(x.id(), x);
        return x;
    }

    @Override
    public synchronized Optional<WorkflowExecution> findExecution(long executionId) {
        return Optional.ofNullable(data.executions.get(executionId));
    }

    @Override
    public synchronized List<WorkflowExecution> listExecutions(ExecutionStatus status, Long workflowId, int limit) {
        return listExecutions(status, workflowId, null, limit);
    }

    @Override
    public synchronized List<WorkflowExecution> listExecutions(ExecutionStatus status, Long workflowId, Long beforeId, int limit) {
        return data.executions.descendingMap().values().stream().filter(x -> (status == null || x.status() == status)
                && (workflowId == null || x.workflowId() == workflowId) && (beforeId == null || x.id() < beforeId)).limit(limit).toList();
    }

    @Override
    public boolean finishExecution(long executionId, ExecutionStatus status) {
        return write(drafts -> finish(executionId, status)).value();
    }

    private boolean finish(long executionId, ExecutionStatus status) {
        WorkflowExecution x = data.executions.get(executionId);
        if (x == null || x.status() != ExecutionStatus.RUNNING) {
            return false;
        }
        data.executions.put(x.id(), new WorkflowExecution(x.id(), x.workflowId(), x.namespace(), x.workflowName(), x.snapshotId(), status,
                x.startTime(), Instant.now()));
        return true;
    }

    @Override
    public synchronized long cursor(String consumer) {
        return data.cursors.getOrDefault(consumer, 0L);
    }

    @Override
    public Outboxed<DecisionOutcome> record(String consumer, Decision decision, Function<TaskExecution, List<EventDraft>> outbox) {
        return write(drafts -> {
            List<WorkflowExecution> executions = new ArrayList<>();
            List<TaskExecution> queued = new ArrayList<>();
            for (Decision.NewExecution n : decision.executions()) {
                WorkflowExecution x = insertExecution(n.workflowId(), n.snapshotId());
                executions.add(x);
                for (NewTaskExecution t : n.initialTasks()) {
                    queued.add(queue(new NewTaskExecution(x.id(), x.namespace(), x.workflowName(), t.taskName(), t.runnerType(), t.reason())));
                }
            }
            decision.tasks().forEach(t -> queued.add(queue(t)));
            decision.ruleStates().forEach(r -> data.ruleStates.put(r.workflowExecutionId() + "/" + r.taskName() + "#" + r.ruleIndex(), r));
            List<TaskExecution> transitioned = new ArrayList<>();
            for (Decision.Transition t : decision.transitions()) {
                checkCurrent(t);
                cas(t.taskExecutionId(), t.expected(), t.to(), t.message(), t.handle()).ifPresent(transitioned::add);
            }
            decision.executionsToStop().forEach(id -> finish(id, ExecutionStatus.STOPPED));
            data.cursors.put(consumer, decision.cursor());
            queued.forEach(t -> drafts.addAll(outbox.apply(t)));
            transitioned.forEach(t -> drafts.addAll(outbox.apply(t)));
            return new DecisionOutcome(executions, queued, transitioned);
        });
    }

    private TaskExecution queue(NewTaskExecution n) {
        WorkflowExecution x = data.executions.get(n.workflowExecutionId());
        if (n.namespace() == null && x == null) {
            throw new NotFoundException("workflow execution", n.workflowExecutionId());
        }
        int attempt = data.tasks.values().stream().filter(t -> t.workflowExecutionId() == n.workflowExecutionId()
                && t.taskName().equals(n.taskName())).mapToInt(TaskExecution::attempt).max().orElse(0) + 1;
        if (n.attempt() != 0 && n.attempt() != attempt) {
            // the scheduler names the attempt from its copy: a wrong number here is a scheduler bug the JDBC store would store
            throw new IllegalStateException("task " + n.taskName() + " of execution " + n.workflowExecutionId() + " queued as attempt "
                    + n.attempt() + ", but its next attempt is " + attempt);
        }
        Instant now = Instant.now();
        TaskExecution t = new TaskExecution(++data.taskIds, n.workflowExecutionId(), n.namespace() != null ? n.namespace() : x.namespace(),
                n.workflowName(), n.taskName(), attempt, n.runnerType(), TaskStatus.QUEUED, null, clip(n.reason()), now, now);
        data.tasks.put(t.id(), t);
        data.changes.add(new TaskStatusChange(t.id(), null, TaskStatus.QUEUED, t.message(), now));
        return t;
    }

    /**
     * A transition that carries the scheduler's row lets the JDBC store build the result from it:
     * what never changes after the insert, and the handle kept, must then be as stored.
     */
    private void checkCurrent(Decision.Transition t) {
        TaskExecution held = t.current();
        TaskExecution stored = data.tasks.get(t.taskExecutionId());
        if (held == null || stored == null || stored.status() != t.expected()) {
            return; // nothing to build from, or the compare-and-set does not apply
        }
        boolean same = held.workflowExecutionId() == stored.workflowExecutionId() && held.namespace().equals(stored.namespace())
                && held.workflowName().equals(stored.workflowName()) && held.taskName().equals(stored.taskName())
                && held.attempt() == stored.attempt() && held.runnerType().equals(stored.runnerType())
                && held.createTime().equals(stored.createTime()) && java.util.Objects.equals(held.handle(), stored.handle());
        if (!same) {
            throw new IllegalStateException("the scheduler's row of task execution " + t.taskExecutionId() + " is " + held
                    + ", the stored one " + stored);
        }
    }

    /** Compare-and-set of a task's status, with its history row; a null handle keeps the stored one. */
    private Optional<TaskExecution> cas(long id, TaskStatus expected, TaskStatus to, String message, String handle) {
        TaskExecution t = data.tasks.get(id);
        if (t == null || t.status() != expected) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        String msg = clip(message);
        TaskExecution moved = new TaskExecution(t.id(), t.workflowExecutionId(), t.namespace(), t.workflowName(), t.taskName(), t.attempt(),
                t.runnerType(), to, handle != null ? handle : t.handle(), msg, t.createTime(), now);
        data.tasks.put(id, moved);
        data.changes.add(new TaskStatusChange(id, expected, to, msg, now));
        return Optional.of(moved);
    }

    static String clip(String message) {
        if (message == null) {
            return "";
        }
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    }

    @Override
    public synchronized List<RuleState> ruleStates(long workflowExecutionId) {
        return data.ruleStates.values().stream().filter(r -> r.workflowExecutionId() == workflowExecutionId)
                .sorted(Comparator.comparing(RuleState::taskName).thenComparingInt(RuleState::ruleIndex)).toList();
    }

    @Override
    public synchronized Optional<TaskExecution> findTask(long taskExecutionId) {
        return Optional.ofNullable(data.tasks.get(taskExecutionId));
    }

    @Override
    public synchronized List<TaskExecution> listTasks(TaskQuery q) {
        return data.tasks.descendingMap().values().stream().filter(t -> (q.namespace() == null || q.namespace().equals(t.namespace()))
                && (q.workflowName() == null || q.workflowName().equals(t.workflowName()))
                && (q.workflowExecutionId() == null || q.workflowExecutionId() == t.workflowExecutionId())
                && (q.status() == null || q.status() == t.status()) && (q.beforeId() == null || t.id() < q.beforeId()))
                .limit(q.limit()).toList();
    }

    @Override
    public synchronized List<TaskExecution> tasksInStatus(Collection<TaskStatus> statuses) {
        return data.tasks.values().stream().filter(t -> statuses.contains(t.status())).toList();
    }

    @Override
    public Optional<Outboxed<TaskExecution>> transition(long taskExecutionId, TaskStatus expected, TaskStatus to, String message,
                                                        String handle, Function<TaskExecution, List<EventDraft>> outbox) {
        Outboxed<Optional<TaskExecution>> result = write(drafts -> {
            Optional<TaskExecution> moved = cas(taskExecutionId, expected, to, message, handle);
            moved.ifPresent(t -> drafts.addAll(outbox.apply(t)));
            return moved;
        });
        return result.value().map(t -> new Outboxed<>(t, result.lastEventVersion()));
    }

    @Override
    public synchronized List<TaskStatusChange> history(long taskExecutionId) {
        return data.changes.stream().filter(c -> c.taskExecutionId() == taskExecutionId).toList();
    }

    @Override
    public synchronized Optional<ScheduleState> scheduleState(long workflowId, String scheduleName) {
        return Optional.ofNullable(data.schedules.get(workflowId + "/" + scheduleName));
    }

    @Override
    public void saveScheduleState(ScheduleState state) {
        write(drafts -> data.schedules.put(state.workflowId() + "/" + state.scheduleName(), state));
    }
}
