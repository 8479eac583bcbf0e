package org.aiflow.api.execution;

import java.time.Instant;

/**
 * A stored workflow: its identity and which snapshot (uploaded definition) is current.
 *
 * @param snapshotId the current snapshot; new executions run it, running ones keep their own
 */
public record Workflow(long id, String namespace, String name, boolean enabled, long snapshotId,
                       Instant createTime, Instant updateTime) {
}
