package org.aiflow.runner.flink;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.aiflow.api.spi.runner.JobRequest;
import org.aiflow.api.spi.runner.JobRunnerException;

/**
 * A task's flink job configuration, validated, with the platform placeholders substituted.
 *
 * <p>Fields: {@code jar} (required: path of the job jar; relative paths are relative to the
 * platform's home directory), {@code entryClass} (the class with {@code main}; optional when the
 * jar's manifest names one), {@code args} (list of strings), {@code parallelism} (positive integer),
 * {@code cluster} (a configured cluster name, default {@code local}), {@code savepointPath} (start
 * from this savepoint), {@code restore} ({@code latest}: a stream task starts from the savepoint its
 * previous run was stopped with, the default; {@code none}: always from scratch) and
 * {@code allowNonRestoredState}, {@code configuration} (a map of Flink configuration keys to values
 * for this job, sent as the run request's {@code flinkConfiguration}, e.g.
 * {@code execution.checkpointing.interval: 10 s}).
 *
 * <p>Placeholders in every text field, in {@code args} and in the values of {@code configuration}:
 * {@code ${aiflow.home}} and one per task environment variable ({@link JobRequest#placeholders()}):
 * {@code ${aiflow.url}}, {@code ${aiflow.token}}, {@code ${aiflow.namespace}}, {@code ${aiflow.workflow}},
 * {@code ${aiflow.workflow_execution_id}}, {@code ${aiflow.task}}, {@code ${aiflow.task_execution_id}},
 * {@code ${aiflow.event_file}}, {@code ${aiflow.event_version}}, {@code ${aiflow.event_namespace}},
 * {@code ${aiflow.event_key}}, {@code ${aiflow.event_type}}; {@code ${aiflow.taskExecutionId}} is the
 * older name of {@code ${aiflow.task_execution_id}}. A known placeholder without a value (no event
 * started the task; no token without security) becomes the empty string; an unknown
 * {@code ${aiflow.*}} name is refused, so a typo fails the task instead of reaching the job.
 */
