-- Progress of workflow schedules: the next fire time and whether the schedule is paused.
CREATE TABLE aiflow_schedule_states (
  workflow_id BIGINT NOT NULL,
  schedule_name VARCHAR(128) COLLATE "C" NOT NULL,
  next_fire_time BIGINT NULL,
  paused BOOLEAN NOT NULL,
  PRIMARY KEY (workflow_id, schedule_name)
);
