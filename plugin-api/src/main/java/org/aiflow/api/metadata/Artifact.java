package org.aiflow.api.metadata;

import java.time.Instant;
import java.util.Map;

/**
 * A registered artifact: any file a workflow produces or consumes that is neither a dataset nor a
 * model (a config, a vocabulary, a report). Deleting one is soft.
 *
 * @param type free text, e.g. {@code config}, {@code report}
 */
public record Artifact(long id, String namespace, String name, String type, String uri, String description,
                       Map<String, String> properties, boolean deleted, long revision, Instant createTime, Instant updateTime) {
    public Artifact {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
