package org.aiflow.client;

import java.util.List;
import java.util.StringJoiner;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.execution.ScheduleInfo;
import org.aiflow.api.execution.SnapshotInfo;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskLog;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatusChange;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.execution.WorkflowSnapshot;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.aiflow.json.AiflowJson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@link SchedulerService} over the REST API, so code written against the service runs inside the
 * platform or outside it unchanged. Reads and calls that may safely be repeated (enable, disable,
 * stops, which are no-ops the second time) are retried after failures; uploads, deletes and
 * starts are sent once, because a lost answer must not become a second execution or attempt.
 */
final class RemoteSchedulerService implements SchedulerService {
    private static final ObjectMapper JSON = AiflowJson.newMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
    };

    private final RestTransport rest;

    RemoteSchedulerService(RestTransport rest) {
        this.rest = rest;
    }

    // ---------------------------------------------------------------- workflows

    @Override
    public Workflow upload(WorkflowDefinition definition) {
        if (definition == null) {
            throw new ValidationException("workflow definition is required");
        }
        return rest.call("POST", "workflows" + query("source", definition.name()), definition, false, Workflow.class);
    }

    @Override
    public Workflow upload(String source, String document) {
        if (source != null && (source.endsWith(".yaml") || source.endsWith(".yml"))) {
            // sent as it is: the platform parses YAML itself, with line and column in its errors
            return rest.call("POST", "workflows" + query("source", source), new RestTransport.Text("application/yaml",
                    document == null ? "" : document), false, Workflow.class);
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(document == null ? "" : document);
        } catch (JsonProcessingException e) {
            throw new ValidationException(source + ": " + e.getOriginalMessage() + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        if (parsed == null || parsed.isMissingNode()) {
            throw new ValidationException(source + ": the document is empty");
        }
        // the platform parses and validates it, so its messages name the same places as inside the platform
        return rest.call("POST", "workflows" + query("source", source), parsed, false, Workflow.class);
    }

    @Override
    public List<Workflow> listWorkflows() {
        return rest.field("GET", "workflows", null, true, "workflows", new TypeReference<List<Workflow>>() {
        });
    }

    @Override
    public Workflow workflow(String namespace, String name) {
        return rest.call("GET", workflowPath(namespace, name, ""), null, true, Workflow.class);
    }

    @Override
    public WorkflowSnapshot snapshot(long snapshotId) {
        return rest.call("GET", "snapshots/" + snapshotId, null, true, WorkflowSnapshot.class);
    }

    @Override
    public List<SnapshotInfo> snapshots(String namespace, String name, Long beforeId, int limit) {
        return rest.field("GET", "workflows/" + RestTransport.segment(name) + "/snapshots"
                        + query("namespace", namespace, "limit", limit, "beforeId", beforeId), null, true, "snapshots",
                new TypeReference<List<SnapshotInfo>>() {
                });
    }

    @Override
    public void deleteWorkflow(String namespace, String name) {
        rest.send("DELETE", workflowPath(namespace, name, ""), null, false);
    }

    @Override
    public Workflow setEnabled(String namespace, String name, boolean enabled) {
        return rest.call("POST", workflowPath(namespace, name, enabled ? "/enable" : "/disable"), null, true, Workflow.class);
    }

    private static String workflowPath(String namespace, String name, String action) {
        return "workflows/" + RestTransport.segment(name) + action + query("namespace", namespace);
    }

    // ---------------------------------------------------------------- executions

    @Override
    public WorkflowExecution startExecution(String namespace, String name) {
        return rest.call("POST", workflowPath(namespace, name, "/executions"), null, false, WorkflowExecution.class);
    }

    @Override
    public WorkflowExecution stopExecution(long executionId) {
        return rest.call("POST", "executions/" + executionId + "/stop", null, true, WorkflowExecution.class);
    }

    @Override
    public WorkflowExecution execution(long executionId) {
        return rest.call("GET", "executions/" + executionId, null, true, WorkflowExecution.class);
    }

    @Override
    public List<WorkflowExecution> listExecutions(String namespace, String name, int limit) {
        return listExecutions(namespace, name, null, limit);
    }

    @Override
    public List<WorkflowExecution> listExecutions(String namespace, String name, Long beforeId, int limit) {
        return rest.field("GET", "executions" + query("namespace", namespace, "workflow", name, "beforeId", beforeId, "limit", limit), null, true,
                "executions", new TypeReference<List<WorkflowExecution>>() {
                });
    }

    // ---------------------------------------------------------------- tasks

    @Override
    public List<TaskExecution> listTasks(TaskQuery q) {
        return rest.field("GET", "tasks" + query("namespace", q.namespace(), "workflow", q.workflowName(), "executionId", q.workflowExecutionId(),
                "status", q.status(), "beforeId", q.beforeId(), "limit", q.limit()), null, true, "tasks", new TypeReference<List<TaskExecution>>() {
                });
    }

    @Override
    public TaskExecution task(long taskExecutionId) {
        return rest.call("GET", "tasks/" + taskExecutionId, null, true, TaskExecution.class);
    }

    @Override
    public TaskExecution startTask(long executionId, String taskName) {
        return rest.call("POST", taskPath(executionId, taskName, "start"), null, false, TaskExecution.class);
    }

    @Override
    public TaskExecution stopTask(long taskExecutionId) {
        return rest.call("POST", "tasks/" + taskExecutionId + "/stop", null, true, TaskExecution.class);
    }

    @Override
    public TaskExecution restartTask(long executionId, String taskName) {
        return rest.call("POST", taskPath(executionId, taskName, "restart"), null, false, TaskExecution.class);
    }

    private static String taskPath(long executionId, String taskName, String action) {
        if (taskName == null || taskName.isEmpty()) {
            throw new ValidationException("task name is required");
        }
        return "executions/" + executionId + "/tasks/" + RestTransport.segment(taskName) + "/" + action;
    }

    @Override
    public List<String> taskLogFiles(long taskExecutionId) {
        return rest.field("GET", "tasks/" + taskExecutionId + "/logs", null, true, "files", NAMES);
    }

    @Override
    public TaskLog taskLog(long taskExecutionId, String file, long offset, int maxBytes) {
        if (file == null || file.isEmpty()) {
            throw new ValidationException("log file name is required");
        }
        return rest.call("GET", "tasks/" + taskExecutionId + "/logs/" + RestTransport.segment(file)
                + query("offset", offset, "maxBytes", maxBytes), null, true, TaskLog.class);
    }

    @Override
    public List<TaskStatusChange> taskHistory(long taskExecutionId) {
        return rest.field("GET", "tasks/" + taskExecutionId + "/history", null, true, "changes",
                new TypeReference<List<TaskStatusChange>>() {
                });
    }

    // ---------------------------------------------------------------- plugins

    @Override
    public List<ScheduleInfo> schedules(String namespace, String workflowName) {
        return rest.field("GET", "workflows/" + RestTransport.segment(workflowName) + "/schedules" + query("namespace", namespace),
                null, true, "schedules", new TypeReference<List<ScheduleInfo>>() {
                });
    }

    @Override
    public ScheduleInfo pauseSchedule(String namespace, String workflowName, String scheduleName, boolean paused) {
        return rest.call("POST", "workflows/" + RestTransport.segment(workflowName) + "/schedules/" + RestTransport.segment(scheduleName)
                + (paused ? "/pause" : "/resume") + query("namespace", namespace), null, true, ScheduleInfo.class);
    }

    @Override
    public List<String> runnerTypes() {
        return rest.field("GET", "plugins", null, true, "runners", NAMES);
    }

    @Override
    public List<String> conditionTypes() {
        return rest.field("GET", "plugins", null, true, "conditions", NAMES);
    }

    @Override
    public List<String> policies() {
        return rest.field("GET", "plugins", null, true, "policies", NAMES);
    }

    // ---------------------------------------------------------------- helpers

    /** {@code ?a=1&b=2} from name/value pairs, leaving out null values; empty if all are null. */
    private static String query(Object... pairs) {
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        for (int i = 0; i < pairs.length; i += 2) {
            Object value = pairs[i + 1];
            if (value != null) {
                q.add(pairs[i] + "=" + RestTransport.encode(value.toString()));
            }
        }
        return q.toString();
    }
}
