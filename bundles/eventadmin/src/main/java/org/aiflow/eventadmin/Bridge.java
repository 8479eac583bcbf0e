package org.aiflow.eventadmin;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;

/**
 * What the bridge decides, without OSGi: which platform events go out and under which EventAdmin
 * topic with which properties, and which platform event an EventAdmin event becomes. Events that
 * crossed the bridge once are marked and never cross back (no echo loops).
 */
final class Bridge {
    /** Property of every EventAdmin event the bridge posts; an inbound event carrying it is ignored. */
    static final String BRIDGED = "aiflow.bridged";
    /** Properties of the EventAdmin events the bridge posts (and reads back, inbound). */
    static final String NAMESPACE = "aiflow.namespace";
    static final String KEY = "aiflow.key";
    static final String VALUE = "aiflow.value";
    static final String TYPE = "aiflow.type";
    static final String SENDER = "aiflow.sender";
    static final String VERSION = "aiflow.version";
    static final String CREATE_TIME = "aiflow.createTime";
    /** Context entries of a platform event are posted as properties {@code aiflow.context.<name>}. */
    static final String CONTEXT_PREFIX = "aiflow.context.";
    /** Context entry of an inbound event: the EventAdmin topic it came from. */
    static final String TOPIC_CONTEXT = "osgi.topic";
    private static final Pattern TOPIC_TOKEN_CHAR = Pattern.compile("[^A-Za-z0-9_\\-]");
    private static final int MAX_CONTEXT_VALUE = 4096;

    private final List<Pattern> outbound;
    private final String topicPrefix;
    private final String inboundNamespace;
    private final String sender;

    /**
     * @param outbound         platform events to re-post: {@code <namespace>} or {@code <namespace>/<key>}, {@code *} any run of characters
     * @param topicPrefix      EventAdmin topic prefix of re-posted events, e.g. {@code org/aiflow/event}
     * @param inboundNamespace namespace of events published from EventAdmin
     * @param sender           sender of events published from EventAdmin (never re-posted)
     */
    Bridge(List<String> outbound, String topicPrefix, String inboundNamespace, String sender) {
        this.outbound = outbound.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Bridge::pattern).toList();
        this.topicPrefix = trimSlashes(topicPrefix);
        if (!Arrays.stream(this.topicPrefix.split("/", -1)).allMatch(t -> !t.isEmpty() && !TOPIC_TOKEN_CHAR.matcher(t).find())) {
            throw new IllegalArgumentException("outboundTopicPrefix '" + topicPrefix + "' is not an EventAdmin topic (tokens of A-Z a-z 0-9 _ - separated by /)");
        }
        // validated the way the event log will: a bad namespace or sender fails the activation, not every event
        new EventDraft(inboundNamespace, "check", "", null, sender, null, null);
        this.inboundNamespace = inboundNamespace;
        this.sender = sender;
    }

    boolean hasOutbound() {
        return !outbound.isEmpty();
    }

    /** Whether a platform event is re-posted: it matches a pattern and did not come from EventAdmin. */
    boolean goesOut(Event event) {
        if (event.sender().equals(sender)) {
            return false;
        }
        String both = event.namespace() + "/" + event.key();
        return outbound.stream().anyMatch(p -> p.matcher(event.namespace()).matches() || p.matcher(both).matches());
    }

    /** {@code <prefix>/<namespace>/<key>}, each '/' of the key a topic separator, other characters not allowed in a token '_'. */
    String topic(Event event) {
        StringBuilder topic = new StringBuilder(topicPrefix).append('/').append(token(event.namespace()));
        for (String part : event.key().split("/", -1)) {
            topic.append('/').append(token(part));
        }
        return topic.toString();
    }

    Map<String, Object> properties(Event event) {
        Map<String, Object> p = new HashMap<>();
        p.put(BRIDGED, Boolean.TRUE);
        p.put(NAMESPACE, event.namespace());
        p.put(KEY, event.key());
        p.put(VALUE, event.value());
        p.put(TYPE, event.type());
        p.put(SENDER, event.sender());
        p.put(VERSION, event.version());
        if (event.createTime() != null) {
            p.put(CREATE_TIME, event.createTime().toEpochMilli());
        }
        event.context().forEach((k, v) -> p.put(CONTEXT_PREFIX + k, v));
        return p;
    }

    /**
     * The platform event an EventAdmin event becomes, or null if it crossed the bridge already. Key:
     * the property {@code aiflow.key} if it is a string, else the topic; value: {@code aiflow.value},
     * else {@code value}, as text; type: {@code aiflow.type} if valid, else {@code OSGI_EVENT}; other
     * simple properties (strings, numbers, booleans) go into the context, with the topic as {@code osgi.topic}.
     */
    EventDraft inbound(String topic, Map<String, Object> properties) {
        if (Boolean.TRUE.equals(properties.get(BRIDGED))) {
            return null;
        }
        String key = properties.get(KEY) instanceof String k && !k.isBlank() ? k : topic;
        Object value = properties.containsKey(VALUE) ? properties.get(VALUE) : properties.get("value");
        String type = properties.get(TYPE) instanceof String t && t.matches("[A-Za-z0-9_.:\\-]{1,64}") ? t : "OSGI_EVENT";
        Map<String, String> context = new LinkedHashMap<>();
        context.put(TOPIC_CONTEXT, topic);
        properties.entrySet().stream()
                .filter(e -> !e.getKey().equals(KEY) && !e.getKey().equals(VALUE) && !e.getKey().equals(TYPE)
                        && !e.getKey().equals("value") && !e.getKey().equals("event.topics"))
                .filter(e -> e.getValue() instanceof String || e.getValue() instanceof Number || e.getValue() instanceof Boolean)
                .sorted(Map.Entry.comparingByKey())
                .limit(63)
                .forEach(e -> context.put(e.getKey(), truncate(String.valueOf(e.getValue()))));
        return new EventDraft(inboundNamespace, key, value == null ? "" : String.valueOf(value), type, sender, context, null);
    }

    private static String truncate(String s) {
        return s.length() <= MAX_CONTEXT_VALUE ? s : s.substring(0, MAX_CONTEXT_VALUE);
    }

    private static String token(String s) {
        return s.isEmpty() ? "_" : TOPIC_TOKEN_CHAR.matcher(s).replaceAll("_");
    }

    private static String trimSlashes(String s) {
        String t = s == null ? "" : s.trim();
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    private static Pattern pattern(String glob) {
        return Pattern.compile(Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")));
    }
}
