package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import org.aiflow.api.event.Event;
import org.junit.jupiter.api.Test;

class EventConditionTest {
    private final EventCondition condition = new EventCondition();

    private static Event event(String namespace, String key, String value, String type, String sender) {
        return new Event(7, namespace, key, value, type, sender, Map.of(), Instant.EPOCH);
    }

    private boolean fires(Map<String, Object> config, Event e) {
        condition.validate(config);
        return condition.evaluate(config, e, Map.of()).fired();
    }

    @Test
    void matchesFieldsExactlyOrWithWildcards() {
        Event e = event("default", "model.deployed", "v3", "MODEL", "registry");
        assertThat(fires(Map.of("key", "model.deployed"), e)).isTrue();
        assertThat(fires(Map.of("key", "model.*"), e)).isTrue();
        assertThat(fires(Map.of("key", "*.deployed", "type", "MODEL", "sender", "reg*"), e)).isTrue();
        assertThat(fires(Map.of("key", "model"), e)).isFalse();
        assertThat(fires(Map.of("key", "model.deployed", "value", "v2"), e)).isFalse();
        assertThat(fires(Map.of("key", "model.deployed", "value", "v2", "valueCondition", "UPDATED"), e)).isTrue();
        assertThat(fires(Map.of("key", "m.d"), event("default", "m.d", "", "T", ""))).isTrue();
        assertThat(fires(Map.of("key", "m?d"), event("default", "mxd", "", "T", ""))).as("only * is special").isFalse();
    }

    @Test
    void namespaceDefaultsToDefault() {
        Event other = event("team", "k", "", "T", "");
        assertThat(fires(Map.of("key", "k"), other)).isFalse();
        assertThat(fires(Map.of("key", "k", "namespace", "team"), other)).isTrue();
        assertThat(fires(Map.of("key", "k", "namespace", "*"), other)).isTrue();
    }

    @Test
    void onceRemembersThatItFired() {
        Map<String, Object> config = Map.of("key", "k", "life", "ONCE");
        var first = condition.evaluate(config, event("default", "k", "", "T", ""), Map.of());
        assertThat(first.fired()).isTrue();
        assertThat(first.state()).containsEntry("firedAtVersion", "7");
        assertThat(condition.evaluate(config, event("default", "k", "", "T", ""), first.state()).fired()).isFalse();
    }

    @Test
    void rejectsBadConfiguration() {
        assertThatThrownBy(() -> condition.validate(Map.of())).hasMessageContaining("needs a 'key'");
        assertThatThrownBy(() -> condition.validate(Map.of("key", 1))).hasMessageContaining("'key' must be a string");
        assertThatThrownBy(() -> condition.validate(Map.of("key", "k", "life", "TWICE"))).hasMessageContaining("REPEATED, ONCE");
        assertThatThrownBy(() -> condition.validate(Map.of("key", "k", "valueCondition", "LESS"))).hasMessageContaining("EQUALS, UPDATED");
    }
}
