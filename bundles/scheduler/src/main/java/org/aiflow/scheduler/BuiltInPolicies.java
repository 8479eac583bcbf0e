package org.aiflow.scheduler;

import java.util.Map;

import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.osgi.framework.Constants;

/**
 * The scheduling policies every scheduler has, ranked {@link PluginRegistry#BUILT_IN_RANKING}:
 * consulted after every plugin policy, and replaced by a plugin policy of the same name while it is
 * there. In OSGi each is a DS component of this bundle; outside OSGi {@link #register} adds them directly.
 */
final class BuiltInPolicies {
    /** How many built-in policies there are (the scheduler component waits for that many). */
    static final int COUNT = 3;

    private BuiltInPolicies() {
    }

    static void register(PluginRegistry<SchedulingPolicy> registry) {
        add(registry, ConcurrencyPolicy.NAME, new ConcurrencyPolicy());
        add(registry, RetryPolicy.NAME, new RetryPolicy());
        add(registry, TimeoutPolicy.NAME, new TimeoutPolicy());
    }

    private static void add(PluginRegistry<SchedulingPolicy> registry, String name, SchedulingPolicy policy) {
        registry.add(policy, Map.of(SchedulingPolicy.NAME_PROPERTY, name, Constants.SERVICE_RANKING, PluginRegistry.BUILT_IN_RANKING));
    }
}
