package org.aiflow.storage.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.SnapshotInfo;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.TaskStatusChange;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.execution.WorkflowSnapshot;
import org.aiflow.api.spi.storage.NewTaskExecution;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.spi.storage.Decision;
import org.aiflow.api.spi.storage.LeaderFence;
import org.aiflow.api.spi.storage.Outboxed;
import org.aiflow.api.spi.storage.DecisionOutcome;
import org.aiflow.api.spi.storage.RuleState;
import org.aiflow.api.spi.storage.ScheduleState;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.aiflow.storage.jdbc.mapper.Rows.ExecutionRow;
import org.aiflow.storage.jdbc.mapper.Rows.ScheduleStateRow;
import org.aiflow.storage.jdbc.mapper.Rows.SnapshotRow;
import org.aiflow.storage.jdbc.mapper.Rows.StatusChangeRow;
import org.aiflow.storage.jdbc.mapper.Rows.TaskRow;
import org.aiflow.storage.jdbc.mapper.Rows.WorkflowRow;
import org.aiflow.storage.jdbc.mapper.SchedulerMapper;
import org.apache.ibatis.executor.BatchResult;
import org.apache.ibatis.session.SqlSession;

/**
 * Workflows, executions and task executions over MyBatis; each method one transaction, or part of
 * the one {@link #inTransaction(LeaderFence, Supplier)} opened on the calling thread.
 */
final class MyBatisSchedulerStore implements SchedulerStore {
    static final int MAX_MESSAGE = 2000;
    private final JdbcStorage storage;

    private final MyBatisEventStore events;

    MyBatisSchedulerStore(JdbcStorage storage, MyBatisEventStore events) {
        this.storage = storage;
        this.events = events;
    }

    private <T> T tx(Function<SchedulerMapper, T> work) {
        return storage.inTransaction(session -> work.apply(session.getMapper(SchedulerMapper.class)));
    }

    @Override
    public Workflow saveWorkflow(WorkflowDefinition definition) {
        String json = Json.write(definition);
        return tx(m -> {
            long now = System.currentTimeMillis();
            WorkflowRow row = m.findWorkflow(definition.namespace(), definition.name());
            if (row == null) {
                row = new WorkflowRow();
                row.namespace = definition.namespace();
                row.name = definition.name();
                row.enabled = true;
                row.createTime = now;
                row.updateTime = now;
                m.insertWorkflow(row);
            }
            SnapshotRow snapshot = new SnapshotRow();
            snapshot.workflowId = row.id;
            snapshot.definitionJson = json;
            snapshot.createTime = now;
            m.insertSnapshot(snapshot);
            m.setCurrentSnapshot(row.id, snapshot.id, now);
            return toWorkflow(m.findWorkflowById(row.id));
        });
    }

    @Override
    public Optional<Workflow> findWorkflow(String namespace, String name) {
        return tx(m -> Optional.ofNullable(m.findWorkflow(namespace, name)).map(MyBatisSchedulerStore::toWorkflow));
    }

    @Override
    public List<Workflow> listWorkflows() {
        return tx(m -> m.listWorkflows().stream().map(MyBatisSchedulerStore::toWorkflow).toList());
    }

    @Override
    public Optional<Workflow> setWorkflowEnabled(long workflowId, boolean enabled) {
        return tx(m -> {
            if (m.setEnabled(workflowId, enabled, System.currentTimeMillis()) == 0) {
                return Optional.empty();
            }
            return Optional.of(toWorkflow(m.findWorkflowById(workflowId)));
        });
    }

    @Override
    public boolean deleteWorkflow(long workflowId) {
        return tx(m -> m.deleteWorkflow(workflowId) > 0);
    }

    @Override
    public Optional<WorkflowSnapshot> findSnapshot(long snapshotId) {
        return tx(m -> Optional.ofNullable(m.findSnapshot(snapshotId)).map(r -> new WorkflowSnapshot(r.id, r.workflowId,
                Json.read(r.definitionJson, WorkflowDefinition.class), Instant.ofEpochMilli(r.createTime))));
    }

