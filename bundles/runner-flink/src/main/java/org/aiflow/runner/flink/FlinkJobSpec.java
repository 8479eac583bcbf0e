package org.aiflow.runner.flink;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * {@code allowNonRestoredState}.
 *
 * <p>Placeholders in {@code jar}, {@code args} and {@code savepointPath}: {@code ${aiflow.home}},
 * {@code ${aiflow.url}}, {@code ${aiflow.namespace}}, {@code ${aiflow.workflow}}, {@code ${aiflow.task}},
 * {@code ${aiflow.taskExecutionId}}.
 */
record FlinkJobSpec(Path jar, String entryClass, List<String> args, Integer parallelism, String cluster, String savepointPath,
                    boolean restoreLatest, boolean allowNonRestoredState) {
    static final String DEFAULT_CLUSTER = "local";
    private static final Set<String> FIELDS = Set.of("jar", "entryClass", "args", "parallelism", "cluster", "savepointPath",
            "restore", "allowNonRestoredState");

    static FlinkJobSpec of(JobRequest request, Path home, String platformUrl) throws JobRunnerException {
        Map<String, Object> c = request.config();
        for (String field : c.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new JobRunnerException("flink job has unknown field '" + field + "' (allowed: " + FIELDS.stream().sorted().toList() + ")");
            }
        }
        Map<String, String> vars = Map.of("${aiflow.home}", home.toString(), "${aiflow.url}", platformUrl,
                "${aiflow.namespace}", request.namespace(), "${aiflow.workflow}", request.workflowName(),
                "${aiflow.task}", request.taskName(), "${aiflow.taskExecutionId}", Long.toString(request.taskExecutionId()));
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
        return new FlinkJobSpec(jar, text(c, "entryClass", false, vars), List.copyOf(args), parallelism, cluster,
                text(c, "savepointPath", false, vars), restore.equals("latest"), (Boolean) allow);
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

    private static String substitute(String s, Map<String, String> vars) {
        String out = s;
        for (Map.Entry<String, String> v : vars.entrySet()) {
            out = out.replace(v.getKey(), v.getValue());
        }
        return out;
    }
}
