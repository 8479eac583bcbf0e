package org.aiflow.api.workflow;

import java.util.List;

import org.aiflow.api.error.Names;
import org.aiflow.api.error.ValidationException;

/**
 * A task of a workflow. A task without a {@code START} or {@code RESTART} rule starts with its
 * workflow execution; otherwise it waits for one of its rules to fire. Rules are evaluated in
 * order and the first that fires wins.
 */
public record TaskDefinition(String name, TaskKind kind, JobSpec job, List<Rule> rules) {
    public TaskDefinition {
        Names.identifier("task name", name);
        kind = kind == null ? TaskKind.BATCH : kind;
        if (job == null) {
            throw new ValidationException("task '" + name + "' has no job");
        }
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /** True if the task starts with the execution rather than waiting for a rule. */
    public boolean startsWithExecution() {
        return rules.stream().noneMatch(r -> r.action() == Action.START || r.action() == Action.RESTART);
    }
}
