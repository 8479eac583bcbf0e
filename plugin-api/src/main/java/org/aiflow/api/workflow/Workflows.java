package org.aiflow.api.workflow;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.execution.TaskStatus;

/**
 * A Java DSL for workflow definitions: fluent builders that produce the same
 * {@link WorkflowDefinition} a JSON or YAML workflow file does.
 *
 * <pre>{@code
 * import static org.aiflow.api.workflow.Workflows.*;
 *
 * WorkflowDefinition flow = workflow("ml", "train-flow")
 *         .description("train, validate, serve")
 *         .option("maxParallelExecutions", 1)
 *         .task("train", t -> t.process("python train.py").option("retries", 2))
 *         .task("validate", t -> t.job("flink", Map.of("jar", "validate.jar")).startAfter("train"))
 *         .task("serve", t -> t.stream()
 *                 .job("flink", Map.of("jar", "serve.jar"))
 *                 .restartOn(event("churn-lr").namespace("ml").type("MODEL_DEPLOYED")))
 *         .task("alert", t -> t.process("notify-team.sh").startOn(status("train").is(TaskStatus.FAILED).level()))
 *         .trigger(Action.START, event("go"))
 *         .scheduleCron("nightly", "0 2 * * *", "Europe/Berlin")
 *         .build();
 * scheduler.upload(flow);
 * }</pre>
 *
 * <p>Builders collect; {@link WorkflowBuilder#build()} constructs the records, so every check of
 * the records (names, duplicate tasks, {@code startAfter} references and cycles, schedules) reports
 * there, as a {@link ValidationException}, with the same message as for a file. Option and
 * configuration values are taken as a file would hold them: strings, booleans, numbers (whole
 * numbers become {@code Integer} where they fit, others {@code Double}, as when read from a file),
 * and lists and string-keyed maps of those; anything else ({@code Duration}, an enum, ...) is
 * refused by {@code build()}, so a built definition equals its file and survives storage
 * unchanged. Whether runner and condition types exist and accept their configuration is checked by
 * the scheduler at upload, as for files. Builders are not thread-safe; {@code build()} may be
 * called again and builds an equal definition.
 *
 * <p>Conditions for rules and triggers: {@link #event}, {@link #status}, {@link #allOf},
 * {@link #anyOf}, and {@link #condition} for any other (plugin) condition type. They are immutable:
 * each refining method returns a new condition, so a condition can be shared and refined.
 */
public final class Workflows {
    private Workflows() {
    }

    /** A workflow in the {@code default} namespace. */
    public static WorkflowBuilder workflow(String name) {
        return new WorkflowBuilder(null, name);
    }

    /** A workflow in {@code namespace}. */
    public static WorkflowBuilder workflow(String namespace, String name) {
        return new WorkflowBuilder(namespace, name);
    }

    /** The built-in {@code event} condition on events with this key ({@code *} matches any run of characters). */
    public static EventCondition event(String key) {
        return new EventCondition(Map.of(BuiltInConditionTypes.Event.KEY, key));
    }

    /** The built-in {@code status} condition: task {@code task} of the same execution enters SUCCESS (unless {@link StatusCondition#is} says otherwise). */
    public static StatusCondition status(String task) {
        return new StatusCondition(Map.of(BuiltInConditionTypes.Status.TASK, task));
    }

    /** Fires once all the conditions have fired (each remembered until then), as {@code all-of}. */
    public static Condition allOf(Condition first, Condition... more) {
        return composite(BuiltInConditionTypes.ALL_OF, first, more);
    }

    /** Fires when any of the conditions fires, as {@code any-of}. */
    public static Condition anyOf(Condition first, Condition... more) {
        return composite(BuiltInConditionTypes.ANY_OF, first, more);
    }

    private static Condition composite(String type, Condition first, Condition... more) {
        List<Object> children = new ArrayList<>();
        children.add(child(first));
        for (Condition c : more) {
            children.add(child(c));
        }
        return condition(type, Map.of(BuiltInConditionTypes.Composite.CONDITIONS, List.copyOf(children)));
    }

    private static Map<String, Object> child(Condition c) {
        ConditionSpec spec = Objects.requireNonNull(c, "condition").spec();
        return Map.of(BuiltInConditionTypes.Composite.TYPE, spec.type(), BuiltInConditionTypes.Composite.CONFIG, spec.config());
    }

