package org.aiflow.api.metadata;

import java.time.Instant;

import org.aiflow.api.error.Names;
import org.aiflow.api.error.ValidationException;

/**
 * One value to log for a metric. Validated on construction: {@code key} 1-255 characters (e.g.
 * {@code auc}, {@code loss}), {@code value} finite.
 *
 * @param timestamp      when it was measured; null means now
 * @param step           the training step or epoch, if any
 * @param modelVersion   the model version it describes, if any
 * @param taskExecutionId the task execution that measured it, if any
 */
public record MetricPoint(String key, double value, Instant timestamp, Long step, Integer modelVersion, Long taskExecutionId) {
    public MetricPoint {
        // a key is a query parameter, not a path segment: "train/loss" is a fine key
        Names.text("metric key", key, MetadataNames.MAX_NAME);
        if (!Double.isFinite(value)) {
            throw new ValidationException("metric '" + key + "' has a value that is not a finite number");
        }
        if (modelVersion != null && modelVersion < 1) {
            throw new ValidationException("modelVersion starts at 1");
        }
    }
}
