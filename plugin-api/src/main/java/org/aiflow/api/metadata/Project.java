package org.aiflow.api.metadata;

import java.time.Instant;
import java.util.Map;

/**
 * A project: the record of a namespace (its name is the namespace every other record of the
 * project lives in), with a description and where its code lives.
 */
public record Project(long id, String name, String description, String uri, Map<String, String> properties, long revision,
                      Instant createTime, Instant updateTime) {
    public Project {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
