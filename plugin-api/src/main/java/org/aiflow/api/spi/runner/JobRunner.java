package org.aiflow.api.spi.runner;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Runs one kind of job. Register an implementation as an OSGi service with the service property
 * {@value #TYPE_PROPERTY} (e.g. {@code process}, {@code flink}); the scheduler binds runners
 * dynamically, so a runner can be installed, replaced or removed while the platform runs.
 *
 * <p><b>Contract.</b>
 * <ul>
 * <li>Thread-safe: the scheduler may call any method from its own threads.</li>
 * <li>{@link #submit} returns quickly once the job is started (not when it ends), with a handle
 *     that is enough to find the job again. The scheduler persists the handle before it calls
 *     anything else.</li>
 * <li>{@link #status} must answer for any handle this runner type ever issued, also one issued
 *     before a platform restart or by an earlier instance of the runner bundle: that is how the
 *     scheduler re-attaches. A job that cannot be found is {@link JobState.Phase#UNKNOWN}.</li>
 * <li>{@link #stop} asks the job to end; it may return before the job has ended. Stopping a job
 *     that already ended is a no-op.</li>
 * <li>When the runner service is unregistered (bundle stopped or updated), it must not kill jobs
 *     that can survive it (external processes, cluster jobs); jobs that cannot (in-process work)
 *     end and report {@link JobState.Phase#UNKNOWN} to the next instance. The scheduler marks the
 *     runner's tasks WAITING meanwhile and re-attaches when a runner of the type is back.</li>
 * </ul>
 */
@ConsumerType
public interface JobRunner {

    /** Service property naming the job type this runner runs. */
    String TYPE_PROPERTY = "aiflow.runner.type";

    /**
     * Starts a job.
     *
     * @throws JobRunnerException if the job cannot be started; its message is shown to users
     */
    JobHandle submit(JobRequest request) throws JobRunnerException;

    /**
     * Finds the job this runner started for a request, if any. The scheduler asks before it submits
     * a task execution again whose earlier submission may have started a job without the handle
     * reaching storage (the platform died in between), so that no job runs twice. The default finds
     * nothing: such a runner may run a job twice after a crash at that moment.
     */
    default Optional<JobHandle> find(JobRequest request) {
        return Optional.empty();
    }

    /** Current state of a job; never throws for an unknown job (that is {@code UNKNOWN}). */
    JobState status(JobHandle handle);

    /**
     * Asks a job to stop.
     *
     * @param withSavepoint for stream jobs that support it: take a savepoint first
     * @throws JobRunnerException if the stop request could not be delivered
     */
    void stop(JobHandle handle, boolean withSavepoint) throws JobRunnerException;
}
