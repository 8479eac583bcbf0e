package org.aiflow.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.CharBuffer;
import java.util.stream.Collectors;

import javax.ws.rs.Consumes;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.MessageBodyReader;
import javax.ws.rs.ext.MessageBodyWriter;
import javax.ws.rs.ext.Provider;

import org.aiflow.api.error.AiflowException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.json.AiflowJson;
import org.aiflow.json.StrictText;
import org.osgi.service.component.annotations.Component;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;


/**
 * Our own Jackson MessageBodyReader/Writer (no jackson-jaxrs-json-provider, no aries jackson bundle):
 * the platform's strict mapper, and every Jackson failure becomes a ValidationException (a 400 problem body).
 */
@Component(service = JsonProvider.class)
@Provider
@Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class JsonProvider implements MessageBodyReader<Object>, MessageBodyWriter<Object> {

    static final ObjectMapper MAPPER = AiflowJson.newMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    /** The container owns the response stream: Jackson must not close it. */
    private static final ObjectWriter WRITER = MAPPER.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private static boolean handles(Class<?> type, MediaType mt) {
        return mt != null && (MediaType.APPLICATION_JSON_TYPE.isCompatible(mt) || mt.getSubtype().endsWith("+json"))
            && type != String.class && !InputStream.class.isAssignableFrom(type) && type != byte[].class
            && !Response.class.isAssignableFrom(type);
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return handles(type, mediaType);
    }

    @Override
    public Object readFrom(Class<Object> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> httpHeaders, InputStream entityStream) throws IOException {
        byte[] bytes;
        try {
            bytes = entityStream.readAllBytes(); // capped by BodyLimitFilter
        } catch (IOException e) {
            throw translate(e);
        }
        return read(bytes, MAPPER.constructType(genericType));
    }

    /**
     * Reads a request body strictly: UTF-8 only (decoded here, so Jackson neither guesses UTF-16 nor
     * accepts overlong forms), no unpaired surrogate escapes, an object unless a list is expected,
     * nothing after it.
     */
    static Object read(byte[] bytes, JavaType type) {
        CharBuffer text = StrictText.decodeUtf8("request body", bytes);
        StrictText.checkJsonEscapes("request body", text);
        try (JsonParser p = MAPPER.createParser(text.array(), text.arrayOffset() + text.position(), text.remaining())) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ValidationException("request body is empty");
            }
            boolean object = !type.isCollectionLikeType() && !type.isArrayType();
            if (object && first != JsonToken.START_OBJECT) {
                throw new ValidationException("request body must be a JSON object, not " + describe(first));
            }
            return MAPPER.readValue(p, type);
        } catch (IOException e) {
            throw translate(e);
        }
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
        };
    }

    static RuntimeException translate(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyLimitFilter.TooLarge tl) {
                return new PayloadTooLargeException(tl.cap);
            }
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return new ValidationException("unknown field '" + path(u) + "'");
        }
        if (e instanceof ValueInstantiationException v && v.getCause() instanceof AiflowException a) {
            return a; // validation in a record's compact constructor
        }
        if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            return new ValidationException(v.getCause().getMessage());
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() == java.time.Instant.class) {
            return new ValidationException("field '" + path(f) + "' must be " + StrictText.INSTANT_RANGE);
        }
        if (e instanceof InputCoercionException c) {
            return new ValidationException("number out of range at line " + c.getLocation().getLineNr()
                + ", column " + c.getLocation().getColumnNr() + ": " + c.getOriginalMessage());
        }
        if (e instanceof MismatchedInputException m) {
            if (m.getPath().isEmpty()) {
                return new ValidationException(m.getMessage().startsWith("No content")
                    ? "request body is empty" : "request body must be " + shape(m.getTargetType()));
            }
            return new ValidationException("field '" + path(m) + "' must be " + shape(m.getTargetType()));
        }
        if (e instanceof JsonParseException p) {
            return new ValidationException("malformed JSON at line " + p.getLocation().getLineNr()
                + ", column " + p.getLocation().getColumnNr() + ": " + p.getOriginalMessage());
        }
        if (e instanceof JsonMappingException m) {
            return new ValidationException("invalid JSON: " + m.getOriginalMessage());
        }
        if (e instanceof JsonProcessingException p) {
            return new ValidationException("invalid JSON: " + p.getOriginalMessage());
        }
        return new ValidationException("could not read the request body: " + e.getMessage());
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String shape(Class<?> t) {
        if (t == null) return "of another type";
        if (t.isEnum()) return "one of " + java.util.Arrays.toString(t.getEnumConstants());
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class) return "an integer";
        if (t == double.class || t == Double.class || t == float.class || t == Float.class) return "a number";
        if (t == boolean.class || t == Boolean.class) return "a boolean";
        if (t == String.class) return "a string";
        if (t == java.time.Instant.class) return StrictText.INSTANT_RANGE;
        if (java.util.Collection.class.isAssignableFrom(t) || t.isArray()) return "an array";
        return "an object";
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return handles(type, mediaType);
    }

    @Override
    public void writeTo(Object t, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) throws IOException {
        WRITER.writeValue(entityStream, t);
    }
}
