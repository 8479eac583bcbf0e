package org.aiflow.client;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.aiflow.api.event.Event;
import org.aiflow.json.AiflowJson;

import com.fasterxml.jackson.databind.DeserializationFeature;

/**
 * The task context a runner gives the job it started: where the platform is, the task's own token,
 * which namespace, workflow, execution and task the job is, and the event that started it (see
 * the plugin API's {@code JobRequest} for the variables).
 *
 * <p>Three ways in, by precedence (first wins), because not every job can see its runner's environment:
 * <ol>
 * <li><b>program arguments</b> {@code --aiflow-url <value>}: each variable's name in lower case with
 * {@code -} for {@code _} ({@code AIFLOW_TASK_EXECUTION_ID} is {@code --aiflow-task-execution-id}). This
 * is how a <b>Flink</b> job gets it: its {@code main} runs inside the Flink cluster, which shares neither
 * the platform's environment nor per-job system properties, so the flink runner substitutes the
 * placeholders of {@link #programArguments()} ({@code ${aiflow.url}}, ...) in the job's {@code args};</li>
 * <li><b>Java system properties</b> named like the placeholders, {@code -Daiflow.url=...},
 * {@code -Daiflow.task_execution_id=...} (a JVM started by hand or by a wrapper script);</li>
 * <li><b>environment variables</b> {@code AIFLOW_URL}, ...: what the process runner gives every process.</li>
 * </ol>
 * Serializable, so a Flink job's operators carry it to the task managers and {@link #connect()} there.
 * {@link #toString()} never shows the token.
 */
