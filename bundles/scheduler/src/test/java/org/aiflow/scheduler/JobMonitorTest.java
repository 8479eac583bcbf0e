package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.TaskStatusChange;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.spi.runner.JobHandle;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.spi.runner.JobState;
import org.aiflow.api.spi.storage.Decision;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The job monitor over an in-memory store, the scheduler state and a fake runner: dispatch, the
 * write-behind of starts, polling, retries, re-attaching, finding jobs of an earlier instance,
 * timeouts and stops. The test thread plays the worker.
 */
class JobMonitorTest {
    @TempDir
    Path logs;
    private SchedulerParts parts;
    private InMemorySchedulerStore store;
    private FakeJobRunner runner;
    private JobMonitor monitor;
    private SchedulerState state;

    @BeforeEach
    void setUp() {
        parts = new SchedulerParts(logs, s -> null);
        store = parts.store;
        runner = parts.runner;
        monitor = parts.monitor;
        state = parts.state;
        state.forget();
    }

    /** A task execution queued, dispatched and its RUNNING stored. */
    private TaskExecution running(Map<String, Object> taskOptions) {
        TaskExecution t = parts.startExecution(SchedulerParts.oneTask(taskOptions));
        monitor.dispatch();
        parts.recorder.flushStarts();
        TaskExecution stored = parts.stored(t.id());
        assertThat(stored.status()).isEqualTo(TaskStatus.RUNNING);
        return stored;
    }

    private static List<TaskStatus> statuses(List<TaskStatusChange> history) {
        return history.stream().map(TaskStatusChange::to).toList();
    }