record FlinkJobSpec(Path jar, String entryClass, List<String> args, Integer parallelism, String cluster, String savepointPath,
                    boolean restoreLatest, boolean allowNonRestoredState, Map<String, String> configuration) {
    static final String DEFAULT_CLUSTER = "local";
    private static final Set<String> FIELDS = Set.of("jar", "entryClass", "args", "parallelism", "cluster", "savepointPath",
            "restore", "allowNonRestoredState", "configuration");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(aiflow\\.[^}]*)}");
    /** Placeholders that exist whether or not the request sets them. */
    private static final List<String> OPTIONAL = List.of(JobRequest.AIFLOW_TOKEN, JobRequest.AIFLOW_URL,
            JobRequest.AIFLOW_WORKFLOW_EXECUTION_ID, JobRequest.AIFLOW_EVENT_FILE, JobRequest.AIFLOW_EVENT_VERSION,
            JobRequest.AIFLOW_EVENT_NAMESPACE, JobRequest.AIFLOW_EVENT_KEY, JobRequest.AIFLOW_EVENT_TYPE);

    /**
     * @param platformUrl the runner's own {@code platformUrl}; null: the request's {@code AIFLOW_URL}
     *                    (a request without one, from an older scheduler, gets {@code defaultUrl})
     */
    static FlinkJobSpec of(JobRequest request, Path home, String platformUrl, String defaultUrl) throws JobRunnerException {
        Map<String, Object> c = request.config();
        for (String field : c.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new JobRunnerException("flink job has unknown field '" + field + "' (allowed: " + FIELDS.stream().sorted().toList() + ")");
            }
        }
        Map<String, String> vars = placeholders(request, home, platformUrl, defaultUrl);
        String jarText = text(c, "jar", true, vars);
        Path jar = Paths.get(jarText);
        if (!jar.isAbsolute()) {
            jar = home.resolve(jar);
        }
        List<String> args = new ArrayList<>();
        Object a = c.get("args");
        if (a != null) {
            if (!(a instanceof List<?> list)) {
                throw new JobRunnerException("flink job 'args' must be a list of strings");
            }
            for (Object o : list) {
                if (!(o instanceof String || o instanceof Number || o instanceof Boolean)) {
                    throw new JobRunnerException("flink job 'args' must be a list of strings, found " + o);
                }
                args.add(substitute(o.toString(), vars));
            }
        }
        Integer parallelism = null;
        Object p = c.get("parallelism");
        if (p != null) {
            if (!(p instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 1) {
                throw new JobRunnerException("flink job 'parallelism' must be a positive integer, found " + p);
            }
            parallelism = n.intValue();
        }
        String cluster = c.containsKey("cluster") ? text(c, "cluster", true, vars) : DEFAULT_CLUSTER;
        String restore = c.containsKey("restore") ? text(c, "restore", true, vars) : "latest";
        if (!restore.equals("latest") && !restore.equals("none")) {
            throw new JobRunnerException("flink job 'restore' must be 'latest' or 'none', found '" + restore + "'");
        }
        Object allow = c.getOrDefault("allowNonRestoredState", false);
        if (!(allow instanceof Boolean)) {
            throw new JobRunnerException("flink job 'allowNonRestoredState' must be true or false");
        }
        Map<String, String> configuration = new LinkedHashMap<>();
        Object conf = c.get("configuration");
        if (conf != null) {
            if (!(conf instanceof Map<?, ?> map)) {
                throw new JobRunnerException("flink job 'configuration' must be a map of Flink configuration keys to values");
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object v = e.getValue();
                if (!(e.getKey() instanceof String key) || key.isBlank()
                        || !(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                    throw new JobRunnerException("flink job 'configuration' must map keys to strings, numbers or booleans, found "
                            + e.getKey() + ": " + v);
                }
                configuration.put(key, substitute(v.toString(), vars));
            }
        }
        return new FlinkJobSpec(jar, text(c, "entryClass", false, vars), List.copyOf(args), parallelism, cluster,
                text(c, "savepointPath", false, vars), restore.equals("latest"), (Boolean) allow,
                java.util.Collections.unmodifiableMap(configuration));
    }

    /** The values of the placeholders, by name without {@code ${}}. */
    static Map<String, String> placeholders(JobRequest request, Path home, String platformUrl, String defaultUrl) {
        Map<String, String> vars = new TreeMap<>();
        for (String name : OPTIONAL) {
            vars.put(JobRequest.placeholderName(name), "");
        }
        vars.put(JobRequest.placeholderName(JobRequest.AIFLOW_URL), defaultUrl);
        vars.putAll(request.placeholders());
        if (platformUrl != null) {
            vars.put(JobRequest.placeholderName(JobRequest.AIFLOW_URL), platformUrl);
        }
        vars.put("aiflow.home", home.toString());
        vars.put("aiflow.taskExecutionId", Long.toString(request.taskExecutionId()));
        return vars;
    }

    /** Replaces every {@code ${aiflow.*}} in one pass (a value is never substituted again). */
    static String substitute(String s, Map<String, String> vars) throws JobRunnerException {
        if (!s.contains("${aiflow.")) {
            return s;
        }
        Matcher m = PLACEHOLDER.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.get(m.group(1));
            if (value == null) {
                throw new JobRunnerException("flink job names an unknown placeholder ${" + m.group(1) + "} (known: "
                        + new TreeSet<>(vars.keySet()).stream().map(k -> "${" + k + "}").toList() + ")");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The job's arguments and configuration with the token replaced, for logs. */
    String describe(String token) {
        String text = args + (configuration.isEmpty() ? "" : " configuration " + configuration);
        return token == null || token.isEmpty() ? text : text.replace(token, "***");
    }

    private static String text(Map<String, Object> c, String field, boolean required, Map<String, String> vars)
            throws JobRunnerException {
        Object v = c.get(field);
        if (v == null) {
            if (required) {
                throw new JobRunnerException("flink job needs '" + field + "'");
            }
            return null;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw new JobRunnerException("flink job '" + field + "' must be a non-empty string");
        }
        return substitute(s, vars);
    }

}
