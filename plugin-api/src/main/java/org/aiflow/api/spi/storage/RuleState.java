package org.aiflow.api.spi.storage;

import java.util.Map;

/**
 * The persisted state of one rule (by its index in its task's rule list) within one workflow execution.
 */
public record RuleState(long workflowExecutionId, String taskName, int ruleIndex, Map<String, String> state) {
    public RuleState {
        state = state == null ? Map.of() : Map.copyOf(state);
    }
}
