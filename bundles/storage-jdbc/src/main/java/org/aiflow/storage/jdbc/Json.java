package org.aiflow.storage.jdbc;

import java.util.List;
import java.util.Map;

import org.aiflow.json.AiflowJson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON columns' codec: event context, workflow definitions, job handles. */
final class Json {
    static final ObjectMapper MAPPER = AiflowJson.newTolerantMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable as " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    static <T> List<T> readList(String json, Class<T> element) {
        try {
            return MAPPER.readValue(json, MAPPER.getTypeFactory().constructCollectionType(List.class, element));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON list is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, String> readStringMap(String json) {
        try {
            return json == null || json.isEmpty() ? Map.of() : MAPPER.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON map is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
