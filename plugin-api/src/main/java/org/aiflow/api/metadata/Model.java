package org.aiflow.api.metadata;

import java.time.Instant;
import java.util.Map;

/** A registered model; its versions are {@link ModelVersion}s. */
public record Model(long id, String namespace, String name, String description, Map<String, String> properties,
                    long revision, Instant createTime, Instant updateTime) {
    public Model {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
