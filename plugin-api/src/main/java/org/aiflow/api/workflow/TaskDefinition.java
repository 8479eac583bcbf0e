package org.aiflow.api.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.aiflow.api.error.Names;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.execution.TaskStatus;

/**
 * A task of a workflow. A task without a {@code START} or {@code RESTART} rule starts with its
 * workflow execution; otherwise it waits for one of its rules to fire. Rules are evaluated in
 * order and the first that fires wins.
 *
 * @param startAfter sugar: the task starts each time all these tasks of the same execution have
 *                   succeeded — a last rule {@code START} on {@code all-of} {@code status} conditions
 *                   (see {@link #effectiveRules()}); the workflow checks the names and refuses cycles
 * @param options    settings that scheduling policies read, e.g. {@code retries},
 *                   {@code retryDelaySeconds}, {@code timeoutSeconds}, {@code maxConcurrent}; each
 *                   policy documents and validates its own
 */
public record TaskDefinition(String name, TaskKind kind, JobSpec job, List<Rule> rules, List<String> startAfter,
                             Map<String, Object> options) {
    /** Condition type of the rule {@link #startAfter} stands for; the same as {@link BuiltInConditionTypes#ALL_OF}. */
    public static final String ALL_OF = BuiltInConditionTypes.ALL_OF;
    /** Condition type that matches a task's status changes; the same as {@link BuiltInConditionTypes#STATUS}. */
    public static final String STATUS = BuiltInConditionTypes.STATUS;

    public TaskDefinition {
        Names.identifier("task name", name);
        kind = kind == null ? TaskKind.BATCH : kind;
        if (job == null) {
            throw new ValidationException("task '" + name + "' has no job");
        }
        rules = rules == null ? List.of() : List.copyOf(rules);
        startAfter = startAfter == null ? List.of() : List.copyOf(startAfter);
        for (String upstream : startAfter) {
            Names.identifier("task '" + name + "' startAfter entry", upstream);
            if (upstream.equals(name)) {
                throw new ValidationException("task '" + name + "' cannot start after itself");
            }
        }
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    public TaskDefinition(String name, TaskKind kind, JobSpec job, List<Rule> rules) {
        this(name, kind, job, rules, null, null);
    }

    /** The rules the scheduler evaluates: {@link #rules()}, then the rule {@link #startAfter()} stands for. */
    public List<Rule> effectiveRules() {
        if (startAfter.isEmpty()) {
            return rules;
        }
        List<Object> upstream = new ArrayList<>();
        for (String task : startAfter) {
            upstream.add(Map.of(BuiltInConditionTypes.Composite.TYPE, STATUS, BuiltInConditionTypes.Composite.CONFIG,
                    Map.of(BuiltInConditionTypes.Status.TASK, task, BuiltInConditionTypes.Status.STATUS, TaskStatus.SUCCESS.name())));
        }
        List<Rule> all = new ArrayList<>(rules);
        all.add(new Rule(new ConditionSpec(ALL_OF, Map.of(BuiltInConditionTypes.Composite.CONDITIONS, upstream)), Action.START));
        return List.copyOf(all);
    }

    /** True if the task starts with the execution rather than waiting for a rule. */
    public boolean startsWithExecution() {
        return effectiveRules().stream().noneMatch(r -> r.action() == Action.START || r.action() == Action.RESTART);
    }
}
