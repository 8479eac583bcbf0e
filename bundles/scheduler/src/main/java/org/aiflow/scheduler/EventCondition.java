package org.aiflow.scheduler;

import static org.aiflow.api.workflow.BuiltInConditionTypes.Event.ANY;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Event.EQUALS;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Event.KEY;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Event.LIFE;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Event.NAMESPACE;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Event.ONCE;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Event.REPEATED;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Event.SENDER;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Event.TYPE;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Event.UPDATED;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Event.VALUE;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Event.VALUE_CONDITION;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.spi.condition.ConditionResult;
import org.aiflow.api.spi.condition.ConditionType;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.aiflow.api.workflow.BuiltInConditionTypes;

/**
 * The built-in {@code event} condition: fires on an event whose fields match.
 *
 * <p>Configuration: {@code key} (required), {@code namespace} (default {@code default}),
 * {@code type}, {@code sender}, {@code value} (default {@code *}); each is matched exactly, with
 * {@code *} standing for any run of characters. {@code valueCondition}: {@code EQUALS} (default:
 * the value must match) or {@code UPDATED} (any new event of the key fires, whatever its value).
 * {@code life}: {@code REPEATED} (default) or {@code ONCE} (fires at most once per workflow
 * execution; persisted in the rule state). The keys and values are
 * {@link org.aiflow.api.workflow.BuiltInConditionTypes.Event}'s.
 *
 * <p>Built in: every scheduler has it; a plugin registered with the same name and a higher service
 * ranking replaces it.
 */
@Component(property = {ConditionType.TYPE_PROPERTY + "=" + BuiltInConditionTypes.EVENT, BuiltInConditions.MARKER + ":Boolean=true",
        Constants.SERVICE_RANKING + ":Integer=" + PluginRegistry.BUILT_IN_RANKING})
public final class EventCondition implements ConditionType {
    private static final Set<String> FIELDS = Set.of(KEY, NAMESPACE, TYPE, SENDER, VALUE, VALUE_CONDITION, LIFE);
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
        if (!(config.get(KEY) instanceof String key) || key.isEmpty()) {
            throw new ValidationException("event condition needs a 'key' ('*' matches any key)");
        }
        oneOf(config, VALUE_CONDITION, EQUALS, UPDATED);
        oneOf(config, LIFE, REPEATED, ONCE);
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
        return matches(config, KEY, ANY, event.key())
                && matches(config, NAMESPACE, EventDraft.DEFAULT_NAMESPACE, event.namespace())
                && matches(config, TYPE, ANY, event.type())
                && matches(config, SENDER, ANY, event.sender())
                && (UPDATED.equals(config.get(VALUE_CONDITION)) || matches(config, VALUE, ANY, event.value()));
    }

    @Override
    public ConditionResult evaluate(Map<String, Object> config, Event event, Map<String, String> state) {
        boolean once = ONCE.equals(config.get(LIFE));
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
        if (pattern.equals(ANY)) {
            return true;
        }
        if (pattern.indexOf('*') < 0) {
            return pattern.equals(actual);
        }
        String regex = Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
        return Pattern.compile(regex, Pattern.DOTALL).matcher(actual).matches();
    }
}
