package org.aiflow.api.metadata;

import java.time.Instant;

/** A logged metric value; {@code id} grows in logging order and is the paging cursor. */
public record MetricValue(long id, String namespace, String metricName, String key, double value, Instant timestamp,
                          Long step, Integer modelVersion, Long taskExecutionId) {
}
