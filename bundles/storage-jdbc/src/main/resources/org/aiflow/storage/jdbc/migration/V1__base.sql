-- One schema for H2 (MODE=MariaDB) and MariaDB. Times are epoch milliseconds (no time zone
-- surprises); columns avoid the words key and value, which H2 2.x reserves. Tables are utf8mb4 with
-- binary collation on MariaDB, whatever the database's default, so names compare exactly (H2
-- accepts and ignores the table options in MariaDB mode).
CREATE TABLE aiflow_sequences (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  last_value BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO aiflow_sequences (name, last_value) VALUES ('event', 0);

CREATE TABLE aiflow_events (
  version BIGINT NOT NULL PRIMARY KEY,
  namespace VARCHAR(128) NOT NULL,
  event_key VARCHAR(255) NOT NULL,
  event_value MEDIUMTEXT NOT NULL,
  event_type VARCHAR(64) NOT NULL,
  sender VARCHAR(128) NOT NULL,
  context_json MEDIUMTEXT NOT NULL,
  create_time BIGINT NOT NULL,
  idempotency_key VARCHAR(128) NULL,
  CONSTRAINT aiflow_events_idempotency UNIQUE (idempotency_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX aiflow_events_by_key ON aiflow_events (namespace, event_key, version);
CREATE INDEX aiflow_events_by_time ON aiflow_events (create_time);

CREATE TABLE aiflow_workflows (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  namespace VARCHAR(128) NOT NULL,
  name VARCHAR(128) NOT NULL,
  enabled BOOLEAN NOT NULL,
  snapshot_id BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL,
  CONSTRAINT aiflow_workflows_name UNIQUE (namespace, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE aiflow_workflow_snapshots (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workflow_id BIGINT NOT NULL,
  definition_json MEDIUMTEXT NOT NULL,
  create_time BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE aiflow_workflow_executions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workflow_id BIGINT NOT NULL,
  workflow_name VARCHAR(128) NOT NULL,
  snapshot_id BIGINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  start_time BIGINT NOT NULL,
  end_time BIGINT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX aiflow_executions_by_status ON aiflow_workflow_executions (status);

CREATE TABLE aiflow_task_executions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  workflow_execution_id BIGINT NOT NULL,
  workflow_name VARCHAR(128) NOT NULL,
  task_name VARCHAR(128) NOT NULL,
  attempt INT NOT NULL,
  runner_type VARCHAR(128) NOT NULL,
  status VARCHAR(16) NOT NULL,
  handle_json TEXT NULL,
  message VARCHAR(2000) NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX aiflow_tasks_by_status ON aiflow_task_executions (status);
CREATE INDEX aiflow_tasks_by_execution ON aiflow_task_executions (workflow_execution_id, task_name);

CREATE TABLE aiflow_task_status_changes (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  task_execution_id BIGINT NOT NULL,
  from_status VARCHAR(16) NULL,
  to_status VARCHAR(16) NOT NULL,
  message VARCHAR(2000) NOT NULL,
  change_time BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX aiflow_task_changes_by_task ON aiflow_task_status_changes (task_execution_id, id);

CREATE TABLE aiflow_cursors (
  consumer VARCHAR(128) NOT NULL PRIMARY KEY,
  last_version BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE aiflow_rule_states (
  workflow_execution_id BIGINT NOT NULL,
  task_name VARCHAR(128) NOT NULL,
  rule_index INT NOT NULL,
  state_json TEXT NOT NULL,
  PRIMARY KEY (workflow_execution_id, task_name, rule_index)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
