package org.aiflow.scheduler;

import java.util.List;
import java.util.Optional;

import org.aiflow.api.spi.condition.ConditionType;

/**
 * The condition types a composite condition ({@code all-of}, {@code any-of}) finds its children's
 * among, decided by ranking as the scheduler decides: in OSGi {@link ConditionTypesInOsgi}, outside
 * it the scheduler's own registry ({@link #of}).
 */
public interface ConditionTypes {
    /** The type that decides for this name. */
    Optional<ConditionType> get(String name);

    /** Every installed name, sorted (for messages). */
    List<String> names();

    static ConditionTypes of(PluginRegistry<ConditionType> registry) {
        return new ConditionTypes() {
            @Override
            public Optional<ConditionType> get(String name) {
                return registry.get(name);
            }

            @Override
            public List<String> names() {
                return registry.names();
            }
        };
    }
}
