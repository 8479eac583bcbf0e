package org.aiflow.sample.exporter;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.aiflow.api.event.Event;

/**
 * Events as JSON lines, one object per event, with the field names of the REST API's events:
 * {@code {"version":42,"namespace":"ml","key":"model","value":"v3","type":"MODEL_DEPLOYED","sender":"",
 * "context":{},"createTime":"2026-03-04T12:00:00.123Z","principal":"alice"}}. {@code version} comes
 * first, so that the file sink can read it back from the start of a line. Written by hand: the
 * bundle depends on plugin-api only.
 */
final class JsonLines {
    /** How each line starts, followed by the version's digits. */
    static final String VERSION_PREFIX = "{\"version\":";

    private JsonLines() {
    }

    static String lines(List<Event> events) {
        StringBuilder out = new StringBuilder(events.size() * 200);
        for (Event e : events) {
            line(e, out);
            out.append('\n');
        }
        return out.toString();
    }

    static void line(Event e, StringBuilder out) {
        out.append(VERSION_PREFIX).append(e.version());
        field(out, "namespace", e.namespace());
        field(out, "key", e.key());
        field(out, "value", e.value());
        field(out, "type", e.type());
        field(out, "sender", e.sender());
        out.append(",\"context\":{");
        boolean first = true;
        for (Map.Entry<String, String> c : new TreeMap<>(e.context()).entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, c.getKey());
            out.append(':');
            string(out, c.getValue());
        }
        out.append('}');
        field(out, "createTime", e.createTime() == null ? null : e.createTime().toString());
        field(out, "principal", e.principal());
        out.append('}');
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(",\"").append(name).append("\":");
        string(out, value);
    }

    /** A JSON string (RFC 8259), or null. */
    static void string(StringBuilder out, String s) {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
