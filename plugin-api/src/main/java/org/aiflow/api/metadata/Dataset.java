package org.aiflow.api.metadata;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A registered dataset. Deleting one is soft: it stays readable with {@code deleted} set. */
public record Dataset(long id, String namespace, String name, String uri, String format, List<DatasetColumn> schema,
                      String description, DatasetCatalog catalog, Map<String, String> properties, boolean deleted,
                      long revision, Instant createTime, Instant updateTime) {
    public Dataset {
        schema = schema == null ? List.of() : List.copyOf(schema);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
