package org.aiflow.api.workflow;

/** What a schedule does about fire times it missed while the platform was down. */
public enum CatchUp {
    /** Fire once for the newest missed time (the default). */
    LATEST,
    /** Fire once for every missed time, oldest first (at most 1000). */
    ALL,
    /** Skip missed times; fire only for a time missed by less than a minute. */
    NONE
}
