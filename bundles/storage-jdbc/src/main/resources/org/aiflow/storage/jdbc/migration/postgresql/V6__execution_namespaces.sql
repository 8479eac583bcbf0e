-- Workflow and task executions name their workflow's namespace: a workflow name is unique only within one.
ALTER TABLE aiflow_workflow_executions ADD COLUMN namespace VARCHAR(128) COLLATE "C" NOT NULL DEFAULT 'default';
ALTER TABLE aiflow_task_executions ADD COLUMN namespace VARCHAR(128) COLLATE "C" NOT NULL DEFAULT 'default';
UPDATE aiflow_workflow_executions SET namespace = COALESCE(
  (SELECT w.namespace FROM aiflow_workflows w WHERE w.id = aiflow_workflow_executions.workflow_id), namespace);
UPDATE aiflow_task_executions SET namespace = COALESCE(
  (SELECT x.namespace FROM aiflow_workflow_executions x WHERE x.id = aiflow_task_executions.workflow_execution_id), namespace);
CREATE INDEX aiflow_tasks_by_workflow ON aiflow_task_executions (namespace, workflow_name);
