package org.aiflow.api.workflow;

/** What a rule does to its task when its condition fires. */
public enum Action {
    /** Start the task unless it is already queued or running. */
    START,
    /** Stop the task if it runs (stream tasks: with a savepoint). */
    STOP,
    /** Stop the task if it runs, then start it again. */
    RESTART,
    /** Do nothing; useful to shadow later rules. */
    NONE
}
