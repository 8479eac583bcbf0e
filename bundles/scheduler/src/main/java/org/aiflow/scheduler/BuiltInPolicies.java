package org.aiflow.scheduler;

import java.util.Map;

import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.osgi.framework.Constants;

/** The scheduling policies every scheduler has, consulted after any plugin policy of higher ranking. */
final class BuiltInPolicies {
    private BuiltInPolicies() {
    }

    static void register(PluginRegistry<SchedulingPolicy> registry) {
        add(registry, ConcurrencyPolicy.NAME, new ConcurrencyPolicy());
        add(registry, RetryPolicy.NAME, new RetryPolicy());
        add(registry, TimeoutPolicy.NAME, new TimeoutPolicy());
    }

    private static void add(PluginRegistry<SchedulingPolicy> registry, String name, SchedulingPolicy policy) {
        registry.add(policy, Map.of(SchedulingPolicy.NAME_PROPERTY, name, Constants.SERVICE_RANKING, Integer.MIN_VALUE));
    }
}
