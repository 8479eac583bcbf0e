package org.aiflow.sample.condition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.spi.condition.ConditionResult;
import org.aiflow.api.spi.condition.ConditionType;
import org.osgi.service.component.annotations.Component;

/**
 * A sample condition type with its own persisted state, the template for writing your own: copy
 * this module, rename the type, and replace the counting with yours.
 *
 * <p>What makes it a condition type: it implements {@link ConditionType} and is registered as an
 * OSGi service with the {@value ConditionType#TYPE_PROPERTY} property. Drop the bundle into Karaf's
 * {@code deploy/} folder (or install the {@code aiflow-sample-condition} feature) and rules and
 * triggers may name it: {@code {"type": "event-count-window", "config": {...}}}.
 *
 * <p>The condition: it fires when {@code count} matching events lie within {@code windowSeconds}
 * seconds (the first and the last at most that far apart, by their create times), e.g. "5 failed
 * logins within 60 s". A matching event has the configured {@code key} and {@code namespace}
 * (default {@code default}) and, if configured, {@code value}; each is matched exactly, with
 * {@code *} standing for any run of characters. After firing the window starts afresh: the next
 * firing needs {@code count} new events.
 *
 * <p>The state: the create times of the matching events still in the window (at most
 * {@code count - 1} of them) and the version of the last event counted, as the rule's persisted
 * state ({@link Window#toState()}). The scheduler stores it in the same transaction as its decision,
 * so the window survives a restart of the platform. As the SPI asks, {@link #evaluate} reads no clock
 * (the window slides with the events' create times), does no I/O and keeps no fields: the same
 * event evaluated again from the same state gives the same answer. An event at or below the last
 * counted version is not counted twice.
 */
@Component(property = ConditionType.TYPE_PROPERTY + "=" + EventCountWindowCondition.NAME)
public class EventCountWindowCondition implements ConditionType {
    static final String NAME = "event-count-window";
    static final String KEY = "key";
    static final String NAMESPACE = "namespace";
    static final String VALUE = "value";
    static final String COUNT = "count";
    static final String WINDOW_SECONDS = "windowSeconds";
    static final int MAX_COUNT = 1000;
    static final long MAX_WINDOW_SECONDS = 31L * 24 * 3600;
    private static final Set<String> FIELDS = Set.of(KEY, NAMESPACE, VALUE, COUNT, WINDOW_SECONDS);

    @Override
    public void validate(Map<String, Object> config) {
        for (String field : config.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new ValidationException(NAME + " condition has unknown field '" + field + "' (allowed: "
                        + FIELDS.stream().sorted().collect(Collectors.joining(", ")) + ")");
            }
        }
        if (!(config.get(KEY) instanceof String key) || key.isEmpty()) {
            throw new ValidationException(NAME + " condition needs a 'key' ('*' matches any key)");
        }
        for (String field : List.of(NAMESPACE, VALUE)) {
            Object v = config.get(field);
            if (v != null && !(v instanceof String)) {
                throw new ValidationException(NAME + " condition field '" + field + "' must be a string");
            }
        }
        wholeNumber(config, COUNT, 1, MAX_COUNT);
        wholeNumber(config, WINDOW_SECONDS, 1, MAX_WINDOW_SECONDS);
    }

    private static long wholeNumber(Map<String, Object> config, String field, long min, long max) {
        Object v = config.get(field);
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new ValidationException(NAME + " condition needs a whole number '" + field + "' (" + min + " to " + max + ")"
                    + (v == null ? "" : ", got " + (v instanceof String ? "\"" + v + "\"" : v)));
        }
        long value = n.longValue();
        if (value < min || value > max) {
            throw new ValidationException(NAME + " condition field '" + field + "' must be " + min + " to " + max + ", got " + value);
        }
        return value;
    }

    @Override
    public boolean mayReact(Map<String, Object> config, Event event) {
        return matches(config, event); // a non-matching event neither fires nor changes the window
    }

    @Override
    public ConditionResult evaluate(Map<String, Object> config, Event event, Map<String, String> state) {
        if (!matches(config, event)) {
            return new ConditionResult(false, state);
        }
        Window window = Window.fromState(state);
        if (event.version() <= window.lastVersion()) {
            return new ConditionResult(false, state); // counted already
        }
        int count = ((Number) config.get(COUNT)).intValue();
        long windowMillis = ((Number) config.get(WINDOW_SECONDS)).longValue() * 1000;
        Window next = window.add(event.createTime().toEpochMilli(), event.version(), windowMillis);
        if (next.times().size() >= count) {
            return new ConditionResult(true, new Window(List.of(), event.version()).toState());
        }
        return new ConditionResult(false, next.toState());
    }

    private static boolean matches(Map<String, Object> config, Event event) {
        return matches((String) config.get(KEY), event.key())
                && matches((String) config.getOrDefault(NAMESPACE, EventDraft.DEFAULT_NAMESPACE), event.namespace())
                && (config.get(VALUE) == null || matches((String) config.get(VALUE), event.value()));
    }

    private static boolean matches(String pattern, String actual) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.indexOf('*') < 0) {
            return pattern.equals(actual);
        }
        String regex = Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
        return Pattern.compile(regex, Pattern.DOTALL).matcher(actual).matches();
    }

    /**
     * The rule's state: the create times (epoch milliseconds) of the matching events in the window,
     * in the order counted, and the version of the last event counted (0: none yet).
     */
    record Window(List<Long> times, long lastVersion) {
        static final String TIMES = "times";
        static final String LAST_VERSION = "lastVersion";

        Window {
            times = List.copyOf(times);
        }

        /** The event at {@code time} added, and every event more than {@code windowMillis} before it dropped. */
        Window add(long time, long version, long windowMillis) {
            List<Long> kept = new ArrayList<>(times.size() + 1);
            for (long t : times) {
                if (time - t <= windowMillis) {
                    kept.add(t);
                }
            }
            kept.add(time);
            return new Window(kept, version);
        }

        /** As the scheduler stores it: string keys and values (a JSON object in the rule state table). */
        Map<String, String> toState() {
            Map<String, String> state = new LinkedHashMap<>();
            state.put(TIMES, times.stream().map(String::valueOf).collect(Collectors.joining(",")));
            state.put(LAST_VERSION, Long.toString(lastVersion));
            return state;
        }

        /**
         * The window a stored state holds; an empty state (a new rule) or one this version cannot
         * read (say, written by another plugin of the same name) is an empty window.
         */
        static Window fromState(Map<String, String> state) {
            try {
                String times = state.getOrDefault(TIMES, "");
                List<Long> parsed = times.isEmpty() ? List.of()
                        : Arrays.stream(times.split(",")).map(Long::parseLong).toList();
                return new Window(parsed, Long.parseLong(state.getOrDefault(LAST_VERSION, "0")));
            } catch (NumberFormatException e) {
                return new Window(List.of(), 0);
            }
        }
    }
}
