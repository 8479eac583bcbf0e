package org.aiflow.scheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.aiflow.api.event.EventDraft;
import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.scheduler.TaskStatusEvents;
import org.aiflow.api.spi.storage.Decision;
import org.aiflow.api.spi.storage.DecisionOutcome;
import org.aiflow.api.spi.storage.LeaderFence;
import org.aiflow.api.spi.storage.Outboxed;
import org.aiflow.api.spi.storage.ScheduleState;
import org.aiflow.api.spi.storage.SchedulerStore;

/**
 * Every change the scheduler stores goes through here: decisions, status transitions, execution
 * ends, schedule states. Each is fenced by the leader's lease (a deposed leader's late write fails
 * and changes nothing) and carries the status events of the task executions it changes (outbox).
 * What is stored is put into the {@link SchedulerState} at once. Inside {@link #batch} the writes of
 * many events join one transaction (group commit). Worker thread only.
 */
final class Recorder {
    private final SchedulerStore store;
    private final SchedulerState state;
    private final Supplier<LeaderFence> fence;
    /** RUNNING transitions of started jobs not stored yet (see {@link #started}). */
    private final List<Decision.Transition> pendingStarts = new ArrayList<>();
    /** The pending starts a batch took along, given back if it does not commit. */
    private final List<Decision.Transition> startsInBatch = new ArrayList<>();
    private boolean inBatch;

    /** @param fence the lease this node holds, null where there is no lease (an embedded store) */
    Recorder(SchedulerStore store, SchedulerState state, Supplier<LeaderFence> fence) {
        this.store = store;
        this.state = state;
        this.fence = fence;
    }

    /**
     * Runs {@code work} as one transaction that every write in it joins; the state copies it changed
     * are dropped if it does not commit (the caller must then {@link SchedulerState#forget} and
     * {@link #rolledBack}).
     */
    <T> T batch(Supplier<T> work) {
        if (inBatch) {
            return work.get();
        }
        inBatch = true;
        try {
            Outboxed<T> done = store.inTransaction(fence.get(), work);
            state.lastStatusVersion = Math.max(state.lastStatusVersion, done.lastEventVersion());
            startsInBatch.clear();
            return done.value();
        } finally {
            inBatch = false;
        }
    }

    /** After a batch that did not commit and {@link SchedulerState#forget}: the jobs it had started still run. */
    void rolledBack() {
        pendingStarts.addAll(0, startsInBatch);
        startsInBatch.clear();
        for (Decision.Transition s : pendingStarts) {
            store.findTask(s.taskExecutionId()).ifPresent(t -> state.remember(running(t, s.message(), s.handle())));
        }
    }

    /** Stores a decision with the status events of the task executions it queues or moves on. */
    DecisionOutcome record(Decision decision) {
        if (!pendingStarts.isEmpty()) {
            // started jobs' handles ride along, before the decision's own changes to those tasks
            List<Decision.Transition> all = new ArrayList<>(pendingStarts);
            all.addAll(decision.transitions());
            decision = new Decision(decision.cursor(), decision.executions(), decision.tasks(), decision.ruleStates(), all,
                    decision.executionsToStop());
            if (inBatch) {
                startsInBatch.addAll(pendingStarts);
            }
        }
        Decision d = decision;
        Outboxed<DecisionOutcome> stored = fenced(() -> store.record(Scheduler.CONSUMER, d, Recorder::statusEvents));
        pendingStarts.clear();
        state.storedCursor = Math.max(state.storedCursor, decision.cursor());
        state.lastStatusVersion = Math.max(state.lastStatusVersion, stored.lastEventVersion());
        DecisionOutcome outcome = stored.value();
        outcome.queued().forEach(state::queued);
        outcome.transitioned().forEach(state::remember);
        if (outcome.transitioned().size() < decision.transitions().size()) {
            // a compare-and-set that no longer applied: the row changed elsewhere, read it as stored
            Set<Long> applied = new HashSet<>();
            outcome.transitioned().forEach(t -> applied.add(t.id()));
            decision.transitions().stream().filter(c -> !applied.contains(c.taskExecutionId()))
                    .forEach(c -> store.findTask(c.taskExecutionId()).ifPresent(state::remember));
        }
        state.ruleStatesStored(decision.ruleStates());
        if (!decision.executions().isEmpty() || !decision.executionsToStop().isEmpty()) {
            state.runningChanged();
        }
        return outcome;
    }

