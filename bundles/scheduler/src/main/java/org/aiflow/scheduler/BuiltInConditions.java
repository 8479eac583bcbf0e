package org.aiflow.scheduler;

import java.util.Map;

import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.workflow.BuiltInConditionTypes;
import org.osgi.framework.Constants;

/**
 * The condition types every scheduler has ({@link BuiltInConditionTypes} names them and their
 * configuration); a plugin of the same name with a higher ranking replaces one.
 */
final class BuiltInConditions {
    private BuiltInConditions() {
    }

    static void register(PluginRegistry<ConditionType> registry) {
        add(registry, BuiltInConditionTypes.EVENT, new EventCondition());
        add(registry, BuiltInConditionTypes.STATUS, new StatusCondition());
        add(registry, BuiltInConditionTypes.ALL_OF, new CompositeCondition(true, registry));
        add(registry, BuiltInConditionTypes.ANY_OF, new CompositeCondition(false, registry));
    }

    private static void add(PluginRegistry<ConditionType> registry, String name, ConditionType type) {
        registry.add(type, Map.of(ConditionType.TYPE_PROPERTY, name, Constants.SERVICE_RANKING, Integer.MIN_VALUE));
    }
}
