package org.aiflow.storage.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
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
import org.apache.ibatis.session.SqlSession;

/**
 * Workflows, executions and task executions over MyBatis; each method one transaction, or part of
 * the one {@link #inTransaction(LeaderFence, Supplier)} opened on the calling thread.
 */
final class MyBatisSchedulerStore implements SchedulerStore {
    static final int MAX_MESSAGE = 2000;
    private final JdbcStorage storage;

    private final MyBatisEventStore events;
    private final TaskTransitions transitions;

    MyBatisSchedulerStore(JdbcStorage storage, MyBatisEventStore events) {
        this.storage = storage;
        this.events = events;
        this.transitions = new TaskTransitions(storage);
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
            return SchedulerRows.toWorkflow(m.findWorkflowById(row.id));
        });
    }

    @Override
    public Optional<Workflow> findWorkflow(String namespace, String name) {
        return tx(m -> Optional.ofNullable(m.findWorkflow(namespace, name)).map(SchedulerRows::toWorkflow));
    }

    @Override
    public List<Workflow> listWorkflows() {
        return tx(m -> m.listWorkflows().stream().map(SchedulerRows::toWorkflow).toList());
    }

    @Override
    public Optional<Workflow> setWorkflowEnabled(long workflowId, boolean enabled) {
        return tx(m -> {
            if (m.setEnabled(workflowId, enabled, System.currentTimeMillis()) == 0) {
                return Optional.empty();
            }
            return Optional.of(SchedulerRows.toWorkflow(m.findWorkflowById(workflowId)));
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
        return SchedulerRows.toExecution(row);
    }

    @Override
    public Optional<WorkflowExecution> findExecution(long executionId) {
        return tx(m -> Optional.ofNullable(m.findExecution(executionId)).map(SchedulerRows::toExecution));
    }

    @Override
    public List<WorkflowExecution> listExecutions(ExecutionStatus status, Long workflowId, int limit) {
        return listExecutions(status, workflowId, null, limit);
    }

    @Override
    public List<WorkflowExecution> listExecutions(ExecutionStatus status, Long workflowId, Long beforeId, int limit) {
        return tx(m -> m.listExecutions(status == null ? null : status.name(), workflowId, beforeId, limit).stream()
                .map(SchedulerRows::toExecution).toList());
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
            List<TaskExecution> transitioned = transitions.apply(m, decision.transitions(), now, changes);
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
        row.message = SchedulerRows.clip(t.reason());
        row.createTime = now;
        row.updateTime = now;
        m.insertTask(row);
        changes.add(SchedulerRows.change(row.id, null, TaskStatus.QUEUED, row.message, now));
        return SchedulerRows.toTask(row);
    }

    @Override
    public List<RuleState> ruleStates(long workflowExecutionId) {
        return tx(m -> m.ruleStates(workflowExecutionId).stream().map(r -> new RuleState(r.workflowExecutionId,
                r.taskName, r.ruleIndex, Json.readStringMap(r.stateJson))).toList());
    }

    @Override
    public Optional<TaskExecution> findTask(long taskExecutionId) {
        return tx(m -> Optional.ofNullable(m.findTask(taskExecutionId)).map(SchedulerRows::toTask));
    }

    @Override
    public List<TaskExecution> listTasks(TaskQuery q) {
        return tx(m -> m.listTasks(q.namespace(), q.workflowName(), q.workflowExecutionId(),
                q.status() == null ? null : q.status().name(), q.beforeId(), q.limit()).stream().map(SchedulerRows::toTask).toList());
    }

    @Override
    public List<TaskExecution> tasksInStatus(Collection<TaskStatus> statuses) {
        if (statuses.isEmpty()) {
            return List.of();
        }
        return tx(m -> m.tasksInStatus(statuses.stream().map(Enum::name).toList()).stream()
                .map(SchedulerRows::toTask).toList());
    }

    @Override
    public Optional<Outboxed<TaskExecution>> transition(long taskExecutionId, TaskStatus expected, TaskStatus to, String message,
                                                        String handle, Function<TaskExecution, List<EventDraft>> outbox) {
        Outboxed<Optional<TaskExecution>> result = events.withOutbox((session, drafts) -> {
            SchedulerMapper m = session.getMapper(SchedulerMapper.class);
            long now = System.currentTimeMillis();
            String msg = SchedulerRows.clip(message);
            if (m.transitionTask(taskExecutionId, expected.name(), to.name(), msg, handle, now) == 0) {
                return Optional.<TaskExecution>empty();
            }
            saveStatusChanges(m, List.of(SchedulerRows.change(taskExecutionId, expected, to, msg, now)));
            TaskExecution updated = SchedulerRows.toTask(m.findTask(taskExecutionId));
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
