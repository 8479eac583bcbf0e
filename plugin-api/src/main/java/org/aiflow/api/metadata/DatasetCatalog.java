package org.aiflow.api.metadata;

/**
 * Where a dataset is registered in an external catalog (e.g. a Hive or Flink catalog); every field
 * is optional text.
 */
public record DatasetCatalog(String name, String type, String database, String table, String connectionUri) {
}
