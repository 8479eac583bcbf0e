package org.aiflow.api.spi.runner;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Runs one kind of job. Register an implementation as an OSGi service with the service property
 * {@value #TYPE_PROPERTY} (e.g. {@code process}, {@code flink}); the scheduler binds runners
 * dynamically, so a runner can be installed, replaced or removed while the platform runs.
 *
 * <p><b>Threads.</b> The scheduler calls {@link #submit} and {@link #find} from a thread of its own
 * per runner type, named {@code aiflow-submit-<type>}: the calls of one type come one at a time, in
 * order, and a slow submit (a Flink jar upload takes seconds) holds up only the other starts of the
 * same type. It calls {@link #status} and {@link #stop} from its worker thread, {@code aiflow-scheduler},
 * at the same time as those: <b>a runner must be thread-safe between the two threads</b> (keep what
 * they share in concurrent collections or guard it). In particular {@code status} and {@code stop}
 * of other jobs run while a {@code submit} is under way, and a task stopped while its job was being
 * started gets {@code stop} for the new handle right after {@code submit} returned. The worker makes
 * every scheduling decision, so {@code status} and {@code stop} must not block for long: {@code status}
 * is asked for every running job again and again while it runs (answer from a cache or one cheap call).
 *
 * <p><b>Idempotency.</b>
 * <ul>
 * <li>{@link #status} has no side effects and may be called any number of times for a handle.</li>
 * <li>{@link #stop} may be called more than once for the same job (a new leader re-issues the stops of
 *     STOPPING tasks) and for a job that already ended: both are no-ops.</li>
 * <li>{@link #submit} is called once per task execution while the platform runs. If the platform dies
 *     after a submit started a job but before its handle was stored, the next leader calls
 *     {@link #find} with the same request ({@link JobRequest#taskExecutionId()} is unique) and calls
 *     {@code submit} again only if {@code find} finds nothing: implement {@code find}, or derive the
 *     job's identity from the task execution id, so that a job does not run twice.</li>
 * <li>{@link #find} has no side effects; it is also asked for task executions whose job never started.</li>
 * </ul>
 *
 * <p><b>Re-attach.</b> {@link #status} (and {@link #stop}) must answer for any handle this runner
 * type ever issued: also one issued before a platform restart, by an earlier instance of the runner
 * bundle, or by the runner on another platform node sharing the database (the leader may move). That
 * is how the scheduler re-attaches to running jobs. A job that cannot be found is
 * {@link JobState.Phase#UNKNOWN} (the task then fails: its job was lost). Likewise {@link #find}
 * finds a job from the request alone, whichever instance or node started it.
 *
 * <p><b>State.</b> The platform persists one thing for a runner: the {@link JobHandle} {@code submit}
 * returns (runner type, job id, string attributes), stored by the scheduler with the task's RUNNING
 * status in its next transaction. Everything else the runner needs to answer {@code status},
 * {@code stop} and {@code find} after a restart it keeps itself: in the handle's attributes (small),
 * in the task's log directory (the {@code process} runner's pid file), or in the engine (the
 * {@code flink} runner chooses the Flink job id before submitting). Fields of the runner object are
 * lost with the bundle. The request's token ({@link JobRequest#AIFLOW_TOKEN}) is a secret: never store
 * it in a handle, a log or a message.
 *
 * <p><b>Lifecycle.</b>
 * <ul>
 * <li>{@link #submit} returns quickly once the job is started (not when it ends).</li>
 * <li>{@link #stop} asks the job to end; it may return before the job has ended; the following
 *     {@code status} calls report {@link JobState.Phase#STOPPED} once it has.</li>
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
     * Starts a job; called on the runner type's submit thread ({@code aiflow-submit-<type>}).
     *
     * @throws JobRunnerException if the job cannot be started; its message is shown to users
     */
    JobHandle submit(JobRequest request) throws JobRunnerException;

    /**
     * Finds the job this runner started for a request, if any. The scheduler asks before it submits
     * a task execution again whose earlier submission may have started a job without the handle
     * reaching storage (the platform died in between), so that no job runs twice. Called on the runner
     * type's submit thread ({@code aiflow-submit-<type>}), right before the {@code submit} it may save.
     * The default finds nothing: such a runner may run a job twice after a crash at that moment.
     */
    default Optional<JobHandle> find(JobRequest request) {
        return Optional.empty();
    }

    /**
     * Current state of a job; never throws for an unknown job (that is {@code UNKNOWN}). Called on the
     * scheduler's worker thread ({@code aiflow-scheduler}), concurrently with {@code submit}.
     */
    JobState status(JobHandle handle);

    /**
     * Asks a job to stop; called on the scheduler's worker thread ({@code aiflow-scheduler}),
     * concurrently with {@code submit}.
     *
     * @param withSavepoint for stream jobs that support it: take a savepoint first
     * @throws JobRunnerException if the stop request could not be delivered
     */
    void stop(JobHandle handle, boolean withSavepoint) throws JobRunnerException;
}
