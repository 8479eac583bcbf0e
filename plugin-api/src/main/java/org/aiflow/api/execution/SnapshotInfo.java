package org.aiflow.api.execution;

import java.time.Instant;

/**
 * One entry of a workflow's snapshot history: a {@link WorkflowSnapshot} without its definition
 * (read that by {@code id}).
 *
 * @param id         the snapshot's id; a later upload has a larger one
 * @param workflowId the workflow it belongs to
 * @param createTime when it was uploaded
 * @since 2.1
 */
public record SnapshotInfo(long id, long workflowId, Instant createTime) {
}
