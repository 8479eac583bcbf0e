-- A workflow's snapshot history (GET /workflows/{name}/snapshots): newest first by id within one
-- workflow, paged with id < beforeId. Without this index every page scanned the whole table.
CREATE INDEX aiflow_snapshots_by_workflow ON aiflow_workflow_snapshots (workflow_id, id);
