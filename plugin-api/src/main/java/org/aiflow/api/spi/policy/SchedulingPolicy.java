package org.aiflow.api.spi.policy;

import java.time.Duration;
import java.util.Optional;

import org.aiflow.api.workflow.WorkflowDefinition;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reviews every action the scheduler is about to execute, and may retry failed tasks and limit how
 * long they run. Register as an OSGi service with {@value #NAME_PROPERTY}; policies are consulted in
 * service-ranking order (highest first). Policies read their settings from the {@code options} of
 * tasks and workflows. Must be fast, thread-safe and free of side effects: the same action may be
 * reviewed several times (a DEFER is reviewed again on every tick), and the scheduler recomputes a
 * retry delay after a restart rather than storing it.
 *
 * <p><b>Threads.</b> {@link #review}, {@link #retryDelay} and {@link #timeout} are called on the
 * scheduler's worker thread ({@code aiflow-scheduler}), which makes every scheduling decision: answer
 * fast and never block. {@link #validate} is called on the thread of the upload (a REST or
 * console request, possibly several at once and concurrently with the worker) and again on the
 * worker. A stateless component (immutable fields only) is thread-safe.
 *
 * <p><b>Idempotency.</b> Every method answers the same for the same arguments and has no side
 * effects: {@code review} is asked again for the same start on every tick while it is deferred and
 * for every attempt, {@code timeout} on every tick of a running attempt, and {@code retryDelay} again
 * after a restart (the delay counts from when the attempt became RETRYING). An exception from
 * {@code review}, {@code retryDelay} or {@code timeout} is logged and the policy ignored for that
 * question.
 *
 * <p><b>State.</b> Nothing of a policy is persisted, and a policy keeps none of its own: verdicts and
 * delays are recomputed from the {@link ProposedAction} (with the task's and workflow's
 * {@code options}) and the {@link SchedulingView} (running attempts and executions, as the scheduler
 * has stored them). What the scheduler persists is the effect: a DEFER's reason as the queued task's
 * message (each new reason is a status change: keep it stable), a REJECT as the task's failure, a
 * retry as the RETRYING status.
 *
 * <p><b>Re-attach.</b> There is nothing to re-attach: after a restart, on another node or with a new
 * instance of the bundle the same questions give the same answers. While a policy is not registered
 * it is simply not asked.
 */
@ConsumerType
public interface SchedulingPolicy {
    /** Service property with the policy's name, shown by {@code aiflow:policy-list}. */
    String NAME_PROPERTY = "aiflow.policy.name";

    /** The first verdict that is not PROCEED decides. */
    PolicyVerdict review(ProposedAction action, SchedulingView view);

    /**
     * Called when a task execution failed (including by a timeout): how long to wait before the
     * retry it proposes, or empty for no retry. The first policy with an answer decides; while it
     * waits the failed attempt is RETRYING.
     *
     * @param retry   the retry as it would start: {@code attempt} is the new attempt's number
     * @param failure why the previous attempt failed
     */
    default Optional<Duration> retryDelay(ProposedAction retry, String failure) {
        return Optional.empty();
    }

    /** The longest a started task may run before the scheduler stops it as FAILED; the smallest answer applies. */
    default Optional<Duration> timeout(ProposedAction action) {
        return Optional.empty();
    }

    /**
     * Checks the options this policy reads at upload time.
     *
     * @throws org.aiflow.api.error.ValidationException naming the task and option
     */
    default void validate(WorkflowDefinition workflow) {
    }
}