    /** A condition of any type, e.g. one a plugin registers, with its configuration. */
    public static Condition condition(String type, Map<String, ?> config) {
        Map<String, Object> copy = config == null ? Map.of() : new LinkedHashMap<>(config);
        return () -> new ConditionSpec(type, copy);
    }

    /** A condition written as the record. */
    public static Condition condition(ConditionSpec spec) {
        Objects.requireNonNull(spec, "condition");
        return () -> spec;
    }

    /** A condition for a rule or a trigger; {@link #spec()} is what the definition holds. */
    public interface Condition {
        ConditionSpec spec();
    }

    /** Base of the condition builders: an immutable configuration, refined by copying. */
    private abstract static class ConfiguredCondition<C extends ConfiguredCondition<C>> implements Condition {
        private final String type;
        final Map<String, Object> config;

        ConfiguredCondition(String type, Map<String, Object> config) {
            this.type = type;
            this.config = config;
        }

        abstract C copy(Map<String, Object> config);

        final C with(String field, Object value) {
            Map<String, Object> next = new LinkedHashMap<>(config);
            next.put(field, Objects.requireNonNull(value, field));
            return copy(next);
        }

        @Override
        public final ConditionSpec spec() {
            return new ConditionSpec(type, config);
        }

        @Override
        public String toString() {
            return spec().toString();
        }
    }

    /**
     * The built-in {@code event} condition. Unset fields keep the scheduler's defaults: namespace
     * {@code default}, any type, sender and value, fired every time.
     */
    public static final class EventCondition extends ConfiguredCondition<EventCondition> {
        EventCondition(Map<String, Object> config) {
            super(BuiltInConditionTypes.EVENT, config);
        }

        @Override
        EventCondition copy(Map<String, Object> config) {
            return new EventCondition(config);
        }

        /** The event namespace (default {@code default}). */
        public EventCondition namespace(String namespace) {
            return with(BuiltInConditionTypes.Event.NAMESPACE, namespace);
        }

        /** The event type, e.g. {@code MODEL_DEPLOYED}; {@code *} matches any run of characters. */
        public EventCondition type(String type) {
            return with(BuiltInConditionTypes.Event.TYPE, type);
        }

        /** The sender, e.g. {@code aiflow-metadata}. */
        public EventCondition sender(String sender) {
            return with(BuiltInConditionTypes.Event.SENDER, sender);
        }

        /** The value the event must have; {@code *} matches any run of characters. */
        public EventCondition value(String value) {
            return with(BuiltInConditionTypes.Event.VALUE, value);
        }

        /** Fires on every new event of the key, whatever its value ({@code valueCondition: UPDATED}). */
        public EventCondition updated() {
            return with(BuiltInConditionTypes.Event.VALUE_CONDITION, BuiltInConditionTypes.Event.UPDATED);
        }

        /** Fires at most once per workflow execution ({@code life: ONCE}). */
        public EventCondition once() {
            return with(BuiltInConditionTypes.Event.LIFE, BuiltInConditionTypes.Event.ONCE);
        }
    }

    /**
     * The built-in {@code status} condition on a task's status. Unset fields keep the scheduler's
     * defaults: status SUCCESS, a task of the same execution, EDGE trigger.
     */
    public static final class StatusCondition extends ConfiguredCondition<StatusCondition> {
        StatusCondition(Map<String, Object> config) {
            super(BuiltInConditionTypes.STATUS, config);
        }

        @Override
        StatusCondition copy(Map<String, Object> config) {
            return new StatusCondition(config);
        }

        /** The status, or any of the statuses, the task must enter. */
        public StatusCondition is(TaskStatus status, TaskStatus... more) {
            if (more.length == 0) {
                return with(BuiltInConditionTypes.Status.STATUS, Objects.requireNonNull(status, "status").name());
            }
            List<String> names = new ArrayList<>();
            names.add(Objects.requireNonNull(status, "status").name());
            Arrays.stream(more).map(s -> Objects.requireNonNull(s, "status").name()).forEach(names::add);
            return with(BuiltInConditionTypes.Status.STATUS, List.copyOf(names));
        }

        /** Watches the task in any execution of another workflow of the same namespace. */
        public StatusCondition ofWorkflow(String workflow) {
            return with(BuiltInConditionTypes.Status.WORKFLOW, workflow);
        }

        /** Watches the task in any execution of a workflow of another namespace. */
        public StatusCondition ofWorkflow(String namespace, String workflow) {
            return with(BuiltInConditionTypes.Status.WORKFLOW, workflow).with(BuiltInConditionTypes.Status.NAMESPACE, namespace);
        }

