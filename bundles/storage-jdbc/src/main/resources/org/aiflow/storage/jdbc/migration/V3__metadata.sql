-- Metadata: the model registry (models, versions with stages) and datasets.
CREATE TABLE aiflow_models (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  namespace VARCHAR(128) NOT NULL,
  name VARCHAR(255) NOT NULL,
  description TEXT NOT NULL,
  properties_json TEXT NOT NULL,
  revision BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  CONSTRAINT aiflow_models_name UNIQUE (namespace, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE aiflow_model_versions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  model_id BIGINT NOT NULL,
  namespace VARCHAR(128) NOT NULL,
  model_name VARCHAR(255) NOT NULL,
  version INT NOT NULL,
  uri VARCHAR(2048) NOT NULL,
  model_type VARCHAR(128) NOT NULL,
  description TEXT NOT NULL,
  stage VARCHAR(16) NOT NULL,
  properties_json TEXT NOT NULL,
  revision BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  -- the model's id while DEPLOYED, else NULL: the database itself allows one deployed version per model
  deployed_model_id BIGINT NULL,
  CONSTRAINT aiflow_model_versions_number UNIQUE (model_id, version),
  CONSTRAINT aiflow_model_versions_one_deployed UNIQUE (deployed_model_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX aiflow_model_versions_by_stage ON aiflow_model_versions (model_id, stage, version);

CREATE TABLE aiflow_datasets (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  namespace VARCHAR(128) NOT NULL,
  name VARCHAR(255) NOT NULL,
  uri VARCHAR(2048) NOT NULL,
  format VARCHAR(128) NOT NULL,
  schema_json MEDIUMTEXT NOT NULL,
  description TEXT NOT NULL,
  catalog_json TEXT NULL,
  properties_json TEXT NOT NULL,
  deleted BOOLEAN NOT NULL,
  revision BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  CONSTRAINT aiflow_datasets_name UNIQUE (namespace, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
