package org.aiflow.api.spi.runner;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.aiflow.api.workflow.TaskKind;

/**
 * A job to start.
 *
 * <p><b>The task environment</b> ({@link #taskEnvironment}) is what the job needs to talk back to
 * the platform with its own identity, by variable name:
 * <table>
 * <caption>Task environment</caption>
 * <tr><th>name</th><th>value</th><th>present</th></tr>
 * <tr><td>{@value #AIFLOW_URL}</td><td>the platform's REST base, e.g. {@code http://127.0.0.1:8181/aiflow/v1}</td><td>always (from the scheduler)</td></tr>
 * <tr><td>{@value #AIFLOW_TOKEN}</td><td>the task's own token, sent as {@code Authorization: Bearer <token>}: role
 *     {@code operator} in the task's namespace only, invalid once the task execution ends</td><td>when the
 *     platform runs with security (a {@code TokenService})</td></tr>
 * <tr><td>{@value #AIFLOW_NAMESPACE}</td><td>the workflow's namespace</td><td>always</td></tr>
 * <tr><td>{@value #AIFLOW_WORKFLOW}</td><td>the workflow's name</td><td>always</td></tr>
 * <tr><td>{@value #AIFLOW_WORKFLOW_EXECUTION_ID}</td><td>the workflow execution</td><td>always (from the scheduler)</td></tr>
 * <tr><td>{@value #AIFLOW_TASK}</td><td>the task's name</td><td>always</td></tr>
 * <tr><td>{@value #AIFLOW_TASK_EXECUTION_ID}</td><td>the task execution ({@link #taskExecutionId})</td><td>always</td></tr>
 * <tr><td>{@value #AIFLOW_EVENT_FILE}</td><td>absolute path of {@code event.json} in the log directory: the
 *     event that started the task, as the REST API shows events</td><td rowspan="5">when an event started the
 *     task (a rule, a trigger or a schedule)</td></tr>
 * <tr><td>{@value #AIFLOW_EVENT_VERSION}</td><td>that event's version</td></tr>
 * <tr><td>{@value #AIFLOW_EVENT_NAMESPACE}</td><td>that event's namespace</td></tr>
 * <tr><td>{@value #AIFLOW_EVENT_KEY}</td><td>that event's key</td></tr>
 * <tr><td>{@value #AIFLOW_EVENT_TYPE}</td><td>that event's type</td></tr>
 * </table>
 * A runner hands these to its job as it can: the process runner as environment variables, the
 * flink runner through the placeholders of {@link #placeholders()}. The token is a secret: a
 * runner must never write it into a log (task logs are readable through the REST API) or a
 * message; {@link #toString()} leaves it out.
 *
 * @param taskExecutionId the task execution this job runs; unique, usable as a job name
 * @param namespace       the workflow's namespace: where the job's metadata (savepoints, lineage) belongs
 * @param workflowName    for logs and job names
 * @param taskName        for logs and job names
 * @param kind            batch jobs finish by themselves, stream jobs run until stopped
 * @param config          the task's job spec configuration, to be validated by the runner
 * @param logDirectory    an existing directory owned by this task execution where the runner
 *                        writes the job's logs ({@code stdout.log}, {@code stderr.log}, ...)
 * @param taskEnvironment the task environment (see above); {@value #AIFLOW_NAMESPACE},
 *                        {@value #AIFLOW_WORKFLOW}, {@value #AIFLOW_TASK} and
 *                        {@value #AIFLOW_TASK_EXECUTION_ID} are always set from the other components
 * @since 1.3 (package version) for {@code taskEnvironment}
 */
