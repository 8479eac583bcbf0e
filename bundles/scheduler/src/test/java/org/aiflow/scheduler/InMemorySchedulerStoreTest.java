package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.aiflow.api.error.FencedException;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.TaskStatusChange;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.spi.storage.Decision;
import org.aiflow.api.spi.storage.LeaderFence;
import org.aiflow.api.spi.storage.NewTaskExecution;
import org.aiflow.api.spi.storage.Outboxed;
import org.aiflow.api.spi.storage.RuleState;
import org.junit.jupiter.api.Test;

/** The in-memory store keeps the JDBC store's promises that the scheduler's tests rely on. */
class InMemorySchedulerStoreTest {
    private final InMemorySchedulerStore store = new InMemorySchedulerStore();
    private final Workflow w = store.saveWorkflow(SchedulerParts.oneTask(Map.of()));
    private final WorkflowExecution x = store.createExecution(w.id(), w.snapshotId());

    private Decision queue(long cursor) {
        return new Decision(cursor, null, List.of(new NewTaskExecution(x.id(), "wf", "t", "fake", "why")), null, null, null);
    }

    private static List<EventDraft> outbox(TaskExecution t) {
        return List.of(EventDraft.of("task-" + t.id(), t.status().name()));
    }

    @Test
    void attemptsCompareAndSetAndHistory() {
        TaskExecution first = store.record("c", queue(3)).queued().get(0);
        TaskExecution second = store.record("c", queue(4)).queued().get(0);
        assertThat(List.of(first.attempt(), second.attempt())).containsExactly(1, 2);
        assertThat(first.namespace()).isEqualTo("team");
        assertThat(store.cursor("c")).isEqualTo(4);

        assertThat(store.transition(first.id(), TaskStatus.QUEUED, TaskStatus.RUNNING, "go", "{\"h\":1}")).isPresent();
        assertThat(store.transition(first.id(), TaskStatus.QUEUED, TaskStatus.FAILED, "stale", null)).isEmpty();
        TaskExecution done = store.transition(first.id(), TaskStatus.RUNNING, TaskStatus.SUCCESS, null, null).orElseThrow();
        assertThat(done.handle()).as("a null handle keeps the stored one").isEqualTo("{\"h\":1}");
        assertThat(done.message()).isEmpty();
        assertThat(store.history(first.id())).extracting(TaskStatusChange::to)
                .containsExactly(TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.SUCCESS);
        assertThat(store.finishExecution(x.id(), ExecutionStatus.SUCCESS)).isTrue();
        assertThat(store.finishExecution(x.id(), ExecutionStatus.FAILED)).isFalse();
    }

    @Test
    void aTransactionCommitsOnceWithItsOutboxInCallOrder() {
        int commits = store.commits();
        Outboxed<Object> done = store.inTransaction(null, () -> {
            TaskExecution t = store.record("c", queue(1), InMemorySchedulerStoreTest::outbox).value().queued().get(0);
            store.transition(t.id(), TaskStatus.QUEUED, TaskStatus.RUNNING, "go", "{}", InMemorySchedulerStoreTest::outbox);
            store.record("c", new Decision(2, null, null, List.of(new RuleState(x.id(), "t", 0, Map.of("k", "v"))), null, null));
            return null;
        });
        assertThat(store.commits()).isEqualTo(commits + 1);
        assertThat(store.events()).extracting(e -> e.value()).containsExactly("QUEUED", "RUNNING");
        assertThat(done.lastEventVersion()).isEqualTo(2);
        assertThat(store.ruleStates(x.id())).containsExactly(new RuleState(x.id(), "t", 0, Map.of("k", "v")));
    }

    @Test
    void aFailedTransactionLeavesNothing() {
        assertThatThrownBy(() -> store.inTransaction(null, () -> {
            store.record("c", queue(9), InMemorySchedulerStoreTest::outbox);
            throw new IllegalStateException("no");
        })).hasMessage("no");
        // a joined call that failed rolls back even if the work caught it
        assertThatThrownBy(() -> store.inTransaction(null, () -> {
            store.record("c", queue(10));
            try {
                store.createExecution(999, 1);
            } catch (RuntimeException ignored) {
                // swallowed by the work
            }
            return null;
        })).isInstanceOf(IllegalStateException.class);
        assertThat(store.cursor("c")).isZero();
        assertThat(store.listTasks(org.aiflow.api.execution.TaskQuery.latest(10))).isEmpty();
        assertThat(store.events()).isEmpty();
        assertThat(store.rollbacks()).isEqualTo(2);
    }

    @Test
    void theFenceMustMatchTheLease() {
        LeaderFence mine = new LeaderFence("scheduler", "a#1", 3);
        assertThatThrownBy(() -> store.inTransaction(mine, () -> null)).isInstanceOf(FencedException.class);
        store.lease(mine);
        assertThat(store.inTransaction(mine, () -> "ok").value()).isEqualTo("ok");
        store.lease(new LeaderFence("scheduler", "b#1", 4));
        assertThatThrownBy(() -> store.inTransaction(null, () -> store.inTransaction(mine, () -> store.record("c", queue(5)))))
                .isInstanceOf(FencedException.class);
        assertThat(store.cursor("c")).isZero();
    }
}
