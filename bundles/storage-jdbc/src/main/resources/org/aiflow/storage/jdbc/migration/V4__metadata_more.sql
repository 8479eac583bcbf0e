-- Metadata: projects, artifacts, metrics (definitions and logged values) and lineage.
CREATE TABLE aiflow_projects (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(128) NOT NULL,
  description TEXT NOT NULL,
  uri VARCHAR(2048) NOT NULL,
  properties_json TEXT NOT NULL,
  revision BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  CONSTRAINT aiflow_projects_name UNIQUE (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE aiflow_artifacts (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  namespace VARCHAR(128) NOT NULL,
  name VARCHAR(255) NOT NULL,
  artifact_type VARCHAR(128) NOT NULL,
  uri VARCHAR(2048) NOT NULL,
  description TEXT NOT NULL,
  properties_json TEXT NOT NULL,
  deleted BOOLEAN NOT NULL,
  revision BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  CONSTRAINT aiflow_artifacts_name UNIQUE (namespace, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE aiflow_metrics (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  namespace VARCHAR(128) NOT NULL,
  name VARCHAR(255) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  dataset_name VARCHAR(255) NOT NULL,
  model_name VARCHAR(255) NOT NULL,
  description TEXT NOT NULL,
  properties_json TEXT NOT NULL,
  revision BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  CONSTRAINT aiflow_metrics_name UNIQUE (namespace, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE aiflow_metric_values (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  metric_id BIGINT NOT NULL,
  metric_key VARCHAR(255) NOT NULL,
  metric_value DOUBLE NOT NULL,
  measure_time BIGINT NOT NULL,
  step BIGINT NULL,
  model_version INT NULL,
  task_execution_id BIGINT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX aiflow_metric_values_by_metric ON aiflow_metric_values (metric_id, id);

CREATE TABLE aiflow_lineage (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  namespace VARCHAR(128) NOT NULL,
  task_execution_id BIGINT NOT NULL,
  direction VARCHAR(8) NOT NULL,
  entity_kind VARCHAR(16) NOT NULL,
  entity_name VARCHAR(255) NOT NULL,
  entity_version INT NOT NULL,
  create_time BIGINT NOT NULL,
  CONSTRAINT aiflow_lineage_edge UNIQUE (task_execution_id, direction, entity_kind, namespace, entity_name, entity_version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX aiflow_lineage_by_entity ON aiflow_lineage (namespace, entity_kind, entity_name, entity_version, id);

-- versions are looked up by model name (the API's key), not by model id
CREATE INDEX aiflow_model_versions_by_name ON aiflow_model_versions (namespace, model_name, version);
