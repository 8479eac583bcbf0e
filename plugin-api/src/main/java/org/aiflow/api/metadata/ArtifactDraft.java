package org.aiflow.api.metadata;

import java.util.Map;

import org.aiflow.api.error.Names;
import org.aiflow.api.error.ValidationException;

/**
 * An artifact to register or the new content of one. Validated on construction: {@code uri} 1-2048
 * characters, {@code type} up to 128, {@code description} up to 4096, at most 64 properties.
 */
public record ArtifactDraft(String name, String type, String uri, String description, Map<String, String> properties) {
    public ArtifactDraft {
        MetadataNames.name("artifact name", name);
        Names.text("uri", uri, 2048);
        type = type == null ? "" : type;
        if (type.length() > 128) {
            throw new ValidationException("type is longer than 128 characters");
        }
        description = MetadataNames.description(description);
        properties = MetadataNames.properties(properties);
    }
}
