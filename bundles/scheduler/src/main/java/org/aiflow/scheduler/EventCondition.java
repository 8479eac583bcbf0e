package org.aiflow.scheduler;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.spi.condition.ConditionResult;
import org.aiflow.api.spi.condition.ConditionType;

/**
 * The built-in {@code event} condition: fires on an event whose fields match.
 *
 * <p>Configuration: {@code key} (required), {@code namespace} (default {@code default}),
 * {@code type}, {@code sender}, {@code value} (default {@code *}); each is matched exactly, with
 * {@code *} standing for any run of characters. {@code valueCondition}: {@code EQUALS} (default:
 * the value must match) or {@code UPDATED} (any new event of the key fires, whatever its value).
 * {@code life}: {@code REPEATED} (default) or {@code ONCE} (fires at most once per workflow
 * execution; persisted in the rule state).
 *
 * <p>Built in: every scheduler has it; a plugin registered with the same name and a higher service
 * ranking replaces it.
 */
public final class EventCondition implements ConditionType {
    static final String NAME = "event";
    private static final Set<String> FIELDS = Set.of("key", "namespace", "type", "sender", "value", "valueCondition", "life");
    private static final String FIRED = "firedAtVersion";

    @Override
    public void validate(Map<String, Object> config) {
        for (String field : config.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new ValidationException("event condition has unknown field '" + field + "' (allowed: " + FIELDS + ")");
            }
        }
        for (Map.Entry<String, Object> e : config.entrySet()) {
            if (!(e.getValue() instanceof String)) {
                throw new ValidationException("event condition field '" + e.getKey() + "' must be a string");
            }
        }
        if (!(config.get("key") instanceof String key) || key.isEmpty()) {
            throw new ValidationException("event condition needs a 'key' ('*' matches any key)");
        }
        oneOf(config, "valueCondition", "EQUALS", "UPDATED");
        oneOf(config, "life", "REPEATED", "ONCE");
    }

    private static void oneOf(Map<String, Object> config, String field, String... allowed) {
        Object v = config.get(field);
        if (v != null && !Set.of(allowed).contains(v)) {
            throw new ValidationException("event condition field '" + field + "' must be one of " + String.join(", ", allowed));
        }
    }

    @Override
    public boolean mayReact(Map<String, Object> config, Event event) {
        return matches(config, event);
    }

    private static boolean matches(Map<String, Object> config, Event event) {
        return matches(config, "key", "*", event.key())
                && matches(config, "namespace", "default", event.namespace())
                && matches(config, "type", "*", event.type())
                && matches(config, "sender", "*", event.sender())
                && ("UPDATED".equals(config.get("valueCondition")) || matches(config, "value", "*", event.value()));
    }

    @Override
    public ConditionResult evaluate(Map<String, Object> config, Event event, Map<String, String> state) {
        boolean once = "ONCE".equals(config.get("life"));
        if (once && state.containsKey(FIRED)) {
            return new ConditionResult(false, state);
        }
        boolean matches = matches(config, event);
        if (matches && once) {
            return new ConditionResult(true, Map.of(FIRED, Long.toString(event.version())));
        }
        return new ConditionResult(matches, state);
    }

    private static boolean matches(Map<String, Object> config, String field, String defaultPattern, String actual) {
        String pattern = (String) config.getOrDefault(field, defaultPattern);
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.indexOf('*') < 0) {
            return pattern.equals(actual);
        }
        String regex = Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
        return Pattern.compile(regex, Pattern.DOTALL).matcher(actual).matches();
    }
}
