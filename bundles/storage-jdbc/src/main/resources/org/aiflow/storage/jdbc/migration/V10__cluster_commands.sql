-- Commands for the scheduling leader (issue 15): a node that does not lead stores a change request
-- (start an execution, stop a task, ...); the leader takes it (NEW -> TAKEN, fenced by its lease),
-- runs it and answers it (DONE or FAILED, with a JSON result). Times are epoch milliseconds by the
-- database's clock. MEDIUMTEXT is a CLOB on H2 (MODE=MariaDB).
CREATE TABLE aiflow_cluster_commands (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  node VARCHAR(255) NOT NULL,
  command VARCHAR(128) NOT NULL,
  arguments MEDIUMTEXT NOT NULL,
  state VARCHAR(16) NOT NULL,
  result MEDIUMTEXT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX aiflow_cluster_commands_by_state ON aiflow_cluster_commands (state, id);
