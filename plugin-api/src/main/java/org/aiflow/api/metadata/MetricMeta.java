package org.aiflow.api.metadata;

import java.time.Instant;
import java.util.Map;

/** A defined metric: what it measures ({@link MetricKind} and the dataset or model) and its values' name. */
public record MetricMeta(long id, String namespace, String name, MetricKind kind, String datasetName, String modelName,
                         String description, Map<String, String> properties, long revision, Instant createTime,
                         Instant updateTime) {
    public MetricMeta {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
