-- Named durable subscriptions: the server keeps each subscriber's acknowledged cursor.
CREATE TABLE aiflow_event_subscriptions (
  name VARCHAR(128) COLLATE "C" NOT NULL PRIMARY KEY,
  last_version BIGINT NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL
);

-- retention by age within a namespace
CREATE INDEX aiflow_events_by_namespace_time ON aiflow_events (namespace, create_time);
CREATE INDEX aiflow_events_by_sender ON aiflow_events (sender, version);
