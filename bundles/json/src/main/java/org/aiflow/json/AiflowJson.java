package org.aiflow.json;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.aiflow.api.event.SubscriptionInfo;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

/**
 * Creates the platform's configured {@link ObjectMapper}: API records in and out with their
 * component names, {@link Instant} as ISO-8601 text, unknown fields and numbers-for-strings
 * rejected. Each call returns a new mapper; a mapper is thread-safe once configured.
 */
public final class AiflowJson {
    private AiflowJson() {
    }

    /** A strict mapper: unknown fields fail, as input from users and clients must. */
    public static ObjectMapper newMapper() {
        SimpleModule instants = new SimpleModule("aiflow-instants")
                .addSerializer(Instant.class, ToStringSerializer.instance)
                .addDeserializer(Instant.class, new InstantDeserializer());
        JsonMapper mapper = JsonMapper.builder()
                .addModule(instants)
                .addMixIn(SubscriptionInfo.class, SubscriptionInfoJson.class)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // a number or boolean where text is expected is a mistake, not something to convert
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

    /** A tolerant mapper for the platform's own stored JSON, which newer versions may extend. */
    public static ObjectMapper newTolerantMapper() {
        ObjectMapper mapper = newMapper();
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return mapper;
    }

    /** Shows the derived {@code lag} in JSON; accepts it (and ignores it) when reading. */
    @JsonIgnoreProperties(value = "lag", allowGetters = true)
    private abstract static class SubscriptionInfoJson {
        @JsonProperty("lag")
        abstract long lag();
    }

    private static final class InstantDeserializer extends StdScalarDeserializer<Instant> {
        private static final long serialVersionUID = 1L;

        InstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException | NullPointerException e) {
                return (Instant) ctxt.handleWeirdStringValue(Instant.class, text,
                        "expected an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            }
        }
    }
}
