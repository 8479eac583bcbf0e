package org.aiflow.scheduler;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import org.aiflow.api.event.Event;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.spi.policy.PolicyVerdict;
import org.aiflow.api.spi.runner.JobHandle;
import org.aiflow.api.spi.runner.JobRequest;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.spi.runner.JobRunnerException;
import org.aiflow.api.spi.runner.JobState;
import org.aiflow.api.spi.storage.Decision;
import org.aiflow.api.spi.storage.NewTaskExecution;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the jobs of task executions: dispatches queued ones that the policies admit to their runner,
 * follows running ones (and re-attaches to those whose runner came back, or that an earlier leader
 * started), retries failed attempts, stops attempts that ran too long and stops jobs on request.
 * Worker thread only.
 */
final class JobMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(JobMonitor.class);
    /** How the message of an attempt stopped for running too long begins; such an attempt ends FAILED. */
    static final String TIMED_OUT = "timed out";
    /** Message of a queued attempt handed to its runner; see {@link JobRunner#find}. */
    static final String SUBMITTING = "submitting";

    private final SchedulerStore store;
    private final SchedulerState state;
    private final Recorder recorder;
    private final PolicyReview policies;
    private final PluginRegistry<JobRunner> runners;
    private final TaskTokens tokens;
    private final Supplier<String> platformUrl;
    private final LongFunction<Path> logDirectory;
    private final JobSubmitter submitter;
    /** Task executions handed to the submitter whose outcome has not come back, by id. */
    private final Map<Long, TaskExecution> submitting = new HashMap<>();
    /** Counts {@link #forget}s: an outcome from before one is not recorded. */
    private int leadership;
    /** Runs the recording of a submit's outcome on the worker thread, while this node leads. */
    private Consumer<Runnable> toWorker = Runnable::run;
    /** Told on the worker when a start waits to be stored (see {@link Recorder#started}). */
    private Runnable startsWaiting = () -> { };

    JobMonitor(SchedulerStore store, SchedulerState state, Recorder recorder, PolicyReview policies, PluginRegistry<JobRunner> runners,
               TaskTokens tokens, Supplier<String> platformUrl, LongFunction<Path> logDirectory, JobSubmitter submitter) {
        this.store = store;
        this.state = state;
        this.recorder = recorder;
        this.policies = policies;
        this.runners = runners;
        this.tokens = tokens;
        this.platformUrl = platformUrl;
        this.logDirectory = logDirectory;
        this.submitter = submitter;
    }

    /**
     * @param toWorker      runs work on the worker thread while this node leads
     * @param startsWaiting told on the worker when a start waits to be stored
     */
    void recordOutcomesThrough(Consumer<Runnable> toWorker, Runnable startsWaiting) {
        this.toWorker = toWorker;
        this.startsWaiting = startsWaiting;
    }

    /**
     * Follows running jobs; marks the jobs of a missing runner WAITING and re-attaches when it is back.
     * The status changes of one pass are stored in one transaction: with many jobs ending between two
     * ticks, one commit instead of one each keeps the worker free for the events waiting behind it.
     */
    void pollAttached() {
        List<Decision.Transition> changes = new ArrayList<>();
        for (TaskExecution t : state.tasksIn(SchedulerState.ATTACHED)) {
            Optional<JobRunner> runner = runners.get(t.runnerType());
            if (runner.isEmpty()) {
                if (t.status() != TaskStatus.WAITING) {
                    changes.add(Decision.Transition.of(t, TaskStatus.WAITING, "job runner '" + t.runnerType()
                            + "' is not available; the task waits for it to come back"));
                }
                continue;
            }
            if (t.handle() == null) {
                changes.add(Decision.Transition.of(t, TaskStatus.QUEUED, "job runner '" + t.runnerType() + "' is available"));
                continue;
            }
            JobHandle handle = SchedulerJson.readHandle(t.handle());
            JobState job;
            try {
                job = runner.get().status(handle);
            } catch (RuntimeException e) {
                LOG.warn("Runner '{}' failed to report job {}: {}", t.runnerType(), handle.jobId(), e.getMessage());
                continue;
            }
            switch (job.phase()) {
                case RUNNING -> {
                    if (t.status() == TaskStatus.WAITING) {
                        changes.add(Decision.Transition.of(t, TaskStatus.RUNNING, "re-attached to job " + handle.jobId()));
                    } else if (t.status() == TaskStatus.RUNNING) {
                        enforceTimeout(t);
                    }
                }
                case SUCCEEDED -> changes.add(Decision.Transition.of(t, TaskStatus.SUCCESS, job.message()));
                case FAILED -> changes.add(failure(t, job.message()));
                case STOPPED -> changes.add(t.message().startsWith(TIMED_OUT) ? failure(t, t.message())
                        : Decision.Transition.of(t, TaskStatus.STOPPED, job.message()));
                case UNKNOWN -> changes.add(failure(t, "job " + handle.jobId() + " was lost: " + job.message()));
            }
        }
        if (!changes.isEmpty()) {
            recorder.record(new Decision(state.cursor, null, null, null, changes, null));
        }
    }

    /** A task of a workflow execution: one attempt of it runs at a time. */
    private record Slot(long workflowExecutionId, String taskName) {
    }

    /** Starts queued task executions whose runner is there and that every policy admits. */
    void dispatch() {
        List<TaskExecution> queued = state.tasksIn(List.of(TaskStatus.QUEUED));
        if (queued.isEmpty()) {
            return;
        }
        List<TaskExecution> attached = new ArrayList<>(state.tasksIn(SchedulerState.ATTACHED));
        attached.addAll(submitting.values()); // being started: they count as running for the policies
        Set<Slot> busy = new HashSet<>();
        attached.forEach(t -> busy.add(new Slot(t.workflowExecutionId(), t.taskName())));
        PolicyReview.Running running = policies.running(attached);
        for (TaskExecution t : queued) {
            Slot slot = new Slot(t.workflowExecutionId(), t.taskName());
            if (submitting.containsKey(t.id()) || busy.contains(slot)) {
                continue; // one attempt of a task runs at a time; the previous one is still ending
            }
            Optional<JobRunner> runner = runners.get(t.runnerType());
            if (runner.isEmpty()) {
                recorder.transition(t, TaskStatus.WAITING, "no job runner of type '" + t.runnerType()
                        + "' is installed; the task starts when one is", null);
                continue;
            }
            PolicyVerdict verdict = policies.review(t, running);
            if (verdict.kind() == PolicyVerdict.Kind.DEFER) {
                if (!verdict.reason().equals(t.message())) {
                    recorder.transition(t, TaskStatus.QUEUED, verdict.reason(), null);
                }
                continue;
            }
            if (verdict.kind() == PolicyVerdict.Kind.REJECT) {
                recorder.transition(t, TaskStatus.FAILED, "rejected by policy: " + verdict.reason(), null);
                continue;
            }
            busy.add(slot);
            running.add(t);
            submit(t, runner.get());
        }
    }

    /**
     * Starts a queued task execution's job, through the {@link JobSubmitter}; its outcome is recorded
     * back on the worker ({@link #submitted}). A job may already run for a task execution this node did
     * not queue itself (an earlier leader or instance may have submitted it and died before the handle
     * reached storage) or whose handle failed to reach storage: the runner is asked to
     * {@link JobRunner#find find} it first. Task executions queued here and never submitted need no
     * such look, and no marker transaction before submitting.
     */
    private void submit(TaskExecution t, JobRunner runner) {
        WorkflowDefinition def = state.definitionOfExecution(t.workflowExecutionId());
        TaskDefinition task = def.task(t.taskName()).orElseThrow();
        Path logs = logDirectory.apply(t.id());
        boolean queuedHere = state.queuedHere(t.id());
        Optional<Event> event = state.triggers().of(t, queuedHere);
        JobRequest request = new JobRequest(t.id(), def.namespace(), t.workflowName(), t.taskName(), task.kind(), task.job().config(),
                logs, TaskEnvironment.of(platformUrl.get(), t, event, logs.resolve(JobRequest.EVENT_FILE_NAME)));
        // older instances wrote a SUBMITTING marker before submitting; it means the same
        boolean lookFirst = !queuedHere || t.message().startsWith(SUBMITTING);
        submitting.put(t.id(), t);
        int since = leadership;
        submitter.submit(new JobSubmitter.Submission(t.id(), t.runnerType(), runner, request, event, lookFirst),
                outcome -> toWorker.accept(() -> {
                    if (since == leadership) {
                        submitted(t, runner, outcome);
                    }
                }));
    }

    /** Records how starting a job went (worker thread). The task execution may have been stopped meanwhile. */
    private void submitted(TaskExecution asSubmitted, JobRunner runner, JobSubmitter.Outcome outcome) {
        long id = asSubmitted.id();
        if (submitting.remove(id) == null || outcome instanceof JobSubmitter.NotNow) {
            return; // asked again at the next dispatch
        }
        state.submitted(id);
        JobHandle handle = outcome instanceof JobSubmitter.Started s ? s.handle()
                : outcome instanceof JobSubmitter.Found f ? f.handle() : null;
        Optional<TaskExecution> now = state.live(id).filter(t -> t.status() == TaskStatus.QUEUED);
        if (now.isEmpty()) {
            // stopped (or its execution ended) while the job was being started: the job must not run on
            if (handle != null) {
                LOG.info("Task execution {} ended while its job {} was being started; stopping the job", id, handle.jobId());
                stopJob(asSubmitted, runner, handle);
                tokens.revoke(id);
            }
            return;
        }
        TaskExecution t = now.get();
        if (outcome instanceof JobSubmitter.Started) {
            recorder.started(t, "started job " + handle.jobId(), SchedulerJson.writeHandle(handle));
            startsWaiting.run();
        } else if (outcome instanceof JobSubmitter.Found) {
            recorder.transition(t, TaskStatus.RUNNING, "found job " + handle.jobId() + " submitted before a restart",
                    SchedulerJson.writeHandle(handle));
        } else if (outcome instanceof JobSubmitter.Failed failed) {
            fail(t, failed.why());
        }
    }

    /** This node leads again, or no more: outcomes of submits made before are not recorded (the next leader finds those jobs). */
    void forget() {
        leadership++;
        submitting.clear();
    }

    /** Ends a failed attempt: RETRYING if a policy proposes a retry, else FAILED. */
    private Optional<TaskExecution> fail(TaskExecution t, String failure) {
        Decision.Transition end = failure(t, failure);
        return recorder.transition(t, end.to(), end.message(), null);
    }

    private Decision.Transition failure(TaskExecution t, String failure) {
        Optional<Duration> delay = policies.retryDelay(t, failure);
        if (delay.isPresent()) {
            return Decision.Transition.of(t, TaskStatus.RETRYING, failure + "; attempt " + (t.attempt() + 1)
                    + " follows in " + delay.get().toMillis() / 1000.0 + " s");
        }
        return Decision.Transition.of(t, TaskStatus.FAILED, failure);
    }

    /**
     * Queues the next attempt of RETRYING executions whose delay has passed, then ends the failed
     * attempt FAILED. The delay is recomputed from the policies and the time the attempt entered
     * RETRYING, so nothing but the status needs storing; a crash between the two steps is
     * recognised by the newer attempt and never queues a second one.
     */
    void retryDue() {
        for (TaskExecution t : state.tasksIn(List.of(TaskStatus.RETRYING))) {
            WorkflowExecution x = store.findExecution(t.workflowExecutionId()).orElseThrow();
            boolean newerAttempt = store.listTasks(new TaskQuery(null, x.id(), null, 10_000)).stream()
                    .anyMatch(o -> o.taskName().equals(t.taskName()) && o.attempt() > t.attempt());
            String failure = t.message().replaceFirst("; attempt \\d+ follows in .*$", "");
            if (newerAttempt || x.status().isFinal()) {
                recorder.transition(t, TaskStatus.FAILED, failure, null);
                continue;
            }
            Optional<Duration> delay = policies.retryDelay(t, t.message());
            if (delay.isEmpty()) {
                recorder.transition(t, TaskStatus.FAILED, t.message(), null);
                continue;
            }
            if (t.updateTime().plus(delay.get()).isAfter(Instant.now())) {
                continue;
            }
            TaskDefinition task = state.definition(x.snapshotId()).task(t.taskName()).orElseThrow();
            TaskExecution next = recorder.record(new Decision(state.cursor, null, List.of(new NewTaskExecution(x.id(), x.namespace(),
                    x.workflowName(), t.taskName(), task.job().runnerType(), "retry of attempt " + t.attempt(),
                    EventDecider.nextAttempt(state.latestTasks(x.id()), state.allAttemptsKnown(x.id()), t.taskName()))), null, null, null)).queued().get(0);
            state.triggers().retried(t.id(), next.id());
            recorder.transition(t, TaskStatus.FAILED, failure + "; retried as task execution " + next.id(), null);
        }
    }

    /** Stops an attempt that ran longer than the smallest timeout a policy sets; it then ends FAILED (or RETRYING). */
    private void enforceTimeout(TaskExecution t) {
        Optional<Duration> limit = policies.timeout(t);
        if (limit.isPresent() && t.updateTime().plus(limit.get()).isBefore(Instant.now())) {
            requestStop(t, TIMED_OUT + " after " + limit.get().toMillis() / 1000.0 + " s");
        }
    }

    /** Stops an attempt as stored now: STOPPED at once without a job, else STOPPING and its job asked to stop. */
    void requestStop(TaskExecution t, String why) {
        recorder.flushStarts(); // the row read next must have the starts not stored yet
        TaskExecution current = store.findTask(t.id()).orElseThrow();
        if (current.status().isFinal() || current.status() == TaskStatus.STOPPING) {
            return;
        }
        if (current.handle() == null || current.status() == TaskStatus.RETRYING) {
            recorder.transition(current, TaskStatus.STOPPED, why, null);
            return;
        }
        recorder.transition(current, TaskStatus.STOPPING, why, null).ifPresent(this::stopJob);
    }

    /** Asks the runner to stop a STOPPING task's job (stream tasks: with a savepoint); repeating it is harmless. */
    void stopJob(TaskExecution t) {
        Optional<JobRunner> runner = runners.get(t.runnerType());
        if (runner.isEmpty() || t.handle() == null) {
            return; // asked again when this node next becomes the leader, which re-issues the stops of STOPPING tasks
        }
        stopJob(t, runner.get(), SchedulerJson.readHandle(t.handle()));
    }

    private void stopJob(TaskExecution t, JobRunner runner, JobHandle handle) {
        boolean stream = state.definitionOfExecution(t.workflowExecutionId()).task(t.taskName())
                .map(d -> d.kind() == TaskKind.STREAM).orElse(false);
        try {
            runner.stop(handle, stream);
        } catch (JobRunnerException | RuntimeException e) {
            LOG.warn("Runner '{}' could not stop task execution {}: {}", t.runnerType(), t.id(), e.getMessage());
        }
    }
}
