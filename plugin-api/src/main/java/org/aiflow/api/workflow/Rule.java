package org.aiflow.api.workflow;

import org.aiflow.api.error.ValidationException;

/** A rule of a task: when {@code condition} fires, apply {@code action}. */
public record Rule(ConditionSpec condition, Action action) {
    public Rule {
        if (condition == null) {
            throw new ValidationException("rule condition is required");
        }
        if (action == null) {
            throw new ValidationException("rule action is required");
        }
    }
}