    @Override
    public List<SnapshotInfo> listSnapshots(long workflowId, Long beforeId, int limit) {
        return tx(m -> m.listSnapshots(workflowId, beforeId, limit).stream()
                .map(r -> new SnapshotInfo(r.id, r.workflowId, Instant.ofEpochMilli(r.createTime))).toList());
    }

    @Override
    public WorkflowExecution createExecution(long workflowId, long snapshotId) {
        return tx(m -> insertExecution(m, workflowId, snapshotId, System.currentTimeMillis()));
    }

    private WorkflowExecution insertExecution(SchedulerMapper m, long workflowId, long snapshotId, long now) {
        WorkflowRow workflow = m.findWorkflowById(workflowId);
        if (workflow == null) {
            throw new NotFoundException("workflow", workflowId);
        }
        ExecutionRow row = new ExecutionRow();
        row.workflowId = workflowId;
        row.namespace = workflow.namespace;
        row.workflowName = workflow.name;
        row.snapshotId = snapshotId;
        row.status = ExecutionStatus.RUNNING.name();
        row.startTime = now;
        m.insertExecution(row);
        return toExecution(row);
    }

    @Override
    public Optional<WorkflowExecution> findExecution(long executionId) {
        return tx(m -> Optional.ofNullable(m.findExecution(executionId)).map(MyBatisSchedulerStore::toExecution));
    }

    @Override
    public List<WorkflowExecution> listExecutions(ExecutionStatus status, Long workflowId, int limit) {
        return listExecutions(status, workflowId, null, limit);
    }

    @Override
    public List<WorkflowExecution> listExecutions(ExecutionStatus status, Long workflowId, Long beforeId, int limit) {
        return tx(m -> m.listExecutions(status == null ? null : status.name(), workflowId, beforeId, limit).stream()
                .map(MyBatisSchedulerStore::toExecution).toList());
    }

    @Override
    public boolean finishExecution(long executionId, ExecutionStatus status) {
        return tx(m -> m.finishExecution(executionId, status.name(), System.currentTimeMillis()) == 1);
    }

    @Override
    public long cursor(String consumer) {
        return tx(m -> {
            Long pending = pendingCursor(consumer);
            if (pending != null) {
                return pending.longValue(); // written by this thread's open transaction, at its end
            }
            Long v = m.cursor(consumer);
            return v == null ? 0L : v;
        });
    }

    private Long pendingCursor(String consumer) {
        AmbientTransaction joined = storage.ambient();
        if (joined == null) {
            return null;
        }
        Object w = joined.deferred.get(CURSOR + consumer);
        return w instanceof CursorWrite c ? c.version : null;
    }

    private static final String CURSOR = "cursor:";

    /** A consumer's cursor, written once at the end of the open transaction: its last value there. */
    private record CursorWrite(String consumer, long version) implements Consumer<SqlSession> {
        @Override
        public void accept(SqlSession session) {
            session.getMapper(SchedulerMapper.class).saveCursor(consumer, version);
        }
    }

    /**
     * Stores the consumer's cursor: within a transaction opened by {@link #inTransaction} once, at its
     * end (the last value recorded in it wins, as if written each time); else now.
     */
    private void saveCursor(SchedulerMapper m, String consumer, long version) {
        AmbientTransaction joined = storage.ambient();
        if (joined == null) {
            m.saveCursor(consumer, version);
        } else {
            joined.deferred.put(CURSOR + consumer, new CursorWrite(consumer, version));
        }
    }

    /**
     * Stores history rows: within a transaction opened by {@link #inTransaction} as one JDBC batch
     * with the other calls' rows, sent before its commit; else now.
     */
    private void saveStatusChanges(SchedulerMapper m, List<StatusChangeRow> rows) {
        AmbientTransaction joined = storage.ambient();
        SchedulerMapper into = joined == null ? m : joined.batch().getMapper(SchedulerMapper.class);
        rows.forEach(into::insertStatusChange);
    }

