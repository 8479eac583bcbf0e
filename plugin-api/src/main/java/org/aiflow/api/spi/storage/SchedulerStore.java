package org.aiflow.api.spi.storage;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

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
import org.aiflow.api.workflow.WorkflowDefinition;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable storage of workflows, executions and scheduling decisions, implemented by storage
 * backends. Thread-safe; every method is one transaction, committed when it returns.
 *
 * <p><b>Threads.</b> The scheduler's worker ({@code aiflow-scheduler}) makes every write of the
 * leading node; request threads (REST, console) read concurrently through the scheduler service,
 * and the runners' submit threads ({@code aiflow-submit-<type>}) make none. Every method is one
 * transaction, or joins the {@link #inTransaction} open on the calling thread.
 *
 * <p><b>Idempotency.</b> {@link #record} stores a decision together with the consumer's cursor, all
 * or nothing: after a crash the scheduler resumes from the stored cursor, so each event's decision
 * is stored exactly once. {@link #transition} is a compare-and-set on the status: repeating one that
 * was applied changes nothing and returns empty. {@link #finishExecution} ends a RUNNING execution
 * once.
 *
 * <p><b>State.</b> The backend persists what the scheduler needs to resume anywhere: workflows and
 * their snapshots, executions, task executions with their runners' {@code JobHandle}s (as JSON
 * strings; the re-attach to running jobs after a restart starts from them), status histories, rule
 * and trigger states, consumer cursors and schedule states. The scheduler keeps only caches of these
 * and reloads them when it (re)starts or becomes the leader.
 */
@ProviderType
public interface SchedulerStore {

    /** Stores a new workflow (enabled) or a new snapshot of an existing one, and makes it current. */
    Workflow saveWorkflow(WorkflowDefinition definition);

    Optional<Workflow> findWorkflow(String namespace, String name);

    List<Workflow> listWorkflows();

    /** @return the updated workflow, empty if it does not exist */
    Optional<Workflow> setWorkflowEnabled(long workflowId, boolean enabled);

    Optional<WorkflowSnapshot> findSnapshot(long snapshotId);

    /**
     * A workflow's snapshots newest first (by descending id), without their definitions.
     *
     * @param beforeId only snapshots with a smaller id (the last id of the previous page); null starts at the newest
     * @param limit    at most this many
     * @return empty if the workflow has no snapshots before {@code beforeId} or does not exist
     * @since 1.4
     */
    List<SnapshotInfo> listSnapshots(long workflowId, Long beforeId, int limit);

    /** Removes a workflow; its snapshots and past executions stay readable. @return false if it did not exist */
    boolean deleteWorkflow(long workflowId);

    /** Creates a RUNNING execution of the given snapshot. */
    WorkflowExecution createExecution(long workflowId, long snapshotId);

    Optional<WorkflowExecution> findExecution(long executionId);

    /**
     * Executions newest first.
     *
     * @param status     null for any
     * @param workflowId null for any
     */
    List<WorkflowExecution> listExecutions(ExecutionStatus status, Long workflowId, int limit);

    /**
     * Executions with an id below {@code beforeId} (null: any), newest first: keyset paging through all of them.
     * Stores of before 1.6 page only from the newest.
     */
    default List<WorkflowExecution> listExecutions(ExecutionStatus status, Long workflowId, Long beforeId, int limit) {
        if (beforeId == null) {
            return listExecutions(status, workflowId, limit);
        }
        throw new UnsupportedOperationException("this store cannot page executions by id");
    }

    /** Ends a RUNNING execution; returns false if it was not RUNNING. */
    boolean finishExecution(long executionId, ExecutionStatus status);

    /** The last event version the named consumer has processed, 0 if none. */
    long cursor(String consumer);

    /**
     * Atomically stores new QUEUED task executions and changed rule states and advances the
     * consumer's cursor to {@code cursor}: all are committed or none, which is what makes a
     * decision happen exactly once across crashes.
     *
     * @return the stored task executions, in order
     */
    default List<TaskExecution> recordDecisions(String consumer, long cursor, List<NewTaskExecution> tasks,
                                                List<RuleState> ruleStates) {
        return record(consumer, new Decision(cursor, null, tasks, ruleStates, null, null)).queued();
    }

    /** Stores a decision and advances the consumer's cursor to its {@code cursor}, atomically. */
    default DecisionOutcome record(String consumer, Decision decision) {
        return record(consumer, decision, t -> List.of()).value();
    }

    /**
     * As {@link #record(String, Decision)}, and appends the events {@code outbox} builds from every
     * queued and transitioned task execution in the same transaction.
     */
    Outboxed<DecisionOutcome> record(String consumer, Decision decision, Function<TaskExecution, List<EventDraft>> outbox);

    /** Every stored rule state of a workflow execution. */
    List<RuleState> ruleStates(long workflowExecutionId);

    Optional<TaskExecution> findTask(long taskExecutionId);

    List<TaskExecution> listTasks(TaskQuery query);

    /** Task executions in any of the given statuses, oldest first. */
    List<TaskExecution> tasksInStatus(Collection<TaskStatus> statuses);

    /**
     * Moves a task execution from {@code expected} to {@code to} and records the change, only if it
     * is still in {@code expected} (compare-and-set).
     *
     * @param handle the runner handle to store; null keeps the stored one
     * @return the updated task execution, empty if its status was no longer {@code expected}
     */
    default Optional<TaskExecution> transition(long taskExecutionId, TaskStatus expected, TaskStatus to, String message,
                                               String handle) {
        return transition(taskExecutionId, expected, to, message, handle, t -> List.of()).map(Outboxed::value);
    }

    /**
     * As {@link #transition(long, TaskStatus, TaskStatus, String, String)}, and appends the events
     * {@code outbox} builds from the changed task execution in the same transaction (announced to
     * event subscribers once committed).
     */
    Optional<Outboxed<TaskExecution>> transition(long taskExecutionId, TaskStatus expected, TaskStatus to, String message,
                                                 String handle, Function<TaskExecution, List<EventDraft>> outbox);

    /** Every status change of a task execution, oldest first. */
    List<TaskStatusChange> history(long taskExecutionId);

    Optional<ScheduleState> scheduleState(long workflowId, String scheduleName);

    /** Inserts or replaces a schedule's state. */
    void saveScheduleState(ScheduleState state);

    /**
     * Runs {@code work} as one transaction: every call of this store that {@code work} makes on this
     * thread joins it instead of committing on its own, so their changes (decisions, transitions, the
     * cursor) commit together or not at all. The outbox events of the joined calls are appended at
     * the end, in call order, and announced once committed; {@link Outboxed#lastEventVersion()} is the
     * highest of them. With a {@code fence}, the transaction first checks that the lease is still
     * held at the fence's epoch (holding that row shared until the commit, so a takeover waits for it
     * or wins before it) and fails with {@link org.aiflow.api.error.FencedException}, committing nothing,
     * when it is not. A failure of {@code work} rolls everything back and is rethrown.
     *
     * <p>Within {@code work}, the returned values of joined calls (ids of queued task executions)
     * are final only if the transaction commits; their {@link Outboxed#lastEventVersion()} is 0
     * (their events get versions at the end). A joined call that fails makes the transaction
     * roll back even if {@code work} catches its exception: the commit then fails (with a
     * {@link org.aiflow.api.error.ConflictException} if that call's failure was one, else an
     * {@link org.aiflow.api.error.UnavailableException}) and nothing is stored. A nested
     * {@code inTransaction} joins the open one (checking its own fence there, if another) and
     * returns version 0. Only calls on the calling thread join; the other stores of the same
     * backend join too ({@code EventStore.append} then takes its versions at once, not at the end).
     *
     * @param fence null for no check (a single node)
     * @since 1.5
     */
    <T> Outboxed<T> inTransaction(LeaderFence fence, java.util.function.Supplier<T> work);
}
