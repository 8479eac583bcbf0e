package org.aiflow.api.workflow;

import org.aiflow.api.error.ValidationException;

/**
 * A workflow-level rule: when {@code condition} fires, {@code START} a new execution, {@code STOP}
 * every running one, or {@code RESTART} (both). Its condition sees no execution (a {@code status}
 * condition must name another {@code workflow}); its state is kept per workflow.
 */
public record Trigger(ConditionSpec condition, Action action) {
    public Trigger {
        if (condition == null) {
            throw new ValidationException("trigger condition is required");
        }
        if (action == null || action == Action.NONE) {
            throw new ValidationException("trigger action must be START, STOP or RESTART");
        }
    }
}