    @Override
    public Outboxed<DecisionOutcome> record(String consumer, Decision decision, Function<TaskExecution, List<EventDraft>> outbox) {
        return events.withOutbox((session, drafts) -> {
            SchedulerMapper m = session.getMapper(SchedulerMapper.class);
            long now = System.currentTimeMillis();
            List<StatusChangeRow> changes = new ArrayList<>();
            List<WorkflowExecution> executions = new ArrayList<>();
            List<TaskExecution> queued = new ArrayList<>();
            for (Decision.NewExecution x : decision.executions()) {
                WorkflowExecution started = insertExecution(m, x.workflowId(), x.snapshotId(), now);
                executions.add(started);
                for (NewTaskExecution t : x.initialTasks()) {
                    queued.add(queue(m, new NewTaskExecution(started.id(), started.namespace(), started.workflowName(), t.taskName(), t.runnerType(),
                            t.reason(), t.attempt()), now, changes));
                }
            }
            for (NewTaskExecution t : decision.tasks()) {
                queued.add(queue(m, t, now, changes));
            }
            for (RuleState r : decision.ruleStates()) {
                m.saveRuleState(r.workflowExecutionId(), r.taskName(), r.ruleIndex(), Json.write(r.state()));
            }
            List<TaskExecution> transitioned = transitions(m, decision.transitions(), now, changes);
            for (long executionId : decision.executionsToStop()) {
                m.finishExecution(executionId, ExecutionStatus.STOPPED.name(), now);
            }
            saveStatusChanges(m, changes);
            saveCursor(m, consumer, decision.cursor());
            queued.forEach(t -> drafts.addAll(outbox.apply(t)));
            transitioned.forEach(t -> drafts.addAll(outbox.apply(t)));
            return new DecisionOutcome(executions, queued, transitioned);
        });
    }

