package org.aiflow.api.spi.runner;

/**
 * What a runner knows about a job right now.
 *
 * @param phase   where the job is
 * @param message detail for users: exit code, failure cause, why the job is unknown
 */
public record JobState(Phase phase, String message) {

    public enum Phase {
        /** Still running (or starting). */
        RUNNING,
        /** Finished successfully. */
        SUCCEEDED,
        /** Finished with a failure; {@code message} says why. */
        FAILED,
        /** Ended because it was stopped. */
        STOPPED,
        /** The runner cannot find the job (it vanished, e.g. its process died with the host). */
        UNKNOWN
    }

    public static JobState running() {
        return new JobState(Phase.RUNNING, "");
    }
}