        /** Fires on any event while the task's newest attempt in this execution is in the status ({@code trigger: LEVEL}; then once by default). */
        public StatusCondition level() {
            return with(BuiltInConditionTypes.Status.TRIGGER, BuiltInConditionTypes.Status.LEVEL);
        }

        /** Fires at most once per workflow execution ({@code life: ONCE}). */
        public StatusCondition once() {
            return with(BuiltInConditionTypes.Status.LIFE, BuiltInConditionTypes.Status.ONCE);
        }

        /** Fires every time ({@code life: REPEATED}), also for a {@link #level()} condition. */
        public StatusCondition repeated() {
            return with(BuiltInConditionTypes.Status.LIFE, BuiltInConditionTypes.Status.REPEATED);
        }
    }

    /** Builds a {@link WorkflowDefinition}; see {@link Workflows}. */
    public static final class WorkflowBuilder {
        private final String namespace;
        private final String name;
        private String description;
        private final Map<String, Object> options = new LinkedHashMap<>();
        private final List<Object> tasks = new ArrayList<>(); // TaskBuilder or TaskDefinition, in order
        private final List<Pending> triggers = new ArrayList<>();
        private final List<Object> schedules = new ArrayList<>(); // ScheduleBuilder or Schedule

        WorkflowBuilder(String namespace, String name) {
            this.namespace = namespace;
            this.name = name;
        }

        public WorkflowBuilder description(String description) {
            this.description = description;
            return this;
        }

        /** A setting that scheduling policies read, e.g. {@code maxParallelExecutions}. */
        public WorkflowBuilder option(String name, Object value) {
            putOption(options, name, value);
            return this;
        }

        public WorkflowBuilder options(Map<String, ?> options) {
            options.forEach(this::option);
            return this;
        }

        /** Adds a task, described by {@code spec} on a new {@link TaskBuilder}; tasks keep the order they are added in. */
        public WorkflowBuilder task(String name, Consumer<TaskBuilder> spec) {
            TaskBuilder task = new TaskBuilder(name);
            spec.accept(task);
            tasks.add(task);
            return this;
        }

        /** Adds a task written as the record. */
        public WorkflowBuilder task(TaskDefinition task) {
            tasks.add(Objects.requireNonNull(task, "task"));
            return this;
        }

        /** When {@code condition} fires: {@code START} a new execution, {@code STOP} the running ones, or {@code RESTART}. */
        public WorkflowBuilder trigger(Action action, Condition condition) {
            triggers.add(new Pending(action, condition));
            return this;
        }

        /** A schedule on a 5-field cron expression in UTC that starts executions. */
        public WorkflowBuilder scheduleCron(String name, String cron) {
            return schedule(name, s -> s.cron(cron));
        }

        /** A schedule on a 5-field cron expression in a time zone (e.g. {@code Europe/Berlin}) that starts executions. */
        public WorkflowBuilder scheduleCron(String name, String cron, String timeZone) {
            return schedule(name, s -> s.cron(cron).timeZone(timeZone));
        }

        /** A schedule that starts an execution every {@code interval} (whole seconds, at least one). */
        public WorkflowBuilder scheduleEvery(String name, Duration interval) {
            return schedule(name, s -> s.every(interval));
        }

        /** A schedule described by {@code spec}, e.g. {@code s -> s.cron("0 * * * *").task("refresh").catchUp(CatchUp.NONE)}. */
        public WorkflowBuilder schedule(String name, Consumer<ScheduleBuilder> spec) {
            ScheduleBuilder schedule = new ScheduleBuilder(name);
            spec.accept(schedule);
            schedules.add(schedule);
            return this;
        }

        /** Adds a schedule written as the record. */
        public WorkflowBuilder schedule(Schedule schedule) {
            schedules.add(Objects.requireNonNull(schedule, "schedule"));
            return this;
        }

