package org.aiflow.api.metadata;

import java.time.Instant;
import java.util.Map;

/**
 * One version of a model.
 *
 * @param version  1, 2, 3, ... per model, assigned on creation
 * @param uri      where the model's files are
 * @param type     the model's format or framework, free text
 * @param revision optimistic-concurrency token: changes on every update
 */
public record ModelVersion(long id, String namespace, String modelName, int version, String uri, String type,
                           String description, ModelStage stage, Map<String, String> properties, long revision,
                           Instant createTime, Instant updateTime) {
    public ModelVersion {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