public record JobRequest(long taskExecutionId, String namespace, String workflowName, String taskName, TaskKind kind,
                         Map<String, Object> config, Path logDirectory, Map<String, String> taskEnvironment) {

    /** The platform's REST base. */
    public static final String AIFLOW_URL = "AIFLOW_URL";
    /** The task's own bearer token (a secret). */
    public static final String AIFLOW_TOKEN = "AIFLOW_TOKEN";
    public static final String AIFLOW_NAMESPACE = "AIFLOW_NAMESPACE";
    public static final String AIFLOW_WORKFLOW = "AIFLOW_WORKFLOW";
    public static final String AIFLOW_WORKFLOW_EXECUTION_ID = "AIFLOW_WORKFLOW_EXECUTION_ID";
    public static final String AIFLOW_TASK = "AIFLOW_TASK";
    public static final String AIFLOW_TASK_EXECUTION_ID = "AIFLOW_TASK_EXECUTION_ID";
    /** Path of the JSON file holding the event that started the task. */
    public static final String AIFLOW_EVENT_FILE = "AIFLOW_EVENT_FILE";
    public static final String AIFLOW_EVENT_VERSION = "AIFLOW_EVENT_VERSION";
    public static final String AIFLOW_EVENT_NAMESPACE = "AIFLOW_EVENT_NAMESPACE";
    public static final String AIFLOW_EVENT_KEY = "AIFLOW_EVENT_KEY";
    public static final String AIFLOW_EVENT_TYPE = "AIFLOW_EVENT_TYPE";
    /** The name of the event file in the task's log directory. */
    public static final String EVENT_FILE_NAME = "event.json";

    public JobRequest {
        namespace = namespace == null ? "default" : namespace;
        config = config == null ? Map.of() : Map.copyOf(config);
        Map<String, String> env = new TreeMap<>();
        if (taskEnvironment != null) {
            taskEnvironment.forEach((k, v) -> {
                if (k != null && v != null) {
                    env.put(k, v);
                }
            });
        }
        env.put(AIFLOW_NAMESPACE, namespace);
        env.put(AIFLOW_TASK_EXECUTION_ID, Long.toString(taskExecutionId));
        if (workflowName != null) {
            env.put(AIFLOW_WORKFLOW, workflowName);
        }
        if (taskName != null) {
            env.put(AIFLOW_TASK, taskName);
        }
        taskEnvironment = java.util.Collections.unmodifiableMap(env);
    }

    /** A request without the scheduler's task environment (the 1.2 signature); the names it can derive are set. */
    public JobRequest(long taskExecutionId, String namespace, String workflowName, String taskName, TaskKind kind,
                      Map<String, Object> config, Path logDirectory) {
        this(taskExecutionId, namespace, workflowName, taskName, kind, config, logDirectory, Map.of());
    }

    /** A request in the {@code default} namespace (the 1.1 signature). */
    public JobRequest(long taskExecutionId, String workflowName, String taskName, TaskKind kind, Map<String, Object> config,
                      Path logDirectory) {
        this(taskExecutionId, "default", workflowName, taskName, kind, config, logDirectory, Map.of());
    }

    /** The same request with another task environment. */
    public JobRequest withTaskEnvironment(Map<String, String> environment) {
        return new JobRequest(taskExecutionId, namespace, workflowName, taskName, kind, config, logDirectory, environment);
    }

    /**
     * The task environment as placeholders: every {@code AIFLOW_NAME_PART} variable as
     * {@code ${aiflow.name_part}} (lower case, without the prefix), e.g. {@code ${aiflow.url}},
     * {@code ${aiflow.token}}, {@code ${aiflow.task_execution_id}}, {@code ${aiflow.event_key}}.
     * Keys are the placeholders' names without {@code ${}} (e.g. {@code aiflow.url}).
     */
    public Map<String, String> placeholders() {
        Map<String, String> out = new LinkedHashMap<>();
        taskEnvironment.forEach((k, v) -> {
            if (k.startsWith("AIFLOW_")) {
                out.put(placeholderName(k), v);
            }
        });
        return out;
    }

    /** The placeholder name of a task environment variable: {@code AIFLOW_EVENT_KEY} is {@code aiflow.event_key}. */
    public static String placeholderName(String variable) {
        return "aiflow." + variable.substring("AIFLOW_".length()).toLowerCase(Locale.ROOT);
    }

    /** Leaves the token out. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>(taskEnvironment);
        shown.computeIfPresent(AIFLOW_TOKEN, (k, v) -> "***");
        return "JobRequest[taskExecutionId=" + taskExecutionId + ", namespace=" + namespace + ", workflowName=" + workflowName
                + ", taskName=" + taskName + ", kind=" + kind + ", config=" + config + ", logDirectory=" + logDirectory
                + ", taskEnvironment=" + shown + "]";
    }
}
