-- Security: who published each event, API and task tokens (hashes only), stored grants, the audit log.
-- Times are epoch milliseconds like everywhere else; tables utf8mb4 with binary collation (exact names).

-- who published it, as authenticated; '' for the platform itself and for every event stored before
ALTER TABLE aiflow_events ADD COLUMN principal VARCHAR(128) NOT NULL DEFAULT '';

-- live_name is the name while the token is not revoked and NULL once it is: a unique index that
-- allows any number of NULLs keeps live names unique and lets a revoked token's name be used again.
-- grants_text: the grants written role or role@namespace, comma-separated (namespaces hold no comma).
CREATE TABLE aiflow_tokens (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(64) NOT NULL,
  live_name VARCHAR(64) NULL,
  principal VARCHAR(128) NOT NULL,
  grants_text TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  created_by VARCHAR(128) NOT NULL,
  expires_at BIGINT NULL,
  revoked_at BIGINT NULL,
  revoked_by VARCHAR(128) NULL,
  task_execution_id BIGINT NULL,
  prefix VARCHAR(32) NOT NULL,
  hash VARCHAR(128) NOT NULL,
  CONSTRAINT aiflow_tokens_live_name UNIQUE (live_name),
  CONSTRAINT aiflow_tokens_hash UNIQUE (hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX aiflow_tokens_by_task ON aiflow_tokens (task_execution_id);

-- grants stored for principals (users, or group:<name>), written role or role@namespace
CREATE TABLE aiflow_grants (
  principal VARCHAR(128) NOT NULL,
  grant_text VARCHAR(160) NOT NULL,
  created_at BIGINT NOT NULL,
  created_by VARCHAR(128) NOT NULL,
  PRIMARY KEY (principal, grant_text)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- the audit log, listed newest first under filters of principal, namespace, action and time. The
-- order and the paging (below an id) are by id, which grows with time; so the principal and
-- namespace indexes end with the id: a page is one backward range of an index, with no sort, and the
-- time bounds filter it (a time-only query uses the time index)
CREATE TABLE aiflow_audit (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  audit_time BIGINT NOT NULL,
  principal VARCHAR(128) NOT NULL,
  action VARCHAR(128) NOT NULL,
  namespace VARCHAR(128) NOT NULL,
  target VARCHAR(512) NOT NULL,
  detail TEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX aiflow_audit_by_principal ON aiflow_audit (principal, id);
CREATE INDEX aiflow_audit_by_namespace ON aiflow_audit (namespace, id);
CREATE INDEX aiflow_audit_by_time ON aiflow_audit (audit_time, id);