        /**
         * Constructs the definition.
         *
         * @throws ValidationException as the records' constructors do, or for an option or
         *                             configuration value a workflow file could not hold
         */
        public WorkflowDefinition build() {
            String where = "workflow '" + name + "'";
            Map<String, Object> builtOptions = fileValues(where + " option", options);
            List<TaskDefinition> builtTasks = new ArrayList<>();
            for (Object t : tasks) {
                builtTasks.add(t instanceof TaskBuilder b ? b.build() : fileValues((TaskDefinition) t));
            }
            List<Trigger> builtTriggers = new ArrayList<>();
            for (int i = 0; i < triggers.size(); i++) {
                Pending t = triggers.get(i);
                builtTriggers.add(new Trigger(t.condition(where + " trigger " + (i + 1)), t.action()));
            }
            List<Schedule> builtSchedules = new ArrayList<>();
            for (Object s : schedules) {
                builtSchedules.add(s instanceof ScheduleBuilder b ? b.build() : (Schedule) s);
            }
            return new WorkflowDefinition(namespace, name, description, builtTasks, builtOptions, builtTriggers, builtSchedules);
        }
    }

    /** Builds a {@link TaskDefinition}: a job, the kind, rules, {@code startAfter} and options. */
    public static final class TaskBuilder {
        private final String name;
        private TaskKind kind;
        private String runnerType;
        private Map<String, Object> config = Map.of();
        private final List<Pending> rules = new ArrayList<>();
        private final List<String> startAfter = new ArrayList<>();
        private final Map<String, Object> options = new LinkedHashMap<>();

        TaskBuilder(String name) {
            this.name = name;
        }

        /** {@code BATCH} (the default: finishes by itself) or {@code STREAM} (runs until stopped). */
        public TaskBuilder kind(TaskKind kind) {
            this.kind = kind;
            return this;
        }

        /** Same as {@code kind(TaskKind.BATCH)}. */
        public TaskBuilder batch() {
            return kind(TaskKind.BATCH);
        }

        /** Same as {@code kind(TaskKind.STREAM)}. */
        public TaskBuilder stream() {
            return kind(TaskKind.STREAM);
        }

        /** The job: a runner type and its configuration, which the runner checks when the job is submitted. */
        public TaskBuilder job(String runnerType, Map<String, ?> config) {
            this.runnerType = runnerType;
            this.config = config == null ? Map.of() : new LinkedHashMap<>(config);
            return this;
        }

        /** A job of a runner that needs no configuration. */
        public TaskBuilder job(String runnerType) {
            return job(runnerType, Map.of());
        }

        /** The job, written as the record. */
        public TaskBuilder job(JobSpec job) {
            return job(job.runnerType(), job.config());
        }

        /** A job of the {@code process} runner: a shell command line, run with {@code /bin/sh -c}. */
        public TaskBuilder process(String command) {
            return job("process", Map.of("command", command));
        }

        /** Starts each time all these tasks of the same execution have succeeded; adds to earlier calls. */
        public TaskBuilder startAfter(String... tasks) {
            startAfter.addAll(Arrays.asList(tasks));
            return this;
        }

        /** A setting that scheduling policies read, e.g. {@code retries}, {@code timeoutSeconds}. */
        public TaskBuilder option(String name, Object value) {
            putOption(options, name, value);
            return this;
        }

        public TaskBuilder options(Map<String, ?> options) {
            options.forEach(this::option);
            return this;
        }

        /** Adds a rule; rules are evaluated in the order they are added, and the first that fires wins. */
        public TaskBuilder rule(Action action, Condition condition) {
            rules.add(new Pending(action, condition));
            return this;
        }

        /** Same as {@code rule(Action.START, condition)}. */
        public TaskBuilder startOn(Condition condition) {
            return rule(Action.START, condition);
        }

        /** Same as {@code rule(Action.STOP, condition)}. */
        public TaskBuilder stopOn(Condition condition) {
            return rule(Action.STOP, condition);
        }

        /** Same as {@code rule(Action.RESTART, condition)}. */
        public TaskBuilder restartOn(Condition condition) {
            return rule(Action.RESTART, condition);
        }

