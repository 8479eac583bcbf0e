package org.aiflow.sample.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.spi.condition.ConditionResult;
import org.aiflow.sample.condition.EventCountWindowCondition.Window;
import org.junit.jupiter.api.Test;

class EventCountWindowConditionTest {
    private static final Instant T0 = Instant.parse("2026-03-04T12:00:00Z");
    /** Three failed logins of any user within 60 s. */
    private static final Map<String, Object> THREE_IN_A_MINUTE = Map.of("namespace", "auth", "key", "login/*", "value", "FAILED",
            "count", 3, "windowSeconds", 60);

    private final EventCountWindowCondition condition = new EventCountWindowCondition();
    private long version;
    /** The state after the last {@link #feed}. */
    private Map<String, String> lastState;

    private Event event(String key, String value, long secondsAfterT0) {
        return new Event(++version, "auth", key, value, "LOGIN", "gateway", Map.of(), T0.plusSeconds(secondsAfterT0));
    }

    /** Feeds the events in order as the scheduler does, carrying the state from one to the next; true for each firing. */
    private List<Boolean> feed(Map<String, Object> config, Map<String, String> state, Event... events) {
        Map<String, String> current = state;
        List<Boolean> fired = new ArrayList<>();
        for (Event e : events) {
            ConditionResult r = condition.evaluate(config, e, current);
            fired.add(r.fired());
            current = r.state();
        }
        lastState = current;
        return fired;
    }

    @Test
    void firesWhenCountEventsFallWithinTheWindowAndThenStartsAfresh() {
        assertThat(feed(THREE_IN_A_MINUTE, Map.of(),
                event("login/alice", "FAILED", 0),
                event("login/bob", "FAILED", 20),
                event("login/alice", "FAILED", 60), // 60 s after the first: still within
                event("login/alice", "FAILED", 61),
                event("login/alice", "FAILED", 62),
                event("login/alice", "FAILED", 63)))
                .containsExactly(false, false, true, false, false, true);
    }

    @Test
    void eventsOlderThanTheWindowExpire() {
        assertThat(feed(THREE_IN_A_MINUTE, Map.of(),
                event("login/alice", "FAILED", 0),
                event("login/alice", "FAILED", 30),
                event("login/alice", "FAILED", 91),   // the first two are more than 60 s before it: gone
                event("login/alice", "FAILED", 100),  // 91 and 100: two
                event("login/alice", "FAILED", 152))) // 91, 100, 152: within 61 s, not 60
                .containsExactly(false, false, false, false, false);
        assertThat(Window.fromState(lastState).times())
                .containsExactly(T0.plusSeconds(100).toEpochMilli(), T0.plusSeconds(152).toEpochMilli());

        assertThat(feed(THREE_IN_A_MINUTE, lastState, event("login/alice", "FAILED", 160))).containsExactly(true);
    }

    @Test
    void nonMatchingEventsNeitherCountNorChangeTheState() {
        Map<String, String> state = new Window(List.of(T0.toEpochMilli()), 1).toState();
        for (Event e : List.of(event("login/alice", "OK", 1), event("logout/alice", "FAILED", 1),
                new Event(++version, "other", "login/alice", "FAILED", "LOGIN", "", Map.of(), T0))) {
            assertThat(condition.mayReact(THREE_IN_A_MINUTE, e)).as(e.toString()).isFalse();
            ConditionResult r = condition.evaluate(THREE_IN_A_MINUTE, e, state);
            assertThat(r.fired()).isFalse();
            assertThat(r.state()).isEqualTo(state);
        }
        assertThat(condition.mayReact(THREE_IN_A_MINUTE, event("login/carol", "FAILED", 1))).isTrue();
    }

    @Test
    void withoutAValueAnyValueCountsAndTheNamespaceDefaultsToDefault() {
        Map<String, Object> twoUpdates = Map.of("key", "model", "count", 2, "windowSeconds", 10);
        Event a = new Event(1, "default", "model", "v1", "", "", Map.of(), T0);
        Event b = new Event(2, "default", "model", "v2", "", "", Map.of(), T0.plusSeconds(5));
        assertThat(feed(twoUpdates, Map.of(), a, b)).containsExactly(false, true);
        assertThat(condition.mayReact(twoUpdates, new Event(3, "auth", "model", "v3", "", "", Map.of(), T0))).isFalse();
    }

    @Test
    void aCountOfOneFiresOnEveryMatchingEvent() {
        Map<String, Object> every = Map.of("namespace", "auth", "key", "*", "count", 1, "windowSeconds", 1);
        assertThat(feed(every, Map.of(), event("a", "x", 0), event("b", "y", 0))).containsExactly(true, true);
    }

