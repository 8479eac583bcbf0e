package org.aiflow.examples.ml;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.aiflow.client.TaskContext;

/**
 * The {@code --name value} arguments of a job. Parsing refuses names the job does not know and a
 * name without a value, so a typo in a workflow file fails the run (Flink returns the message as
 * the run's failure) instead of being ignored.
 */
public final class Args implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Arguments every job takes besides the task context's ({@link TaskContext#isContextArgument},
     * {@code --aiflow-url}, {@code --aiflow-token}, {@code --aiflow-namespace}, ...). {@code --namespace}
     * and {@code --task-execution-id} are the older names of {@code --aiflow-namespace} and
     * {@code --aiflow-task-execution-id}.
     */
    public static final Set<String> COMMON = Set.of("namespace", "model", "task-execution-id");
    /** Arguments whose values are secrets: never printed. */
    private static final Set<String> SECRET = Set.of("aiflow-token");
    /** The platform's REST base when {@code --aiflow-url} is not given. */
    public static final String DEFAULT_URL = "http://127.0.0.1:8181/aiflow/v1";

    private final String job;
    private final Map<String, String> values;

    private Args(String job, Map<String, String> values) {
        this.job = job;
        this.values = values;
    }

    /**
     * Parses {@code argv} as {@code --name value} pairs.
     *
     * @param job   the job's name, for messages
     * @param known the names the job takes besides {@link #COMMON}
     * @throws IllegalArgumentException for an unknown name, a missing value or a name given twice
     */
    public static Args parse(String job, String[] argv, Set<String> known) {
        Set<String> allowed = new TreeSet<>(COMMON);
        allowed.addAll(known);
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (arg == null || !arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException(job + ": expected --name value, got '" + arg + "' (arguments: " + allowed + ")");
            }
            String name = arg.substring(2);
            if (!allowed.contains(name) && !TaskContext.isContextArgument(arg)) {
                throw new IllegalArgumentException(job + ": unknown argument --" + name + " (arguments: " + allowed + ")");
            }
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException(job + ": argument --" + name + " needs a value");
            }
            if (values.put(name, argv[++i]) != null) {
                throw new IllegalArgumentException(job + ": argument --" + name + " is given twice");
            }
        }
        return new Args(job, values);
    }

    public String job() {
        return job;
    }

    public boolean has(String name) {
        return values.containsKey(name) && !values.get(name).isBlank();
    }

    /** @throws IllegalArgumentException if the argument is missing or blank */
    public String required(String name) {
        if (!has(name)) {
            throw new IllegalArgumentException(job + ": argument --" + name + " is required");
        }
        return values.get(name);
    }

    public String get(String name, String defaultValue) {
        return has(name) ? values.get(name) : defaultValue;
    }

    public int getInt(String name, int defaultValue, int min) {
        return (int) getLong(name, defaultValue, min);
    }

    public long getLong(String name, long defaultValue, long min) {
        if (!has(name)) {
            return defaultValue;
        }
        long v;
        try {
            v = Long.parseLong(values.get(name).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(job + ": argument --" + name + " must be a whole number, got '" + values.get(name) + "'");
        }
        if (v < min) {
            throw new IllegalArgumentException(job + ": argument --" + name + " must be at least " + min + ", got " + v);
        }
        return v;
    }

    public double getDouble(String name, double defaultValue, double min, double max) {
        if (!has(name)) {
            return defaultValue;
        }
        double v;
        try {
            v = Double.parseDouble(values.get(name).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(job + ": argument --" + name + " must be a number, got '" + values.get(name) + "'");
        }
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(job + ": argument --" + name + " must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    /** {@code --model}, required by every job. */
    public String model() {
        return required("model");
    }

    /**
     * The task execution to record lineage for ({@code --aiflow-task-execution-id}, else
     * {@code --task-execution-id}, else the task context's); 0 (the default) means none.
     */
    public long taskExecutionId() {
        if (has("aiflow-task-execution-id") || has("task-execution-id")) {
            return getLong(has("aiflow-task-execution-id") ? "aiflow-task-execution-id" : "task-execution-id", 0, 0);
        }
        return "none".equalsIgnoreCase(get("aiflow-url", "")) ? 0 : context().taskExecutionId();
    }

    /**
     * The platform calls of the job: none for {@code --aiflow-url none}, else through the task
     * context ({@link #context()}).
     */
    public Registry registry() {
        return "none".equalsIgnoreCase(get("aiflow-url", "")) ? Registry.disabled(get("aiflow-namespace", get("namespace", "default")))
                : new Registry(context());
    }

    /**
     * The task context, {@link TaskContext#of}: the {@code --aiflow-*} arguments (in a workflow the
     * flink runner fills in their {@code ${aiflow.*}} placeholders: {@link TaskContext#programArguments()}),
     * then {@code aiflow.*} system properties, then the {@code AIFLOW_*} environment; the platform at
     * {@value #DEFAULT_URL} if none of them names it (a run by hand).
     *
     * @throws IllegalArgumentException if the URL is not http(s) or an id is not a number
     */
    public TaskContext context() {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.putIfAbsent("AIFLOW_URL", DEFAULT_URL);
        java.util.List<String> argv = new java.util.ArrayList<>();
        values.forEach((name, value) -> {
            if (TaskContext.isContextArgument("--" + name)) {
                argv.add("--" + name);
                argv.add(value);
            }
        });
        // the older names, unless the new ones are given
        if (has("namespace") && !has("aiflow-namespace")) {
            argv.addAll(java.util.List.of("--aiflow-namespace", values.get("namespace")));
        }
        if (has("task-execution-id") && !has("aiflow-task-execution-id")) {
            argv.addAll(java.util.List.of("--aiflow-task-execution-id", values.get("task-execution-id")));
        }
        try {
            return TaskContext.of(env, System.getProperties(), argv);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage().contains("must be http(s)")
                    ? "--aiflow-url must be an http(s) URL or 'none', got '" + get("aiflow-url", env.get("AIFLOW_URL")) + "'"
                    : job + ": " + e.getMessage();
            throw new IllegalArgumentException(message, e);
        }
    }

    /** The arguments, secrets ({@code --aiflow-token}) shown as {@code ***}. */
    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(values);
        SECRET.forEach(name -> shown.computeIfPresent(name, (k, v) -> "***"));
        return job + " " + shown;
    }
}