    /**
     * Applies the compare-and-set transitions in order and returns the rows of those that applied,
     * each as it was right after its transition. A transition that carries the caller's row needs no
     * read (the scheduler's do: on H2 the read after the update was 7% of the worker's time in a
     * burst); other rows are read with one query after the updates when every transition moves a
     * task of its own (else each right after its update).
     */
    private List<TaskExecution> transitions(SchedulerMapper m, List<Decision.Transition> transitions, long now,
                                            List<StatusChangeRow> changes) {
        if (transitions.isEmpty()) {
            return List.of();
        }
        Set<Long> ids = new HashSet<>();
        boolean distinct = true;
        for (Decision.Transition t : transitions) {
            distinct &= ids.add(t.taskExecutionId());
        }
        TaskExecution[] results = new TaskExecution[transitions.size()];
        List<Long> toRead = new ArrayList<>();
        AmbientTransaction joined = storage.ambient();
        int[] counts = distinct && joined != null && transitions.size() > 1 ? batchedTransitions(joined, transitions, now) : null;
        for (int i = 0; i < transitions.size(); i++) {
            Decision.Transition t = transitions.get(i);
            String msg = clip(t.message());
            int count = counts != null ? counts[i] : m.transitionTask(t.taskExecutionId(), t.expected().name(), t.to().name(), msg, t.handle(), now);
            if (count > 0) {
                changes.add(change(t.taskExecutionId(), t.expected(), t.to(), msg, now));
                if (t.current() != null) {
                    results[i] = changed(t, msg, now); // what the update wrote, on the row the caller holds: no read
                } else if (distinct) {
                    toRead.add(t.taskExecutionId()); // read below, all in one query
                } else {
                    results[i] = toTask(m.findTask(t.taskExecutionId())); // as it is between this and the next change of it
                }
            }
        }
        Map<Long, TaskRow> rows = new HashMap<>();
        for (int from = 0; from < toRead.size(); from += IN_IDS) {
            m.findTasks(toRead.subList(from, Math.min(toRead.size(), from + IN_IDS))).forEach(r -> rows.put(r.id, r));
        }
        List<TaskExecution> transitioned = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            TaskRow read = results[i] == null ? rows.get(transitions.get(i).taskExecutionId()) : null;
            if (results[i] != null) {
                transitioned.add(results[i]);
            } else if (read != null) {
                transitioned.add(toTask(read));
            }
        }
        return transitioned;
    }

    /**
     * The task execution a compare-and-set transition that applied left: the caller's row with the
     * columns the update sets (status, message, update time, and the handle if it names one).
     */
    private static TaskExecution changed(Decision.Transition t, String storedMessage, long now) {
        TaskExecution c = t.current();
        return new TaskExecution(c.id(), c.workflowExecutionId(), c.namespace(), c.workflowName(), c.taskName(), c.attempt(),
                c.runnerType(), t.to(), t.handle() != null ? t.handle() : c.handle(), storedMessage, c.createTime(), Instant.ofEpochMilli(now));
    }

    /**
     * Runs the compare-and-set updates of distinct tasks as one JDBC batch on the transaction's
     * connection and returns each one's update count, in order (one round trip instead of one each).
     */
    private static int[] batchedTransitions(AmbientTransaction joined, List<Decision.Transition> transitions, long now) {
        SqlSession batch = joined.batch();
        batch.flushStatements(); // what other calls queued goes first; its results are not these
        SchedulerMapper bm = batch.getMapper(SchedulerMapper.class);
        for (Decision.Transition t : transitions) {
            bm.transitionTask(t.taskExecutionId(), t.expected().name(), t.to().name(), clip(t.message()), t.handle(), now);
        }
        // one result per run of statements with the same SQL, in the order they were added
        int[] counts = new int[transitions.size()];
        int i = 0;
        for (BatchResult r : batch.flushStatements()) {
            for (int c : r.getUpdateCounts()) {
                if (i == counts.length || c < 0) {
                    // SUCCESS_NO_INFO (or a count too many): whether a compare-and-set applied is unknown
                    throw new IllegalStateException("the database did not report the update count of each transition in a batch");
                }
                counts[i++] = c;
            }
        }
        if (i != counts.length) {
            throw new IllegalStateException("the database reported " + i + " update counts for " + counts.length + " transitions");
        }
        return counts;
    }

    /** Ids in one {@code IN} list. */
    private static final int IN_IDS = 500;

    private static String namespaceOf(SchedulerMapper m, long workflowExecutionId) {
        ExecutionRow x = m.findExecution(workflowExecutionId);
        if (x == null) {
            throw new NotFoundException("workflow execution", workflowExecutionId);
        }
        return x.namespace;
    }

    private TaskExecution queue(SchedulerMapper m, NewTaskExecution t, long now, List<StatusChangeRow> changes) {
        TaskRow row = new TaskRow();
        row.workflowExecutionId = t.workflowExecutionId();
        row.namespace = t.namespace() != null ? t.namespace() : namespaceOf(m, t.workflowExecutionId());
        row.workflowName = t.workflowName();
        row.taskName = t.taskName();
        // the scheduler, the only writer of task executions (fenced by its lease), names the attempt: a query less a task
        row.attempt = t.attempt() > 0 ? t.attempt() : m.lastAttempt(t.workflowExecutionId(), t.taskName()) + 1;
        row.runnerType = t.runnerType();
        row.status = TaskStatus.QUEUED.name();
        row.message = clip(t.reason());
        row.createTime = now;
        row.updateTime = now;
        m.insertTask(row);
        changes.add(change(row.id, null, TaskStatus.QUEUED, row.message, now));
        return toTask(row);
    }

    @Override
    public List<RuleState> ruleStates(long workflowExecutionId) {
        return tx(m -> m.ruleStates(workflowExecutionId).stream().map(r -> new RuleState(r.workflowExecutionId,
                r.taskName, r.ruleIndex, Json.readStringMap(r.stateJson))).toList());
    }

    @Override
    public Optional<TaskExecution> findTask(long taskExecutionId) {
        return tx(m -> Optional.ofNullable(m.findTask(taskExecutionId)).map(MyBatisSchedulerStore::toTask));
    }

    @Override
    public List<TaskExecution> listTasks(TaskQuery q) {
        return tx(m -> m.listTasks(q.namespace(), q.workflowName(), q.workflowExecutionId(),
                q.status() == null ? null : q.status().name(), q.beforeId(), q.limit()).stream().map(MyBatisSchedulerStore::toTask).toList());
    }

    @Override
    public List<TaskExecution> tasksInStatus(Collection<TaskStatus> statuses) {
        if (statuses.isEmpty()) {
            return List.of();
        }
        return tx(m -> m.tasksInStatus(statuses.stream().map(Enum::name).toList()).stream()
                .map(MyBatisSchedulerStore::toTask).toList());
    }

    @Override
    public Optional<Outboxed<TaskExecution>> transition(long taskExecutionId, TaskStatus expected, TaskStatus to, String message,
                                                        String handle, Function<TaskExecution, List<EventDraft>> outbox) {
        Outboxed<Optional<TaskExecution>> result = events.withOutbox((session, drafts) -> {
            SchedulerMapper m = session.getMapper(SchedulerMapper.class);
            long now = System.currentTimeMillis();
            String msg = clip(message);
            if (m.transitionTask(taskExecutionId, expected.name(), to.name(), msg, handle, now) == 0) {
                return Optional.<TaskExecution>empty();
            }
            saveStatusChanges(m, List.of(change(taskExecutionId, expected, to, msg, now)));
            TaskExecution updated = toTask(m.findTask(taskExecutionId));
            drafts.addAll(outbox.apply(updated));
            return Optional.of(updated);
        });
        return result.value().map(t -> new Outboxed<>(t, result.lastEventVersion()));
    }

    @Override
    public List<TaskStatusChange> history(long taskExecutionId) {
        AmbientTransaction joined = storage.ambient();
        if (joined != null) {
            joined.flush(); // the rows this transaction has not sent yet
        }
        return tx(m -> m.history(taskExecutionId).stream().map(r -> new TaskStatusChange(r.taskExecutionId,
                r.fromStatus == null ? null : TaskStatus.valueOf(r.fromStatus), TaskStatus.valueOf(r.toStatus),
                r.message, Instant.ofEpochMilli(r.changeTime))).toList());
    }

    private static StatusChangeRow change(long taskId, TaskStatus from, TaskStatus to, String message, long time) {
        StatusChangeRow row = new StatusChangeRow();
        row.taskExecutionId = taskId;
        row.fromStatus = from == null ? null : from.name();
        row.toStatus = to.name();
        row.message = message;
        row.changeTime = time;
        return row;
    }

    static String clip(String message) {
        if (message == null) {
            return "";
        }
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    }

    private static Workflow toWorkflow(WorkflowRow r) {
        return new Workflow(r.id, r.namespace, r.name, r.enabled, r.snapshotId, Instant.ofEpochMilli(r.createTime),
                Instant.ofEpochMilli(r.updateTime));
    }

    private static WorkflowExecution toExecution(ExecutionRow r) {
        return new WorkflowExecution(r.id, r.workflowId, r.namespace, r.workflowName, r.snapshotId, ExecutionStatus.valueOf(r.status),
                Instant.ofEpochMilli(r.startTime), r.endTime == null ? null : Instant.ofEpochMilli(r.endTime));
    }

    private static TaskExecution toTask(TaskRow r) {
        return new TaskExecution(r.id, r.workflowExecutionId, r.namespace, r.workflowName, r.taskName, r.attempt, r.runnerType,
                TaskStatus.valueOf(r.status), r.handleJson, r.message, Instant.ofEpochMilli(r.createTime),
                Instant.ofEpochMilli(r.updateTime));
    }

    @Override
    public Optional<ScheduleState> scheduleState(long workflowId, String scheduleName) {
        return tx(m -> Optional.ofNullable(m.scheduleState(workflowId, scheduleName)).map(r -> new ScheduleState(r.workflowId,
                r.scheduleName, r.nextFireTime == null ? null : Instant.ofEpochMilli(r.nextFireTime), r.paused)));
    }

    @Override
    public void saveScheduleState(ScheduleState state) {
        ScheduleStateRow row = new ScheduleStateRow();
        row.workflowId = state.workflowId();
        row.scheduleName = state.scheduleName();
        row.nextFireTime = state.nextFireTime() == null ? null : state.nextFireTime().toEpochMilli();
        row.paused = state.paused();
        tx(m -> m.saveScheduleState(row));
    }

    @Override
    public <T> Outboxed<T> inTransaction(LeaderFence fence, Supplier<T> work) {
        return events.inTransaction(fence, work);
    }
}