    @Test
    void theStateSurvivesARoundTripThroughTheStoreAndARestart() throws IOException {
        ConditionResult first = condition.evaluate(THREE_IN_A_MINUTE, event("login/alice", "FAILED", 0), Map.of());
        ConditionResult second = condition.evaluate(THREE_IN_A_MINUTE, event("login/bob", "FAILED", 10), first.state());
        assertThat(second.fired()).isFalse();

        // the scheduler keeps a Map<String, String> (as JSON); any string form will do to show nothing else is needed
        Map<String, String> restored = deserialize(serialize(second.state()));
        assertThat(restored).isEqualTo(second.state());
        Window window = Window.fromState(restored);
        assertThat(window.times()).containsExactly(T0.toEpochMilli(), T0.plusSeconds(10).toEpochMilli());
        assertThat(window.lastVersion()).isEqualTo(2);
        assertThat(Window.fromState(window.toState())).isEqualTo(window);

        // a new instance of the plugin (the bundle restarted with the platform) goes on from the stored state
        ConditionResult third = new EventCountWindowCondition().evaluate(THREE_IN_A_MINUTE, event("login/carol", "FAILED", 20), restored);
        assertThat(third.fired()).isTrue();
        assertThat(Window.fromState(third.state())).isEqualTo(new Window(List.of(), 3));
    }

    @Test
    void evaluatingTheSameEventAgainFromTheSameStateGivesTheSameAnswerAndNeverCountsTwice() {
        Event e = event("login/alice", "FAILED", 0);
        Map<String, String> state = new Window(List.of(T0.minusSeconds(1).toEpochMilli(), T0.minusSeconds(2).toEpochMilli()), 0).toState();
        ConditionResult once = condition.evaluate(THREE_IN_A_MINUTE, e, state);
        assertThat(condition.evaluate(THREE_IN_A_MINUTE, e, state)).isEqualTo(once); // a replay after a crash
        assertThat(once.fired()).isTrue();
        // delivered again after it was counted (at-least-once): not counted twice
        ConditionResult again = condition.evaluate(THREE_IN_A_MINUTE, e, once.state());
        assertThat(again.fired()).isFalse();
        assertThat(again.state()).isEqualTo(once.state());
    }

    @Test
    void aStateItCannotReadIsAnEmptyWindow() {
        assertThat(Window.fromState(Map.of())).isEqualTo(new Window(List.of(), 0));
        assertThat(Window.fromState(Map.of("times", "yesterday", "lastVersion", "7"))).isEqualTo(new Window(List.of(), 0));
        assertThat(condition.evaluate(THREE_IN_A_MINUTE, event("login/alice", "FAILED", 0), Map.of("times", "x,y")).fired()).isFalse();
    }

    @Test
    void validationNamesTheBadField() {
        condition.validate(THREE_IN_A_MINUTE);
        condition.validate(Map.of("key", "k", "count", 2.0, "windowSeconds", 5L)); // JSON numbers may arrive as any Number

        assertThatThrownBy(() -> condition.validate(Map.of("count", 3, "windowSeconds", 60)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("needs a 'key'");
        assertThatThrownBy(() -> condition.validate(with("count", "3")))
                .isInstanceOf(ValidationException.class).hasMessage("event-count-window condition needs a whole number 'count' (1 to 1000), got \"3\"");
        assertThatThrownBy(() -> condition.validate(with("count", 2.5))).hasMessageContaining("whole number 'count'");
        assertThatThrownBy(() -> condition.validate(with("count", 0))).hasMessageContaining("'count' must be 1 to 1000, got 0");
        assertThatThrownBy(() -> condition.validate(without("windowSeconds"))).hasMessageContaining("whole number 'windowSeconds'");
        assertThatThrownBy(() -> condition.validate(with("namespace", 5))).hasMessageContaining("'namespace' must be a string");
        assertThatThrownBy(() -> condition.validate(with("window", 60))).hasMessageContaining("unknown field 'window'");
    }

    private static Map<String, Object> with(String field, Object value) {
        Map<String, Object> config = new HashMap<>(THREE_IN_A_MINUTE);
        config.put(field, value);
        return config;
    }

    private static Map<String, Object> without(String field) {
        Map<String, Object> config = new HashMap<>(THREE_IN_A_MINUTE);
        config.remove(field);
        return config;
    }

    private static String serialize(Map<String, String> state) throws IOException {
        Properties p = new Properties();
        p.putAll(state);
        StringWriter out = new StringWriter();
        p.store(out, null);
        return out.toString();
    }

    private static Map<String, String> deserialize(String stored) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(stored));
        Map<String, String> state = new HashMap<>();
        p.stringPropertyNames().forEach(k -> state.put(k, p.getProperty(k)));
        return state;
    }
}
