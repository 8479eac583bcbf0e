package org.aiflow.api.spi.condition;

import java.util.Map;

/**
 * Outcome of evaluating a condition for one event.
 *
 * @param fired true if the rule's action should be applied
 * @param state the rule's new persisted state (returned unchanged if the type keeps none)
 */
public record ConditionResult(boolean fired, Map<String, String> state) {
    public ConditionResult {
        state = state == null ? Map.of() : Map.copyOf(state);
    }
}
