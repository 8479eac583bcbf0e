package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.aiflow.api.error.FencedException;
import org.aiflow.api.event.Event;
import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.scheduler.TaskStatusEvents;
import org.aiflow.api.spi.storage.Decision;
import org.aiflow.api.spi.storage.LeaderFence;
import org.aiflow.api.spi.storage.NewTaskExecution;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.Trigger;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder over an in-memory store: group commit, rollback, write-behind starts and the leader's fence. */
class RecorderTest {
    @TempDir
    Path logs;
    private SchedulerParts parts;
    private InMemorySchedulerStore store;
    private Recorder recorder;
    private SchedulerState state;

    @BeforeEach
    void setUp() {
        parts = new SchedulerParts(logs, s -> null);
        store = parts.store;
        recorder = parts.recorder;
        state = parts.state;
        state.forget();
    }

    private static Decision queue(long cursor, long executionId, String reason) {
        return new Decision(cursor, null, List.of(new NewTaskExecution(executionId, "wf", "t", FakeJobRunner.TYPE, reason)), null, null,
                null);
    }

    private int taskCount() {
        return store.listTasks(TaskQuery.latest(10_000)).size();
    }

    @Test
    void aBatchCommitsManyRecordsInOneTransaction() {
        TaskExecution first = parts.startExecution(SchedulerParts.oneTask(Map.of()));
        long executionId = first.workflowExecutionId();
        int commits = store.commits();
        long before = store.lastVersion();

        recorder.batch(() -> {
            for (int i = 1; i <= 10; i++) {
                recorder.record(queue(100 + i, executionId, "decision " + i));
            }
            return null;
        });

        assertThat(store.commits()).isEqualTo(commits + 1);
        assertThat(parts.attempts(executionId, "t")).extracting(TaskExecution::attempt)
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(store.cursor(Scheduler.CONSUMER)).isEqualTo(110);
        assertThat(state.storedCursor).isEqualTo(110);
        // the status events of the ten queued attempts, appended at the commit in order
        List<Event> appended = store.events().stream().filter(e -> e.version() > before).toList();
        assertThat(appended).hasSize(10).allMatch(e -> e.namespace().equals(TaskStatusEvents.NAMESPACE) && e.value().equals("QUEUED"));
        assertThat(appended).extracting(e -> e.context().get(TaskStatusEvents.CONTEXT_ATTEMPT))
                .containsExactly("2", "3", "4", "5", "6", "7", "8", "9", "10", "11");
        assertThat(appended).extracting(Event::version).isSorted().doesNotHaveDuplicates();
        assertThat(state.lastStatusVersion).isEqualTo(store.lastVersion());
    }

    @Test
    void aFailingBatchLeavesTheStoreUnchangedAndTheStartedJobsPending() {
        TaskExecution t = parts.startExecution(SchedulerParts.oneTask(Map.of()));
        parts.monitor.dispatch(); // started: RUNNING written behind
        int commits = store.commits();
        int tasks = taskCount();
        long cursor = store.cursor(Scheduler.CONSUMER);
        List<Event> events = store.events();

        assertThatThrownBy(() -> recorder.batch(() -> {
            recorder.record(queue(50, t.workflowExecutionId(), "first")); // takes the pending start along
            recorder.record(queue(51, t.workflowExecutionId(), "second"));
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");

        assertThat(store.commits()).isEqualTo(commits);
        assertThat(store.rollbacks()).isEqualTo(1);
        assertThat(taskCount()).isEqualTo(tasks);
        assertThat(parts.stored(t.id()).status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(store.cursor(Scheduler.CONSUMER)).isEqualTo(cursor);
        assertThat(store.events()).isEqualTo(events);

        state.forget();
        recorder.rolledBack();

        assertThat(recorder.startsPending()).isTrue();
        assertThat(state.tasksIn(List.of(TaskStatus.RUNNING))).extracting(TaskExecution::id).containsExactly(t.id());
        parts.monitor.dispatch();
        assertThat(parts.runner.submitted).as("the job runs already: not submitted again").hasSize(1);
        recorder.flushStarts();
        assertThat(parts.stored(t.id()).status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(SchedulerJson.readHandle(parts.stored(t.id()).handle()).jobId()).isEqualTo("job-1");
    }

    @Test
    void aWriteWithAMismatchedFenceChangesNothing() {
        TaskExecution t = parts.startExecution(SchedulerParts.oneTask(Map.of()));
        store.lease(new LeaderFence("scheduler", "node-b#1", 2));
        parts.fence = new LeaderFence("scheduler", "node-a#1", 1);
        int commits = store.commits();
        int tasks = taskCount();
        long cursor = store.cursor(Scheduler.CONSUMER);

        assertThatThrownBy(() -> recorder.record(queue(70, t.workflowExecutionId(), "late"))).isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> recorder.transition(t, TaskStatus.STOPPED, "late", null)).isInstanceOf(FencedException.class);
        assertThatThrownBy(() -> recorder.batch(() -> recorder.record(queue(71, t.workflowExecutionId(), "late"))))
                .isInstanceOf(FencedException.class);

        assertThat(store.commits()).isEqualTo(commits);
        assertThat(taskCount()).isEqualTo(tasks);
        assertThat(parts.stored(t.id()).status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(store.cursor(Scheduler.CONSUMER)).isEqualTo(cursor);

        parts.fence = new LeaderFence("scheduler", "node-b#1", 2); // the holder's fence passes
        recorder.record(queue(72, t.workflowExecutionId(), "current"));
        assertThat(store.commits()).isEqualTo(commits + 1);
        assertThat(store.cursor(Scheduler.CONSUMER)).isEqualTo(72);
    }

    @Test
    void aTransitionThatNoLongerAppliesReadsTheTaskAgain() {
        TaskExecution t = parts.startExecution(SchedulerParts.oneTask(Map.of()));
        store.transition(t.id(), TaskStatus.QUEUED, TaskStatus.STOPPED, "stopped elsewhere", null);

        assertThat(recorder.transition(t, TaskStatus.FAILED, "too late", null)).isEmpty();

        assertThat(parts.stored(t.id()).status()).isEqualTo(TaskStatus.STOPPED);
        assertThat(state.tasksIn(SchedulerState.ACTIVE)).as("the copy follows the store").isEmpty();
    }

    /**
     * As the worker does when events arrive while the jobs it just started are written behind: the
     * next event's decision, on a trigger STOP, must stop the started job (STOPPING) rather than plan
     * QUEUED -> STOPPED from the stored row, whose compare-and-set then fails behind the start.
     */
    @Test
    void aTriggerStopDecidedWhileAStartIsWrittenBehindStopsTheJob() {
        WorkflowDefinition def = new WorkflowDefinition("team", "wf", null, List.of(new TaskDefinition("t", TaskKind.BATCH,
                new JobSpec(FakeJobRunner.TYPE, Map.of()), List.of())), null, List.of(new Trigger(EventDeciderTest.onEvent("halt"),
                Action.STOP)), null);
        TaskExecution t = parts.startExecution(def);
        parts.monitor.dispatch(); // started: RUNNING in the state, not yet stored
        Event halt = ConditionFixtures.event(store.lastVersion() + 1, "halt", "now");

        DecisionPlan plan = parts.decider.decide(halt);
        recorder.batch(() -> recorder.record(plan.toDecision(halt.version())));

        assertThat(store.findExecution(t.workflowExecutionId()).orElseThrow().status()).isEqualTo(ExecutionStatus.STOPPED);
        assertThat(parts.stored(t.id()).status()).as("the job of a stopped execution is stopped").isEqualTo(TaskStatus.STOPPING);
    }
}
