package org.aiflow.api.metadata;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.aiflow.api.error.Names;
import org.aiflow.api.error.ValidationException;

/**
 * A dataset to register or the new content of one. Validated on construction: {@code uri} 1-2048
 * characters, {@code format} up to 128, column names unique, at most 1024 columns.
 */
public record DatasetDraft(String name, String uri, String format, List<DatasetColumn> schema, String description,
                           DatasetCatalog catalog, Map<String, String> properties) {
    public DatasetDraft {
        MetadataNames.name("dataset name", name);
        Names.text("uri", uri, 2048);
        format = format == null ? "" : format;
        if (format.length() > 128) {
            throw new ValidationException("format is longer than 128 characters");
        }
        schema = schema == null ? List.of() : List.copyOf(schema);
        if (schema.size() > 1024) {
            throw new ValidationException("a schema has at most 1024 columns");
        }
        Set<String> seen = new HashSet<>();
        for (DatasetColumn c : schema) {
            if (c == null) {
                throw new ValidationException("schema has an empty column");
            }
            if (!seen.add(c.name())) {
                throw new ValidationException("schema has two columns named '" + Names.printable(c.name()) + "'");
            }
        }
        description = MetadataNames.description(description);
        properties = MetadataNames.properties(properties);
    }
}
