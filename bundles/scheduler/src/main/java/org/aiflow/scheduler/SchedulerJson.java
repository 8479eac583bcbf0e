package org.aiflow.scheduler;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.spi.runner.JobHandle;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.aiflow.json.AiflowJson;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.Mark;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * JSON and YAML for workflow files, JSON for persisted job handles.
 *
 * <p>A workflow file is YAML when its name ends in {@code .yaml} or {@code .yml}, or when its first
 * character (after white space) is not <code>{</code>; otherwise JSON. Both are read by the same
 * strict mapping (unknown fields fail, no numbers for strings), so a YAML file can say exactly what a
 * JSON file can, and errors name the line and column in both. Booleans are YAML 1.2's: {@code yes},
 * {@code no}, {@code on}, {@code off} are strings, only {@code true} and {@code false} are booleans.
 * Refused in YAML, with the line and column: a key given twice in one mapping, aliases
 * ({@code *name}, which the mapping cannot expand), tagged values such as {@code !!binary}, and a
 * second document in the file.
 */
final class SchedulerJson {
    private static final ObjectMapper MAPPER = AiflowJson.newMapper();
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() { };
    /** Parsers only: the YAML tokens are mapped by {@link #MAPPER}, so both formats are read by one configuration. */
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private SchedulerJson() {
    }

    /**
     * Reads a workflow definition file, JSON or YAML (see the class comment).
     *
     * @param source the file name (or another name of where the document came from), for messages
     *               and for telling YAML by its extension
     * @throws ValidationException with the file name and what is wrong in it; syntax and type errors
     *                             also name the line and column
     */
    static WorkflowDefinition readWorkflow(String source, String document) {
        boolean yaml = isYaml(source, document);
        try {
            if (!yaml) {
                return MAPPER.readValue(document, WorkflowDefinition.class);
            }
            checkYaml(source, document);
            try (JsonParser parser = YAML.createParser(document)) {
                return MAPPER.readValue(parser, WorkflowDefinition.class);
            }
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ValidationException) {
                throw new ValidationException(source + ": " + cause.getMessage());
            }
            if (cause instanceof NullPointerException) {
                // Map.copyOf / List.copyOf in the records: a null inside options, a config or a list
                throw new ValidationException(source + ": " + path(e) + " holds a null value" + (yaml ? " (in YAML: null or ~)" : "")
                        + "; give it a value or leave it out" + location(locate(yaml, document, e)));
            }
            throw new ValidationException(source + ": " + e.getOriginalMessage());
        } catch (PropertyBindingException e) {
            // an unknown field: the records' properties are buffered, so Jackson's location is the object's end
            JsonLocation at = locate(yaml, document, e);
            throw new ValidationException(source + ": " + e.getOriginalMessage() + location(at != null ? at : e.getLocation()));
        } catch (MarkedYAMLException e) {
            throw new ValidationException(source + ": " + yamlProblem(e));
        } catch (JsonProcessingException e) {
            String message = yaml ? firstLine(e.getOriginalMessage()) : e.getOriginalMessage();
            throw new ValidationException(source + ": " + message + location(e.getLocation()));
        } catch (IOException e) {
            throw new ValidationException(source + ": " + e.getMessage());
        }
    }

    /** YAML by the file name, or by content: anything that does not start like a JSON object. */
    static boolean isYaml(String source, String document) {
        String name = source == null ? "" : source.toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return true;
        }
        for (int i = 0; i < document.length(); i++) {
            char c = document.charAt(i);
            if (!Character.isWhitespace(c) && c != '\uFEFF') {
                return c != '{';
            }
        }
        return true;
    }

    /**
     * Walks the YAML once before mapping it, for what the mapping would not report: an alias would
     * arrive as the plain text of its anchor's name, and a second document would be ignored.
     */
    private static void checkYaml(String source, String document) throws IOException {
        try (JsonParser p = YAML.createParser(document)) {
            int depth = 0;
            boolean rootSeen = false;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (depth == 0 && rootSeen) {
                    throw new ValidationException(source + ": a workflow file holds one YAML document; another one starts here"
                            + location(p.currentTokenLocation()));
                }
                if (t == JsonToken.VALUE_EMBEDDED_OBJECT) {
                    throw new ValidationException(source + ": tagged YAML values such as !!binary are not supported"
                            + location(p.currentTokenLocation()));
                }
                if (p instanceof YAMLParser y && y.isCurrentAlias()) {
                    throw new ValidationException(source + ": YAML aliases are not supported (*" + p.getText()
                            + "): write the value out" + location(p.currentTokenLocation()));
                }
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                }
                rootSeen |= depth == 0;
            }
        }
    }

    /**
     * Where the value at the mapping error's path starts (for a field: its name), found by reading
     * the document again; null if it cannot be found.
     */
    private static JsonLocation locate(boolean yaml, String document, JsonMappingException e) {
        JsonPointer wanted = JsonPointer.empty();
        for (JsonMappingException.Reference r : e.getPath()) {
            wanted = r.getFieldName() != null ? wanted.appendProperty(r.getFieldName()) : wanted.appendIndex(r.getIndex());
        }
        try (JsonParser p = yaml ? YAML.createParser(document) : MAPPER.createParser(document)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t != JsonToken.END_OBJECT && t != JsonToken.END_ARRAY && p.getParsingContext().pathAsPointer().equals(wanted)) {
                    return p.currentTokenLocation();
                }
            }
        } catch (IOException | RuntimeException notFound) {
            // the mapping read the document, so this does not happen; the message stands without a location
        }
        return null;
    }

    /** Where in the document the mapping was, as {@code tasks[1].job}; the document itself if at its root. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "the workflow" : "'" + path + "'";
    }

    /** SnakeYAML's own account: the problem where it was found, and what was being read since where. */
    private static String yamlProblem(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? firstLine(e.getOriginalMessage()) : e.getProblem();
        StringBuilder text = new StringBuilder(problem).append(mark(e.getProblemMark()));
        if (e.getContext() != null && !e.getContext().isBlank()) {
            text.append(", ").append(e.getContext());
            if (e.getContextMark() != null) {
                text.append(" that starts at line ").append(e.getContextMark().getLine() + 1)
                        .append(", column ").append(e.getContextMark().getColumn() + 1);
            }
        }
        return text.toString();
    }

    /** SnakeYAML's marks count from 0. */
    private static String mark(Mark mark) {
        return mark == null ? "" : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
    }

    /** SnakeYAML's messages end in a quoted excerpt of the document; the location says the same. */
    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable document";
        }
        String line = message.strip();
        int nl = line.indexOf('\n');
        return nl < 0 ? line : line.substring(0, nl).strip();
    }

    private static String location(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    static String writeHandle(JobHandle handle) {
        try {
            return MAPPER.writeValueAsString(handle);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write job handle", e);
        }
    }

    static JobHandle readHandle(String json) {
        try {
            return MAPPER.readValue(json, JobHandle.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored job handle is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    /** A workflow definition as JSON, for a command to the leader. */
    static String writeDefinition(WorkflowDefinition definition) {
        try {
            return MAPPER.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new ValidationException("cannot write the workflow definition: " + e.getOriginalMessage());
        }
    }

    static WorkflowDefinition readDefinition(String json) {
        try {
            return MAPPER.readValue(json, WorkflowDefinition.class);
        } catch (JsonProcessingException e) {
            throw new ValidationException("cannot read the workflow definition: " + e.getOriginalMessage());
        }
    }

    /** A map of strings as JSON (a command's arguments or answer), in the map's order. */
    static String writeStrings(Map<String, String> map) {
        try {
            return MAPPER.writeValueAsString(new LinkedHashMap<>(map));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws IllegalArgumentException if {@code json} is not an object of strings */
    static Map<String, String> readStrings(String json) {
        try {
            return MAPPER.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object of strings: " + e.getOriginalMessage(), e);
        }
    }
}
