package org.aiflow.api.metadata;

import java.util.Map;

import org.aiflow.api.error.Names;

/**
 * A project to register or its new content. Validated on construction: {@code name} follows the
 * namespace grammar ({@link Names#IDENTIFIER}), {@code uri} (optional) up to 2048 characters.
 */
public record ProjectDraft(String name, String description, String uri, Map<String, String> properties) {
    public ProjectDraft {
        Names.identifier("project name", name);
        description = MetadataNames.description(description);
        uri = uri == null || uri.isEmpty() ? "" : Names.text("uri", uri, 2048);
        properties = MetadataNames.properties(properties);
    }
}
