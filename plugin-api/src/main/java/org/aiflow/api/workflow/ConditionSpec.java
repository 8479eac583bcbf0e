package org.aiflow.api.workflow;

import java.util.Map;

import org.aiflow.api.error.Names;

/**
 * A condition: the name of a condition type and its configuration, which that type validates.
 *
 * @param type   name of a registered {@code ConditionType}, an identifier
 * @param config type-specific configuration (JSON-like values: strings, numbers, booleans, lists, maps)
 */
public record ConditionSpec(String type, Map<String, Object> config) {
    public ConditionSpec {
        Names.identifier("condition type", type);
        config = config == null ? Map.of() : Map.copyOf(config);
    }
}