public record TaskContext(String url, String token, String namespace, String workflow, long workflowExecutionId, String task,
                          long taskExecutionId, String eventFile, long eventVersion, String eventNamespace, String eventKey,
                          String eventType) implements Serializable {
    private static final long serialVersionUID = 1L;

    // the names of the plugin API's JobRequest, spelled out here: job code (a shaded Flink job jar) carries
    // the client without the runner SPI
    private static final String AIFLOW_URL = "AIFLOW_URL";
    private static final String AIFLOW_TOKEN = "AIFLOW_TOKEN";
    private static final String AIFLOW_NAMESPACE = "AIFLOW_NAMESPACE";
    private static final String AIFLOW_WORKFLOW = "AIFLOW_WORKFLOW";
    private static final String AIFLOW_WORKFLOW_EXECUTION_ID = "AIFLOW_WORKFLOW_EXECUTION_ID";
    private static final String AIFLOW_TASK = "AIFLOW_TASK";
    private static final String AIFLOW_TASK_EXECUTION_ID = "AIFLOW_TASK_EXECUTION_ID";
    private static final String AIFLOW_EVENT_FILE = "AIFLOW_EVENT_FILE";
    private static final String AIFLOW_EVENT_VERSION = "AIFLOW_EVENT_VERSION";
    private static final String AIFLOW_EVENT_NAMESPACE = "AIFLOW_EVENT_NAMESPACE";
    private static final String AIFLOW_EVENT_KEY = "AIFLOW_EVENT_KEY";
    private static final String AIFLOW_EVENT_TYPE = "AIFLOW_EVENT_TYPE";

    /** The variables of the context, in the order {@link #programArguments()} lists them. */
    static final List<String> VARIABLES = List.of(AIFLOW_URL, AIFLOW_TOKEN, AIFLOW_NAMESPACE, AIFLOW_WORKFLOW,
            AIFLOW_WORKFLOW_EXECUTION_ID, AIFLOW_TASK, AIFLOW_TASK_EXECUTION_ID, AIFLOW_EVENT_FILE, AIFLOW_EVENT_VERSION,
            AIFLOW_EVENT_NAMESPACE, AIFLOW_EVENT_KEY, AIFLOW_EVENT_TYPE);

    public TaskContext {
        token = blankToNull(token);
        namespace = namespace == null || namespace.isBlank() ? "default" : namespace;
    }

    /** The context of this process: environment and system properties (no program arguments). */
    public static TaskContext fromEnvironment() {
        return of(System.getenv(), System.getProperties(), List.of());
    }

    /**
     * The context of this process with the program arguments first. Arguments that are not
     * {@code --aiflow-*} names of the context are ignored here (they are the job's own).
     */
    public static TaskContext fromEnvironment(String... args) {
        return of(System.getenv(), System.getProperties(), args == null ? List.of() : List.of(args));
    }

    /**
     * The context from the given sources (see the class comment for their order).
     *
     * @throws IllegalArgumentException if no source names the platform's URL, if the URL is not
     *                                  http(s), if an id is not a whole number, or if a context
     *                                  argument has no value
     */
    public static TaskContext of(Map<String, String> env, Properties properties, List<String> args) {
        Map<String, String> values = new HashMap<>();
        for (String variable : VARIABLES) {
            String v = env == null ? null : env.get(variable);
            String p = properties == null ? null : properties.getProperty(placeholderName(variable));
            if (p != null) {
                v = p;
            }
            if (v != null) {
                values.put(variable, v);
            }
        }
        for (int i = 0; i < args.size(); i++) {
            String variable = variableOfArgument(args.get(i));
            if (variable != null) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("program argument " + args.get(i) + " needs a value");
                }
                values.put(variable, args.get(++i));
            }
        }
        String url = blankToNull(values.get(AIFLOW_URL));
        if (url == null) {
            throw new IllegalArgumentException("no task context: none of the environment variable AIFLOW_URL, the system property "
                    + "aiflow.url or the program argument --aiflow-url is set (is this code running as a task of the platform?)");
        }
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("the platform URL must be http(s), got '" + url + "'");
        }
        return new TaskContext(url, values.get(AIFLOW_TOKEN), values.get(AIFLOW_NAMESPACE),
                blankToNull(values.get(AIFLOW_WORKFLOW)), number(values, AIFLOW_WORKFLOW_EXECUTION_ID),
                blankToNull(values.get(AIFLOW_TASK)), number(values, AIFLOW_TASK_EXECUTION_ID),
                blankToNull(values.get(AIFLOW_EVENT_FILE)), number(values, AIFLOW_EVENT_VERSION),
                blankToNull(values.get(AIFLOW_EVENT_NAMESPACE)), blankToNull(values.get(AIFLOW_EVENT_KEY)),
                blankToNull(values.get(AIFLOW_EVENT_TYPE)));
    }

    /** The program argument of a variable: {@code AIFLOW_TASK_EXECUTION_ID} is {@code --aiflow-task-execution-id}. */
    public static String argumentName(String variable) {
        return "--" + variable.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** True if {@code arg} is the name of a context argument ({@code --aiflow-url}, ...). */
    public static boolean isContextArgument(String arg) {
        return variableOfArgument(arg) != null;
    }

    /**
     * The program arguments that hand the whole context to a job that cannot see the runner's
     * environment (a flink job's {@code args}): {@code --aiflow-url ${aiflow.url} --aiflow-token
     * ${aiflow.token} ...} for the runner to fill in. Event placeholders without an event become empty
     * values, which read as absent.
     */
    public static List<String> programArguments() {
        List<String> out = new ArrayList<>();
        for (String variable : VARIABLES) {
            out.add(argumentName(variable));
            out.add("${" + placeholderName(variable) + "}");
        }
        return out;
    }

    /** A client for the platform that calls with the task's token (none without one). */
    public AiflowClient connect() {
        return token == null ? AiflowClient.connect(URI.create(url)) : AiflowClient.connectWithToken(URI.create(url), token);
    }

    /**
     * The event that started the task, read from {@link #eventFile()} (the REST API's JSON form);
     * empty if no event started it.
     *
     * @throws IllegalStateException if the file is named but cannot be read (a job on another host
     *                               than the platform: use {@link #eventVersion()} and friends)
     */
    public Optional<Event> event() {
        if (eventFile == null) {
            return Optional.empty();
        }
        try {
            // fields a newer platform adds are no reason to fail the job
            return Optional.of(AiflowJson.newMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(Files.readAllBytes(Path.of(eventFile)), Event.class));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the triggering event from " + eventFile + ": " + e.getMessage(), e);
        }
    }

    /** Without the token. */
    @Override
    public String toString() {
        return "TaskContext[url=" + url + ", token=" + (token == null ? "none" : "***") + ", namespace=" + namespace + ", workflow="
                + workflow + ", workflowExecutionId=" + workflowExecutionId + ", task=" + task + ", taskExecutionId=" + taskExecutionId
                + ", eventVersion=" + eventVersion + ", eventNamespace=" + eventNamespace + ", eventKey=" + eventKey + ", eventType="
                + eventType + "]";
    }

    /** The placeholder and system property of a variable: {@code AIFLOW_EVENT_KEY} is {@code aiflow.event_key} (as {@code JobRequest}). */
    private static String placeholderName(String variable) {
        return "aiflow." + variable.substring("AIFLOW_".length()).toLowerCase(Locale.ROOT);
    }

    private static String variableOfArgument(String arg) {
        if (arg == null || !arg.startsWith("--aiflow-")) {
            return null;
        }
        String variable = arg.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
        return VARIABLES.contains(variable) ? variable : null;
    }

    private static long number(Map<String, String> values, String variable) {
        String v = blankToNull(values.get(variable));
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " must be a whole number, got '" + v + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
