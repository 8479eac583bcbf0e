package org.aiflow.scheduler;

import java.util.Map;

import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.workflow.BuiltInConditionTypes;
import org.osgi.framework.Constants;

/**
 * The condition types every scheduler has ({@link BuiltInConditionTypes} names them and their
 * configuration), ranked {@link PluginRegistry#BUILT_IN_RANKING}: a plugin of the same name
 * replaces one while it is there. In OSGi each is a DS component of this bundle, a service like a
 * plugin's; outside OSGi ({@link Scheduler#standalone}) {@link #register} adds them directly.
 */
final class BuiltInConditions {
    /**
     * Service property (true) on every built-in condition type and policy, so that the scheduler
     * component can wait for all of them before it starts deciding (a rule of a type not yet there is skipped).
     */
    static final String MARKER = "aiflow.builtin";
    /** How many built-in condition types there are (the scheduler component waits for that many). */
    static final int COUNT = 4;

    private BuiltInConditions() {
    }

    static void register(PluginRegistry<ConditionType> registry) {
        ConditionTypes types = ConditionTypes.of(registry);
        add(registry, BuiltInConditionTypes.EVENT, new EventCondition());
        add(registry, BuiltInConditionTypes.STATUS, new StatusCondition());
        add(registry, BuiltInConditionTypes.ALL_OF, new AllOfCondition(types));
        add(registry, BuiltInConditionTypes.ANY_OF, new AnyOfCondition(types));
    }

    /**
     * True if the built-in type of this name decides in the registry (no plugin replaces it): only
     * then may the scheduler read a rule's configuration as the built-in's (to route events).
     */
    static boolean decides(PluginRegistry<ConditionType> registry, String name) {
        Class<?> builtIn = switch (name) {
            case BuiltInConditionTypes.EVENT -> EventCondition.class;
            case BuiltInConditionTypes.STATUS -> StatusCondition.class;
            case BuiltInConditionTypes.ALL_OF -> AllOfCondition.class;
            case BuiltInConditionTypes.ANY_OF -> AnyOfCondition.class;
            default -> null;
        };
        return builtIn != null && registry.get(name).filter(builtIn::isInstance).isPresent();
    }

    private static void add(PluginRegistry<ConditionType> registry, String name, ConditionType type) {
        registry.add(type, Map.of(ConditionType.TYPE_PROPERTY, name, Constants.SERVICE_RANKING, PluginRegistry.BUILT_IN_RANKING));
    }
}