    /** Stores the cursor (and the pending starts) if they are behind. */
    void storeCursor() {
        if (state.cursor > state.storedCursor || !pendingStarts.isEmpty()) {
            record(new Decision(state.cursor, null, null, null, null, null));
        }
    }

    /** Stores the starts not stored yet, in one transaction. */
    void flushStarts() {
        if (!pendingStarts.isEmpty()) {
            record(new Decision(state.cursor, null, null, null, null, null));
        }
    }

    boolean startsPending() {
        return !pendingStarts.isEmpty();
    }

    /** Moves a task execution on if it is still as {@code t} has it (compare-and-set); reads it again if not. */
    Optional<TaskExecution> transition(TaskExecution t, TaskStatus to, String message, String handle) {
        flushStarts(); // the compare-and-set below expects what is stored
        Optional<Outboxed<TaskExecution>> updated = fenced(() -> store.transition(t.id(), t.status(), to, message, handle,
                Recorder::statusEvents));
        updated.ifPresent(u -> state.lastStatusVersion = Math.max(state.lastStatusVersion, u.lastEventVersion()));
        if (updated.isPresent()) {
            state.remember(updated.get().value());
        } else {
            store.findTask(t.id()).ifPresent(state::remember);
        }
        return updated.map(Outboxed::value);
    }

    /**
     * Records that a task's job runs: RUNNING with its handle in the state at once, in storage with
     * the next transaction (write-behind). Under load that is the next event's decision, so a start
     * costs no transaction of its own; with nothing queued behind, the worker stores it right away.
     * Every other way into the worker stores pending starts first ({@link #flushStarts}).
     */
    TaskExecution started(TaskExecution t, String message, String handle) {
        pendingStarts.add(Decision.Transition.of(t, TaskStatus.RUNNING, message, handle));
        TaskExecution running = running(t, message, handle);
        state.remember(running);
        return running;
    }

    private static TaskExecution running(TaskExecution t, String message, String handle) {
        return new TaskExecution(t.id(), t.workflowExecutionId(), t.namespace(), t.workflowName(), t.taskName(), t.attempt(),
                t.runnerType(), TaskStatus.RUNNING, handle, message, t.createTime(), Instant.now());
    }

    /** Ends a running execution. */
    boolean finish(long executionId, ExecutionStatus status) {
        boolean ended = fenced(() -> store.finishExecution(executionId, status));
        state.runningChanged();
        return ended;
    }

    void saveScheduleState(ScheduleState s) {
        fenced(() -> {
            store.saveScheduleState(s);
            return null;
        });
    }

    /** Runs a write fenced by this node's lease (joining the open batch, if any). */
    <T> T fenced(Supplier<T> write) {
        if (inBatch) {
            return write.get();
        }
        Outboxed<T> done = store.inTransaction(fence.get(), write);
        state.lastStatusVersion = Math.max(state.lastStatusVersion, done.lastEventVersion());
        return done.value();
    }

    /** The event that reports a task execution's status, stored in the same transaction as the status (outbox). */
    static List<EventDraft> statusEvents(TaskExecution t) {
        // runs inside the store's transaction: must not call the store (the task execution names its namespace)
        Map<String, String> context = Map.of(TaskStatusEvents.CONTEXT_EXECUTION_ID, Long.toString(t.workflowExecutionId()),
                TaskStatusEvents.CONTEXT_WORKFLOW_NAMESPACE, t.namespace(), TaskStatusEvents.CONTEXT_WORKFLOW_NAME, t.workflowName(),
                TaskStatusEvents.CONTEXT_TASK_NAME, t.taskName(), TaskStatusEvents.CONTEXT_TASK_EXECUTION_ID, Long.toString(t.id()),
                TaskStatusEvents.CONTEXT_ATTEMPT, Integer.toString(t.attempt()),
                TaskStatusEvents.CONTEXT_RUNNER_TYPE, t.runnerType() == null ? "" : t.runnerType());
        return List.of(new EventDraft(TaskStatusEvents.NAMESPACE, TaskStatusEvents.key(t.workflowName(), t.taskName()), t.status().name(),
                TaskStatusEvents.TYPE, TaskStatusEvents.SENDER, context, null));
    }
}
