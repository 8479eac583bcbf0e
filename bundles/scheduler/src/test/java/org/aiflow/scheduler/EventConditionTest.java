package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.execution.TaskStatus;
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

    @Test
    void rejectsUnknownFieldsAndNonStrings() {
        assertThatThrownBy(() -> condition.validate(Map.of("key", "k", "topic", "t")))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("event condition has unknown field 'topic' (allowed: ")
                .hasMessageContainingAll("key", "namespace", "type", "sender", "value", "valueCondition", "life");
        for (String field : List.of("namespace", "type", "sender", "value", "valueCondition", "life")) {
            assertThatThrownBy(() -> condition.validate(Map.of("key", "k", field, 1)))
                    .hasMessage("event condition field '" + field + "' must be a string");
        }
        assertThatThrownBy(() -> condition.validate(Map.of("key", ""))).hasMessage("event condition needs a 'key' ('*' matches any key)");
        assertThatThrownBy(() -> condition.validate(Map.of("key", "k", "life", "once")))
                .hasMessage("event condition field 'life' must be one of REPEATED, ONCE");
        assertThatThrownBy(() -> condition.validate(Map.of("key", "k", "valueCondition", "GREATER")))
                .hasMessage("event condition field 'valueCondition' must be one of EQUALS, UPDATED");
        condition.validate(Map.of("key", "*", "namespace", "n", "type", "T", "sender", "s", "value", "v", "valueCondition", "EQUALS",
                "life", "REPEATED"));
    }

    @Test
    void everyFieldFilters() {
        Event e = event("ml", "model", "v3", "DEPLOYED", "registry");
        Map<String, Object> all = Map.of("key", "model", "namespace", "ml", "type", "DEPLOYED", "sender", "registry", "value", "v3");
        assertThat(fires(all, e)).isTrue();
        for (String field : List.of("key", "namespace", "type", "sender", "value")) {
            Map<String, Object> other = new HashMap<>(all);
            other.put(field, "other");
            assertThat(fires(other, e)).as("%s differs", field).isFalse();
            other.put(field, "*");
            assertThat(fires(other, e)).as("%s is *", field).isTrue();
        }
        assertThat(fires(Map.of("key", "model", "namespace", "ml", "value", "v*"), e)).isTrue();
        assertThat(fires(Map.of("key", "model", "namespace", "ml", "value", "*3"), e)).isTrue();
        assertThat(fires(Map.of("key", "model", "namespace", "ml", "value", "v"), e)).as("exact, not a prefix").isFalse();
        assertThat(fires(Map.of("key", "model", "namespace", "ml", "value", ""), event("ml", "model", "", "T", ""))).isTrue();
    }

    @Test
    void onlyTheStarIsSpecialInsideAPattern() {
        assertThat(fires(Map.of("key", "a.*"), event("default", "abc", "", "T", ""))).as("the dot is literal").isFalse();
        assertThat(fires(Map.of("key", "a.*"), event("default", "a.c", "", "T", ""))).isTrue();
        assertThat(fires(Map.of("key", "(x)*[y]"), event("default", "(x)+-[y]", "", "T", ""))).isTrue();
        assertThat(fires(Map.of("key", "a*b*c"), event("default", "a--b--c", "", "T", ""))).isTrue();
        assertThat(fires(Map.of("key", "a*b*c"), event("default", "a--c", "", "T", ""))).isFalse();
        assertThat(fires(Map.of("key", "k", "value", "line*"), event("default", "k", "line1\nline2", "T", ""))).isTrue();
    }

    @Test
    void updatedIgnoresTheValueButNotTheOtherFields() {
        Map<String, Object> config = Map.of("key", "k", "value", "never", "valueCondition", "UPDATED");
        assertThat(fires(config, event("default", "k", "anything", "T", ""))).isTrue();
        assertThat(fires(config, event("default", "j", "never", "T", ""))).isFalse();
        assertThat(fires(config, event("other", "k", "never", "T", ""))).isFalse();
    }

    @Test
    void repeatedFiresEveryTimeAndKeepsTheStateItWasGiven() {
        Map<String, Object> config = Map.of("key", "k");
        Map<String, String> state = Map.of("kept", "1");
        var r = condition.evaluate(config, event("default", "k", "", "T", ""), state);
        assertThat(r.fired()).isTrue();
        assertThat(r.state()).isEqualTo(state);
        assertThat(condition.evaluate(config, event("default", "k", "", "T", ""), r.state()).fired()).isTrue();
        assertThat(condition.evaluate(config, event("default", "x", "", "T", ""), state).state()).isEqualTo(state);
    }

    @Test
    void onceChangesNoStateUntilItFires() {
        Map<String, Object> config = Map.of("key", "k", "life", "ONCE");
        var miss = condition.evaluate(config, event("default", "x", "", "T", ""), Map.of());
        assertThat(miss.fired()).isFalse();
        assertThat(miss.state()).isEmpty();
        var hit = condition.evaluate(config, event("default", "k", "", "T", ""), miss.state());
        assertThat(hit.fired()).isTrue();
        var after = condition.evaluate(config, event("default", "k", "", "T", ""), hit.state());
        assertThat(after.fired()).isFalse();
        assertThat(after.state()).isEqualTo(hit.state());
    }

    @Test
    void mayReactExactlyWhenTheFieldsMatch() {
        Map<String, Object> config = Map.of("key", "k*", "type", "T");
        assertThat(condition.mayReact(config, event("default", "k1", "", "T", ""))).isTrue();
        assertThat(condition.mayReact(config, event("default", "k1", "", "U", ""))).isFalse();
        assertThat(condition.mayReact(config, event("other", "k1", "", "T", ""))).isFalse();
        assertThat(condition.mayReact(Map.of("key", "k", "life", "ONCE"), event("default", "k", "", "T", ""))).isTrue();
    }

    @Test
    void reactsToTheSchedulersOwnEventsInTheirNamespace() {
        Event status = ConditionFixtures.statusEvent(3, 5, "default", "wf", "train", TaskStatus.FAILED);
        assertThat(fires(Map.of("key", "wf/train", "value", "FAILED"), status)).as("not in the default namespace").isFalse();
        assertThat(fires(Map.of("key", "wf/*", "namespace", "aiflow.tasks", "value", "FAILED", "type", "TASK_STATUS_CHANGED"), status))
                .isTrue();
    }

    @Test
    void theBuiltInRegistryServesThisType() {
        assertThat(ConditionFixtures.builtInConditions().get("event")).containsInstanceOf(EventCondition.class);
    }
}
