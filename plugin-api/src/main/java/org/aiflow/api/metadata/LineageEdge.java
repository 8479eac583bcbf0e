package org.aiflow.api.metadata;

import java.time.Instant;

/** A recorded fact: task execution {@code taskExecutionId} read or wrote {@code entity} of {@code namespace}. */
public record LineageEdge(long id, String namespace, long taskExecutionId, LineageDirection direction, LineageEntity entity,
                          Instant createTime) {
}
