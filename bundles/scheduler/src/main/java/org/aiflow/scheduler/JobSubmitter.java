package org.aiflow.scheduler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.aiflow.api.event.Event;
import org.aiflow.api.spi.runner.JobHandle;
import org.aiflow.api.spi.runner.JobRequest;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.spi.runner.JobRunnerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the runner calls that start a job (its log directory, the event file, the task's token, a
 * look for a job started before, the submit) off the scheduler's worker thread, one thread per
 * runner type, and hands the outcome back. A Flink submit that uploads a jar takes seconds, and a
 * burst of process starts costs a directory and two files each (a fifth of the worker's time in a
 * burst of 5,000 events, measured with JFR): neither should hold up the decisions of the events
 * queued behind them. The calls of one runner type keep to one thread, as they did on the worker.
 */
final class JobSubmitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobSubmitter.class);

    /** What starting one queued task execution needs, gathered on the worker. */
    record Submission(long taskExecutionId, String runnerType, JobRunner runner, JobRequest request, Optional<Event> event,
                      boolean lookFirst) {
    }

    /** How a submission ended. */
    sealed interface Outcome {
    }

    /** The runner started the job. */
    record Started(JobHandle handle) implements Outcome {
    }

    /** A job an earlier instance had started for the task execution was found running. */
    record Found(JobHandle handle) implements Outcome {
    }

    /** The job could not be started ({@code why} holds no token). */
    record Failed(String why) implements Outcome {
    }

    /** Nothing was started, to be tried again at the next dispatch (the look failed, or the lease is in doubt). */
    record NotNow() implements Outcome {
    }

    private final TaskTokens tokens;
    private final boolean direct;
    private final SchedulerStats stats;
    private final Map<String, ExecutorService> threads = new ConcurrentHashMap<>();
    private volatile BooleanSupplier holdsLease = () -> true;
    private volatile boolean closed;

    private JobSubmitter(TaskTokens tokens, boolean direct, SchedulerStats stats) {
        this.tokens = tokens;
        this.direct = direct;
        this.stats = stats;
    }

    /** Submits on a thread per runner type; failed submits are counted in {@code stats}. */
    static JobSubmitter threaded(TaskTokens tokens, SchedulerStats stats) {
        return new JobSubmitter(tokens, false, stats);
    }

    /** Submits on the caller's thread (tests). */
    static JobSubmitter direct(TaskTokens tokens, SchedulerStats stats) {
        return new JobSubmitter(tokens, true, stats);
    }

    void leaseCheck(BooleanSupplier check) {
        this.holdsLease = check;
    }

    /** Starts the job; {@code done} is told the outcome on the submitting thread (or not at all once closed). */
    void submit(Submission s, Consumer<Outcome> done) {
        if (direct) {
            done.accept(counted(s));
            return;
        }
        try {
            threads.computeIfAbsent(s.runnerType(), type -> Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "aiflow-submit-" + type);
                t.setDaemon(true);
                return t;
            })).execute(() -> done.accept(counted(s)));
        } catch (RejectedExecutionException closing) {
            // closing: the task stays QUEUED as stored, and the next start submits it
        }
    }

    private Outcome counted(Submission s) {
        Outcome outcome = start(s);
        if (outcome instanceof Failed) {
            stats.submitFailed(s.runnerType());
        }
        return outcome;
    }

    private Outcome start(Submission s) {
        if (closed) {
            return new NotNow();
        }
        JobRequest request = s.request();
        Path logs = request.logDirectory();
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            return new Failed("cannot create the log directory: " + e.getMessage());
        }
        if (s.event().isPresent()) {
            Path eventFile = logs.resolve(JobRequest.EVENT_FILE_NAME);
            try {
                TaskEnvironment.writeEvent(eventFile, s.event().get());
            } catch (IOException e) {
                return new Failed("cannot write " + eventFile + ": " + e.getMessage());
            }
        }
        if (s.lookFirst()) {
            try {
                Optional<JobHandle> found = s.runner().find(request);
                if (found.isPresent()) {
                    // the job runs with the token issued when it was submitted (stored hashed: never issued again)
                    return new Found(found.get());
                }
            } catch (RuntimeException e) {
                LOG.warn("Runner '{}' could not look for a job of task execution {}: {}", s.runnerType(), s.taskExecutionId(),
                        e.getMessage());
                return new NotNow();
            }
        }
        if (!holdsLease.getAsBoolean()) {
            // paused past the lease, perhaps: another node may lead and start this job; leave it QUEUED
            return new NotNow();
        }
        Optional<String> token;
        try {
            token = tokens.issue(s.taskExecutionId(), request.namespace());
        } catch (RuntimeException e) {
            tokens.revoke(s.taskExecutionId());
            LOG.error("Cannot issue the token of task execution {}", s.taskExecutionId(), e);
            return new Failed("cannot issue the task's token: " + e.getMessage());
        }
        if (token.isPresent()) {
            request = request.withTaskEnvironment(TaskEnvironment.withToken(request.taskEnvironment(), token.get()));
        }
        try {
            return new Started(s.runner().submit(request));
        } catch (JobRunnerException | RuntimeException e) {
            tokens.revoke(s.taskExecutionId());
            // a runner's message may quote the job's arguments: the token never goes into a message or log
            String why = TaskEnvironment.redact(e instanceof JobRunnerException ? e.getMessage() : "runner '" + s.runnerType()
                    + "' failed: " + e, token);
            if (!(e instanceof JobRunnerException)) {
                LOG.error("Runner '{}' failed to submit task execution {}: {}", s.runnerType(), s.taskExecutionId(), why);
                LOG.debug("Stack trace of the failed submit of task execution {}", s.taskExecutionId(), e);
            }
            return new Failed(why);
        }
    }

    /**
     * Lets the submits under way finish (up to {@code waitMillis}), then starts no more: a job started
     * after its outcome can no longer be stored is found by the next start ({@link JobRunner#find}).
     */
    void drain(long waitMillis) {
        threads.values().forEach(ExecutorService::shutdown);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        for (ExecutorService e : threads.values()) {
            try {
                if (!e.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.warn("A job submit is still under way after {} ms; its task is found by the next start", waitMillis);
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        threads.values().forEach(ExecutorService::shutdownNow);
    }
}