    @Test
    void dispatchSubmitsAndTheRunningTransitionIsStoredWithTheNextRecord() {
        TaskExecution t = parts.startExecution(SchedulerParts.oneTask(Map.of()));
        int commits = store.commits();

        monitor.dispatch();

        assertThat(runner.submitted).hasSize(1);
        assertThat(runner.submitted.get(0).taskExecutionId()).isEqualTo(t.id());
        assertThat(runner.lookedFor).as("queued here: no job can run for it yet").isEmpty();
        assertThat(store.commits()).as("a start costs no transaction of its own").isEqualTo(commits);
        assertThat(parts.stored(t.id()).status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(state.tasksIn(List.of(TaskStatus.RUNNING))).extracting(TaskExecution::id).containsExactly(t.id());
        assertThat(parts.recorder.startsPending()).isTrue();

        parts.recorder.record(new Decision(state.cursor, null, null, null, null, null));

        assertThat(store.commits()).isEqualTo(commits + 1);
        TaskExecution stored = parts.stored(t.id());
        assertThat(stored.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(stored.message()).isEqualTo("started job job-1");
        assertThat(SchedulerJson.readHandle(stored.handle()).jobId()).isEqualTo("job-1");
        assertThat(statuses(store.history(t.id()))).containsExactly(TaskStatus.QUEUED, TaskStatus.RUNNING);
        assertThat(parts.recorder.startsPending()).isFalse();

        monitor.dispatch();
        assertThat(runner.submitted).hasSize(1);
    }

    @Test
    void aRefusedSubmitFailsTheTaskAndIsCountedByRunnerType() {
        runner.refusal = "no slot for this job";
        TaskExecution first = parts.startExecution(SchedulerParts.oneTask(Map.of()));
        monitor.dispatch();
        TaskExecution second = parts.startExecution(SchedulerParts.oneTask(Map.of()));
        monitor.dispatch();

        assertThat(parts.stored(first.id()).status()).isEqualTo(TaskStatus.FAILED);
        assertThat(parts.stored(second.id()).message()).contains("no slot for this job");
        assertThat(parts.stats.submitFailures()).isEqualTo(Map.of(FakeJobRunner.TYPE, 2L));

        runner.refusal = null;
        running(Map.of());
        assertThat(parts.stats.submitFailures()).as("a started job is no failure").isEqualTo(Map.of(FakeJobRunner.TYPE, 2L));
    }

    @ParameterizedTest
    @CsvSource({"SUCCEEDED, SUCCESS", "FAILED, FAILED", "STOPPED, STOPPED", "UNKNOWN, FAILED"})
    void anEndedJobMovesTheTaskOn(JobState.Phase phase, TaskStatus expected) {
        TaskExecution t = running(Map.of());
        runner.end(t.handle(), phase, "the job says " + phase);

        monitor.pollAttached();

        TaskExecution stored = parts.stored(t.id());
        assertThat(stored.status()).isEqualTo(expected);
        assertThat(stored.message()).contains("the job says " + phase);
        if (phase == JobState.Phase.UNKNOWN) {
            assertThat(stored.message()).startsWith("job job-1 was lost");
        }
        assertThat(state.tasksIn(SchedulerState.ATTACHED)).isEmpty();
        monitor.pollAttached();
        assertThat(store.history(t.id())).hasSize(3);
    }

    @Test
    void aFailedAttemptIsRetriedAfterItsDelay() {
        TaskExecution first = running(Map.of("retries", 1, "retryDelaySeconds", 0.3));
        runner.end(first.handle(), JobState.Phase.FAILED, "exit code 1");

        monitor.pollAttached();

        assertThat(parts.stored(first.id()).status()).isEqualTo(TaskStatus.RETRYING);
        assertThat(parts.stored(first.id()).message()).isEqualTo("exit code 1; attempt 2 follows in 0.3 s");
        monitor.retryDue();
        assertThat(parts.attempts(first.workflowExecutionId(), "t")).as("the delay has not passed").hasSize(1);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).pollInSameThread().until(() -> {
            monitor.retryDue();
            return parts.attempts(first.workflowExecutionId(), "t").size() == 2;
        });

        TaskExecution second = parts.attempts(first.workflowExecutionId(), "t").get(1);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(second.message()).isEqualTo("retry of attempt 1");
        assertThat(parts.stored(first.id()).status()).isEqualTo(TaskStatus.FAILED);
        assertThat(parts.stored(first.id()).message()).isEqualTo("exit code 1; retried as task execution " + second.id());
        monitor.retryDue();
        assertThat(parts.attempts(first.workflowExecutionId(), "t")).hasSize(2);

        // the retry runs and fails too: no retries left
        monitor.dispatch();
        parts.recorder.flushStarts();
        assertThat(runner.submitted).hasSize(2);
        runner.end(parts.stored(second.id()).handle(), JobState.Phase.FAILED, "exit code 2");
        monitor.pollAttached();
        assertThat(parts.stored(second.id()).status()).isEqualTo(TaskStatus.FAILED);
    }

    @Test
    void aMissingRunnerMakesRunningTasksWaitAndTheyAreReattachedWhenItIsBack() {
        TaskExecution t = running(Map.of());
        parts.runners.remove(runner);

        monitor.pollAttached();

        TaskExecution waiting = parts.stored(t.id());
        assertThat(waiting.status()).isEqualTo(TaskStatus.WAITING);
        assertThat(waiting.message()).contains("job runner 'fake' is not available");
        assertThat(waiting.handle()).isEqualTo(t.handle());

        parts.runners.add(runner, Map.of(JobRunner.TYPE_PROPERTY, FakeJobRunner.TYPE));
        monitor.pollAttached();

        TaskExecution back = parts.stored(t.id());
        assertThat(back.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(back.message()).isEqualTo("re-attached to job job-1");
        assertThat(runner.submitted).hasSize(1);
        assertThat(statuses(store.history(t.id()))).containsExactly(TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.WAITING,
                TaskStatus.RUNNING);
    }

    @Test
    void aQueuedTaskWithoutItsRunnerWaitsAndStartsWhenTheRunnerComes() {
        parts.runners.remove(runner);
        TaskExecution t = parts.startExecution(SchedulerParts.oneTask(Map.of()));

        monitor.dispatch();
        assertThat(parts.stored(t.id()).status()).isEqualTo(TaskStatus.WAITING);
        assertThat(parts.stored(t.id()).message()).startsWith("no job runner of type 'fake' is installed");

        parts.runners.add(runner, Map.of(JobRunner.TYPE_PROPERTY, FakeJobRunner.TYPE));
        monitor.pollAttached();
        assertThat(parts.stored(t.id()).status()).isEqualTo(TaskStatus.QUEUED);
        monitor.dispatch();
        parts.recorder.flushStarts();
        assertThat(parts.stored(t.id()).status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(runner.submitted).hasSize(1);
    }

    /** A task queued by an earlier instance (this state was read from the store after it was queued). */
    private TaskExecution queuedBefore() {
        Workflow w = store.saveWorkflow(SchedulerParts.oneTask(Map.of()));
        TaskExecution t = store.record(Scheduler.CONSUMER, new Decision(0, List.of(new Decision.NewExecution(w.id(), w.snapshotId(),
                EventDecider.initialTasks(SchedulerParts.oneTask(Map.of()), "queued before a restart"))), null, null, null, null))
                .queued().get(0);
        state.forget();
        return t;
    }

    @Test
    void aTaskNotQueuedHereIsLookedForBeforeSubmitting() {
        TaskExecution t = queuedBefore();
        runner.found = Optional.of(new JobHandle(FakeJobRunner.TYPE, "job-old", Map.of()));
        runner.jobs.put("job-old", JobState.running());

        monitor.dispatch();

        assertThat(runner.lookedFor).extracting(r -> r.taskExecutionId()).containsExactly(t.id());
        assertThat(runner.submitted).isEmpty();
        TaskExecution stored = parts.stored(t.id());
        assertThat(stored.status()).as("stored at once, not written behind").isEqualTo(TaskStatus.RUNNING);
        assertThat(stored.message()).isEqualTo("found job job-old submitted before a restart");
        assertThat(SchedulerJson.readHandle(stored.handle()).jobId()).isEqualTo("job-old");
        monitor.dispatch();
        assertThat(runner.submitted).isEmpty();
    }

    @Test
    void aTaskNotQueuedHereWhoseJobIsNotFoundIsSubmitted() {
        TaskExecution t = queuedBefore();

        monitor.dispatch();
        parts.recorder.flushStarts();

        assertThat(runner.lookedFor).hasSize(1);
        assertThat(runner.submitted).hasSize(1);
        assertThat(parts.stored(t.id()).status()).isEqualTo(TaskStatus.RUNNING);
    }

    @Test
    void anAttemptThatRunsTooLongIsStoppedAndEndsFailed() {
        TaskExecution t = running(Map.of("timeoutSeconds", 0.05));

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).pollInSameThread().until(() -> {
            monitor.pollAttached();
            return parts.stored(t.id()).status() == TaskStatus.STOPPING;
        });

        assertThat(parts.stored(t.id()).message()).isEqualTo(JobMonitor.TIMED_OUT + " after 0.05 s");
        assertThat(runner.stopped).extracting(JobHandle::jobId).containsExactly("job-1");

        runner.end(t.handle(), JobState.Phase.STOPPED, "cancelled");
        monitor.pollAttached();

        assertThat(parts.stored(t.id()).status()).isEqualTo(TaskStatus.FAILED);
        assertThat(parts.stored(t.id()).message()).startsWith(JobMonitor.TIMED_OUT);
    }

    @Test
    void requestStopWithoutAJobStopsAtOnce() {
        TaskExecution t = parts.startExecution(SchedulerParts.oneTask(Map.of()));

        monitor.requestStop(t, "stopped by hand");

        assertThat(parts.stored(t.id()).status()).isEqualTo(TaskStatus.STOPPED);
        assertThat(parts.stored(t.id()).message()).isEqualTo("stopped by hand");
        assertThat(runner.stopped).isEmpty();
        monitor.dispatch();
        assertThat(runner.submitted).isEmpty();
    }

    @Test
    void requestStopOfARunningJobAsksTheRunner() {
        TaskExecution t = running(Map.of());

        monitor.requestStop(t, "stopped by hand");

        assertThat(parts.stored(t.id()).status()).isEqualTo(TaskStatus.STOPPING);
        assertThat(runner.stopped).extracting(JobHandle::jobId).containsExactly("job-1");
        monitor.requestStop(t, "again");
        assertThat(runner.stopped).as("STOPPING already").hasSize(1);

        runner.end(t.handle(), JobState.Phase.STOPPED, "cancelled");
        monitor.pollAttached();
        assertThat(parts.stored(t.id()).status()).isEqualTo(TaskStatus.STOPPED);
    }

    @Test
    void maxConcurrentKeepsASecondAttemptQueuedUntilTheFirstEnds() {
        TaskExecution first = running(Map.of("maxConcurrent", 1));
        TaskExecution second = parts.startExecution(SchedulerParts.oneTask(Map.of("maxConcurrent", 1)));

        monitor.dispatch();

        assertThat(runner.submitted).hasSize(1);
        assertThat(parts.stored(second.id()).status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(parts.stored(second.id()).message()).startsWith("waiting: 1 attempt(s) of task 't' run");
        int commits = store.commits();
        monitor.dispatch();
        assertThat(store.commits()).as("the same reason is not stored again").isEqualTo(commits);

        runner.end(first.handle(), JobState.Phase.SUCCEEDED, "done");
        monitor.pollAttached();
        monitor.dispatch();
        parts.recorder.flushStarts();
        assertThat(runner.submitted).hasSize(2);
        assertThat(parts.stored(second.id()).status()).isEqualTo(TaskStatus.RUNNING);
    }

    /** requestStop reads the task as stored, then its transition stores the pending starts first: with a start written behind, the stop is lost. */
    @Test
    void requestStopOfATaskWhoseStartIsWrittenBehindStopsItsJob() {
        TaskExecution t = parts.startExecution(SchedulerParts.oneTask(Map.of()));
        monitor.dispatch(); // RUNNING in the state, QUEUED as stored

        monitor.requestStop(t, "stopped");

        assertThat(parts.stored(t.id()).status()).isEqualTo(TaskStatus.STOPPING);
        assertThat(runner.stopped).hasSize(1);
    }

    /**
     * Jobs start off the worker thread: while a start is under way the task is not handed to its
     * runner again, and a task stopped meanwhile has its job stopped once the start comes back.
     */
    @Test
    void aTaskStoppedWhileItsJobStartsHasTheJobStopped() {
        List<Runnable> outcomes = new ArrayList<>();
        monitor.recordOutcomesThrough(outcomes::add, () -> { });
        TaskExecution t = parts.startExecution(SchedulerParts.oneTask(Map.of()));
        monitor.dispatch();
        monitor.dispatch();
        assertThat(runner.submitted).as("handed to the runner once while its start is under way").hasSize(1);
        assertThat(outcomes).hasSize(1);

        monitor.requestStop(t, "stopped by hand"); // as stored: QUEUED without a job, so STOPPED at once
        assertThat(parts.stored(t.id()).status()).isEqualTo(TaskStatus.STOPPED);
        outcomes.forEach(Runnable::run);

        assertThat(runner.stopped).as("the job that started meanwhile is stopped").hasSize(1);
        parts.recorder.flushStarts();
        assertThat(parts.stored(t.id()).status()).isEqualTo(TaskStatus.STOPPED);
    }

    /** The outcome of a start made before this node stopped leading (and led again) is not recorded; the next dispatch looks for the job. */
    @Test
    void anOutcomeFromAnEarlierLeadershipIsNotRecorded() {
        List<Runnable> outcomes = new ArrayList<>();
        monitor.recordOutcomesThrough(outcomes::add, () -> { });
        TaskExecution t = parts.startExecution(SchedulerParts.oneTask(Map.of()));
        monitor.dispatch();
        monitor.forget();
        state.forget();
        outcomes.forEach(Runnable::run);
        parts.recorder.flushStarts();
        assertThat(parts.stored(t.id()).status()).isEqualTo(TaskStatus.QUEUED);

        outcomes.clear();
        monitor.recordOutcomesThrough(Runnable::run, () -> { });
        runner.found = Optional.of(new JobHandle(FakeJobRunner.TYPE, "job-1", Map.of())); // the job started before still runs
        monitor.dispatch();
        assertThat(runner.lookedFor).as("not queued by this leadership: the runner is asked for the job first").hasSize(1);
        assertThat(runner.submitted).as("found, not started again").hasSize(1);
        assertThat(parts.stored(t.id()).status()).isEqualTo(TaskStatus.RUNNING);
    }
}
