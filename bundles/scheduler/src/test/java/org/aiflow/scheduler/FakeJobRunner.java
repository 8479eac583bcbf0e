package org.aiflow.scheduler;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.aiflow.api.spi.runner.JobHandle;
import org.aiflow.api.spi.runner.JobRequest;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.spi.runner.JobRunnerException;
import org.aiflow.api.spi.runner.JobState;

/** A job runner of type {@code fake} whose jobs live in a map: the test sets their state. Thread-safe. */
final class FakeJobRunner implements JobRunner {
    static final String TYPE = "fake";

    final Map<String, JobState> jobs = new ConcurrentHashMap<>();
    final List<JobRequest> submitted = new CopyOnWriteArrayList<>();
    final List<JobRequest> lookedFor = new CopyOnWriteArrayList<>();
    final List<JobHandle> stopped = new CopyOnWriteArrayList<>();
    /** What {@link #find} answers. */
    volatile Optional<JobHandle> found = Optional.empty();
    private final AtomicInteger ids = new AtomicInteger();
    /** When set, {@link #submit} refuses with this message. */
    volatile String refusal;

    @Override
    public JobHandle submit(JobRequest request) throws JobRunnerException {
        if (refusal != null) {
            throw new JobRunnerException(refusal);
        }
        submitted.add(request);
        String id = "job-" + ids.incrementAndGet();
        jobs.put(id, JobState.running());
        return new JobHandle(TYPE, id, Map.of());
    }

    @Override
    public Optional<JobHandle> find(JobRequest request) {
        lookedFor.add(request);
        return found;
    }

    @Override
    public JobState status(JobHandle handle) {
        return jobs.getOrDefault(handle.jobId(), new JobState(JobState.Phase.UNKNOWN, "no such job"));
    }

    @Override
    public void stop(JobHandle handle, boolean withSavepoint) {
        stopped.add(handle);
    }

    /** Ends the job of a stored handle (JSON) with the phase. */
    void end(String handleJson, JobState.Phase phase, String message) {
        jobs.put(SchedulerJson.readHandle(handleJson).jobId(), new JobState(phase, message));
    }
}