        TaskDefinition build() {
            String where = "task '" + name + "'";
            JobSpec job = runnerType == null ? null : new JobSpec(runnerType, fileValues(where + " job config", config));
            List<Rule> builtRules = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                Pending r = rules.get(i);
                builtRules.add(new Rule(r.condition(where + " rule " + (i + 1)), r.action()));
            }
            return new TaskDefinition(name, kind, job, builtRules, startAfter, fileValues(where + " option", options));
        }
    }

    /** Builds a {@link Schedule}: a cron expression or an interval, optionally for one task. */
    public static final class ScheduleBuilder {
        private final String name;
        private String cron;
        private Duration every;
        private String timeZone;
        private String task;
        private CatchUp catchUp;

        ScheduleBuilder(String name) {
            this.name = name;
        }

        /** A 5-field cron expression: minute hour day-of-month month day-of-week. */
        public ScheduleBuilder cron(String cron) {
            this.cron = cron;
            return this;
        }

        /** The time zone of the cron expression (default UTC). */
        public ScheduleBuilder timeZone(String timeZone) {
            this.timeZone = timeZone;
            return this;
        }

        /** A fixed interval instead of a cron expression: whole seconds, at least one. */
        public ScheduleBuilder every(Duration interval) {
            this.every = interval;
            return this;
        }

        /** Starts this task in every running execution instead of starting an execution. */
        public ScheduleBuilder task(String task) {
            this.task = task;
            return this;
        }

        /** What to do about fire times missed while the platform was down (default {@code LATEST}). */
        public ScheduleBuilder catchUp(CatchUp catchUp) {
            this.catchUp = catchUp;
            return this;
        }

        Schedule build() {
            Long seconds = null;
            if (every != null) {
                if (every.toNanosPart() != 0) {
                    throw new ValidationException("schedule '" + name + "': the interval must be whole seconds, got " + every);
                }
                seconds = every.getSeconds();
            }
            return new Schedule(name, cron, seconds, timeZone, task, catchUp);
        }
    }

    /** A rule or trigger as given; made a record at build time. */
    private record Pending(Action action, Condition given) {
        ConditionSpec condition(String where) {
            if (given == null) {
                throw new ValidationException(where + " has no condition");
            }
            ConditionSpec spec = given.spec();
            return new ConditionSpec(spec.type(), fileValues(where + " condition config", spec.config()));
        }
    }

    private static void putOption(Map<String, Object> options, String name, Object value) {
        Objects.requireNonNull(name, "option name");
        options.put(name, Objects.requireNonNull(value, () -> "option '" + name + "' needs a value"));
    }

    /** A task written as a record, with its values as a file would hold them. */
    private static TaskDefinition fileValues(TaskDefinition task) {
        String where = "task '" + task.name() + "'";
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < task.rules().size(); i++) {
            Rule r = task.rules().get(i);
            String rule = where + " rule " + (i + 1);
            rules.add(new Rule(new ConditionSpec(r.condition().type(), fileValues(rule + " condition config", r.condition().config())),
                    r.action()));
        }
        JobSpec job = new JobSpec(task.job().runnerType(), fileValues(where + " job config", task.job().config()));
        return new TaskDefinition(task.name(), task.kind(), job, rules, task.startAfter(), fileValues(where + " option", task.options()));
    }

    /**
     * The values as a JSON or YAML file would hold them, so that a built definition equals the one
     * read from a file and reads back equal after it is stored: whole numbers as {@code Integer}
     * (or {@code Long}, {@code BigInteger} when larger), other numbers as {@code Double}; anything
     * that is not a string, number, boolean, list or string-keyed map is refused.
     */
    private static Map<String, Object> fileValues(String where, Map<String, ?> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v == null) {
                throw new ValidationException(where + " '" + k + "' has no value");
            }
            out.put(k, fileValue(where + " '" + k + "'", v));
        });
        return out;
    }

    /** Inside lists and maps a null stays, as a file's {@code null} would. */
    private static Object fileValue(String where, Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer) {
            return v;
        }
        if (v instanceof Double d) {
            if (!Double.isFinite(d)) {
                throw new ValidationException(where + ": " + d + " is not a number a workflow file can hold");
            }
            return d;
        }
        if (v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        if (v instanceof Long l) {
            return l == l.intValue() ? (Object) l.intValue() : l;
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 32 ? (Object) b.intValue() : b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        if (v instanceof Float f) {
            return fileValue(where, Double.parseDouble(f.toString())); // 0.1f as the 0.1 a file would say
        }
        if (v instanceof BigDecimal d) {
            return fileValue(where, d.doubleValue());
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(fileValue(where + "[" + i + "]", list.get(i)));
            }
            return Collections.unmodifiableList(out); // List.copyOf would refuse a null
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new ValidationException(where + ": map keys must be strings, got " + e.getKey());
                }
                out.put(key, fileValue(where + "." + key, e.getValue()));
            }
            return Collections.unmodifiableMap(out);
        }
        throw new ValidationException(where + ": a " + v.getClass().getName() + " is not a value a workflow file can hold (use strings, numbers, booleans, lists and maps)");
    }
}
