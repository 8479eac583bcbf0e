package org.aiflow.api.workflow;

/** Batch tasks finish by themselves; stream tasks run until stopped. */
public enum TaskKind {
    BATCH, STREAM
}
