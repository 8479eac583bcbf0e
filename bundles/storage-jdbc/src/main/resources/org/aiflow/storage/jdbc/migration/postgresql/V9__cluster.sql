-- Several platform nodes on one database (issue 15): the leases that elect one scheduling leader,
-- and the nodes' heartbeats. Times are epoch milliseconds by the database's clock.
CREATE TABLE aiflow_leases (
  name VARCHAR(128) COLLATE "C" NOT NULL,
  owner VARCHAR(255) COLLATE "C" NOT NULL,
  epoch BIGINT NOT NULL,
  acquire_time BIGINT NOT NULL,
  renew_time BIGINT NOT NULL,
  expire_time BIGINT NOT NULL,
  PRIMARY KEY (name)
);

CREATE TABLE aiflow_cluster_nodes (
  id VARCHAR(255) COLLATE "C" NOT NULL,
  url VARCHAR(1024) COLLATE "C" NOT NULL,
  host VARCHAR(255) COLLATE "C" NOT NULL,
  start_time BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  PRIMARY KEY (id)
);
