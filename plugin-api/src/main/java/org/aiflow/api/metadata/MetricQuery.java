package org.aiflow.api.metadata;

import java.time.Instant;

import org.aiflow.api.error.ValidationException;

/**
 * One page of a metric's values, in logging order. Every filter is optional (null: any).
 *
 * @param from    measured at or after this instant
 * @param until   measured before this instant
 * @param afterId the last id of the previous page, exclusive (0 to start)
 * @param limit   page size, 1-10000
 */
public record MetricQuery(String key, Integer modelVersion, Long taskExecutionId, Instant from, Instant until, long afterId,
                          int limit) {
    public static final int MAX_LIMIT = 10_000;

    public MetricQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ValidationException("limit must be between 1 and " + MAX_LIMIT);
        }
        if (afterId < 0) {
            throw new ValidationException("afterId must not be negative");
        }
        key = key == null || key.isEmpty() ? null : key;
    }

    public static MetricQuery all(int limit) {
        return new MetricQuery(null, null, null, null, null, 0, limit);
    }

    public MetricQuery afterId(long id) {
        return new MetricQuery(key, modelVersion, taskExecutionId, from, until, id, limit);
    }
}
