package org.aiflow.api.spi.storage;

import java.time.Instant;

/** The persisted progress of one schedule of a workflow: when it fires next and whether it is paused. */
public record ScheduleState(long workflowId, String scheduleName, Instant nextFireTime, boolean paused) {
}
