package org.aiflow.api.metadata;

import java.util.Map;

import org.aiflow.api.error.ValidationException;

/**
 * A metric to define. Validated on construction: a DATASET metric names its dataset, a MODEL
 * metric its model (the other is empty); the named record must exist when the metric is created.
 */
public record MetricMetaDraft(String name, MetricKind kind, String datasetName, String modelName, String description,
                              Map<String, String> properties) {
    public MetricMetaDraft {
        MetadataNames.name("metric name", name);
        if (kind == null) {
            throw new ValidationException("a metric needs a kind: DATASET or MODEL");
        }
        datasetName = datasetName == null ? "" : datasetName;
        modelName = modelName == null ? "" : modelName;
        if (kind == MetricKind.DATASET) {
            MetadataNames.name("datasetName of a DATASET metric", datasetName);
            if (!modelName.isEmpty()) {
                throw new ValidationException("a DATASET metric has no modelName");
            }
        } else {
            MetadataNames.name("modelName of a MODEL metric", modelName);
            if (!datasetName.isEmpty()) {
                throw new ValidationException("a MODEL metric has no datasetName");
            }
        }
        description = MetadataNames.description(description);
        properties = MetadataNames.properties(properties);
    }
}
