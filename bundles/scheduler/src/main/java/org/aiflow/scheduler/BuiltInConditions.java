package org.aiflow.scheduler;

import java.util.Map;

import org.aiflow.api.spi.condition.ConditionType;
import org.osgi.framework.Constants;

/** The condition types every scheduler has; a plugin of the same name with a higher ranking replaces one. */
final class BuiltInConditions {
    private BuiltInConditions() {
    }

    static void register(PluginRegistry<ConditionType> registry) {
        add(registry, EventCondition.NAME, new EventCondition());
        add(registry, StatusCondition.NAME, new StatusCondition());
        add(registry, CompositeCondition.ALL_OF, new CompositeCondition(true, registry));
        add(registry, CompositeCondition.ANY_OF, new CompositeCondition(false, registry));
    }

    private static void add(PluginRegistry<ConditionType> registry, String name, ConditionType type) {
        registry.add(type, Map.of(ConditionType.TYPE_PROPERTY, name, Constants.SERVICE_RANKING, Integer.MIN_VALUE));
    }
}
