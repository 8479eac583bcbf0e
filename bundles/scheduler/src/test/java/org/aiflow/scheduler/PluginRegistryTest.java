package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

class PluginRegistryTest {
    private static final String NAME = "test.name";
    private final PluginRegistry<String> registry = new PluginRegistry<>(NAME);

    private static Map<String, Object> props(String name, Integer ranking, Long serviceId) {
        Map<String, Object> p = new HashMap<>();
        p.put(NAME, name);
        if (ranking != null) {
            p.put(Constants.SERVICE_RANKING, ranking);
        }
        if (serviceId != null) {
            p.put(Constants.SERVICE_ID, serviceId);
        }
        return p;
    }

    @Test
    void highestRankingComesFirstAcrossTheWholeIntRange() {
        registry.add("min", props("a", Integer.MIN_VALUE, null));
        registry.add("zero", props("b", null, null));
        registry.add("max", props("c", Integer.MAX_VALUE, null));
        registry.add("minus", props("d", -5, null));
        registry.add("min+1", props("e", Integer.MIN_VALUE + 1, null));

        // -Integer.MIN_VALUE overflows to itself: a negated ranking sorted "min" first
        assertThat(registry.all()).containsExactly("max", "zero", "minus", "min+1", "min");
        assertThat(registry.namesByRanking()).containsExactly("c", "b", "d", "e", "a");
    }

    @Test
    void amongEqualRankingsTheLowestServiceIdThenTheFirstAddedComesFirst() {
        registry.add("late", props("a", 7, 20L));
        registry.add("early", props("b", 7, 3L));
        registry.add("noIdFirst", props("c", 7, null));
        registry.add("noIdSecond", props("d", 7, null));

        assertThat(registry.all()).containsExactly("early", "late", "noIdFirst", "noIdSecond");
    }

    @Test
    void aPluginReplacesTheBuiltInOfItsNameAndTheBuiltInDecidesAgainWhenItGoes() {
        registry.add("built-in", props("event", PluginRegistry.BUILT_IN_RANKING, 1L));
        registry.add("other", props("status", PluginRegistry.BUILT_IN_RANKING, 2L));
        assertThat(registry.get("event")).contains("built-in");

        registry.add("plugin", props("event", 100, 90L));
        assertThat(registry.get("event")).contains("plugin");
        assertThat(registry.all()).containsExactly("plugin", "other"); // the replaced built-in is not consulted
        assertThat(registry.namesByRanking()).containsExactly("event", "status");
        assertThat(registry.names()).containsExactly("event", "status");

        registry.remove("plugin");
        assertThat(registry.get("event")).contains("built-in");
        assertThat(registry.all()).containsExactly("built-in", "other");
    }

    @Test
    void evenAPluginRankedBelowZeroOrWithoutRankingReplacesABuiltIn() {
        registry.add("built-in", props("retry", PluginRegistry.BUILT_IN_RANKING, 1L));
        registry.add("negative", props("retry", -1000, 50L));
        assertThat(registry.get("retry")).contains("negative");
        registry.add("unranked", props("retry", null, 60L));
        assertThat(registry.get("retry")).contains("unranked");
        registry.add("max", props("retry", Integer.MAX_VALUE, 70L));
        assertThat(registry.get("retry")).contains("max");

        registry.remove("max");
        registry.remove("unranked");
        assertThat(registry.get("retry")).contains("negative");
    }

    @Test
    void aPluginWithoutANameIsRefusedAndEveryChangeIsReported() {
        AtomicInteger changes = new AtomicInteger();
        registry.onChange(changes::incrementAndGet);
        assertThat(registry.add("nameless", Map.of())).isFalse();
        assertThat(registry.add("named", props("x", null, null))).isTrue();
        registry.remove("named");
        assertThat(changes).hasValue(2);
        assertThat(registry.all()).isEmpty();
    }
}
