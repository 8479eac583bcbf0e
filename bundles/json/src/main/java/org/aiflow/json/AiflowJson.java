package org.aiflow.json;

import java.io.IOException;
import java.time.Instant;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.SubscriptionInfo;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
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
 * component names, {@link Instant} as ISO-8601 text within {@link StrictText#MIN_INSTANT} and
 * {@link StrictText#MAX_INSTANT}; rejected: unknown fields, scalars of the wrong kind (numbers for
 * strings, fractions or text for integers, numbers or text for booleans, null for primitives), a
 * field given twice in one object and content after the document. Each call returns a new mapper; a mapper is thread-safe once configured.
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
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // {"name":"a","name":"b"} is ambiguous: Jackson would silently keep the last one
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // "revision": 1.5 is a mistake: truncating it to 1 would quote the wrong revision
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // a number or boolean where text is expected is a mistake, not something to convert
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
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
                return StrictText.instant("an instant", text);
            } catch (ValidationException e) {
                return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "expected " + StrictText.INSTANT_RANGE);
            }
        }
    }
}
