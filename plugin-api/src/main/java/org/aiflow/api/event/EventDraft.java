package org.aiflow.api.event;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

import org.aiflow.api.error.Names;
import org.aiflow.api.error.TooLargeException;
import org.aiflow.api.error.ValidationException;

/**
 * An event to publish. Validated on construction, so a draft that exists is well-formed.
 *
 * <p>Grammar:
 * <ul>
 * <li>{@code namespace}: an identifier ({@link Names#IDENTIFIER}); null or empty means {@value #DEFAULT_NAMESPACE}</li>
 * <li>{@code key}: 1-255 characters, no control characters</li>
 * <li>{@code type}: 1-64 characters {@code A-Z a-z 0-9 _ . : -}; null or empty means {@value #DEFAULT_TYPE}</li>
 * <li>{@code sender}: 0-128 characters {@code A-Z a-z 0-9 _ . : @ -}; null means empty</li>
 * <li>{@code value}: any text; null means empty. Its size cap is the service's (default 1 MiB UTF-8)</li>
 * <li>{@code context}: at most 64 entries; keys 1-128 characters, values at most 4096, no nulls</li>
 * <li>{@code idempotencyKey}: optional, 1-128 characters; a re-send with the same key returns the
 *     originally stored event and stores nothing new</li>
 * <li>{@code principal}: who publishes it, as authenticated; set by the service that received the
 *     draft (the REST API overwrites whatever a client sends), unlike {@code sender}, which the
 *     publisher chooses. Null means empty (the platform itself or an embedding host)</li>
 * </ul>
 */
public record EventDraft(String namespace, String key, String value, String type, String sender,
                         Map<String, String> context, String idempotencyKey, String principal) {

    public static final String DEFAULT_NAMESPACE = "default";
    public static final String DEFAULT_TYPE = "UNDEFINED";
    public static final int MAX_KEY_LENGTH = 255;
    public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_.:\\-]{1,64}");
    private static final Pattern SENDER = Pattern.compile("[A-Za-z0-9_.:@\\-]{0,128}");

    public EventDraft {
        namespace = namespace == null || namespace.isEmpty() ? DEFAULT_NAMESPACE : Names.identifier("namespace", namespace);
        Names.text("key", key, MAX_KEY_LENGTH);
        value = value == null ? "" : value;
        type = type == null || type.isEmpty() ? DEFAULT_TYPE : type;
        if (!TYPE.matcher(type).matches()) {
            throw new ValidationException("type '" + Names.printable(type) + "' is invalid: use 1-64 characters A-Z a-z 0-9 _ . : -");
        }
        sender = sender == null ? "" : sender;
        if (!SENDER.matcher(sender).matches()) {
            throw new ValidationException("sender '" + Names.printable(sender) + "' is invalid: use 0-128 characters A-Z a-z 0-9 _ . : @ -");
        }
        context = context == null ? Map.of() : context;
        if (context.size() > 64) {
            throw new ValidationException("context has more than 64 entries");
        }
        for (Map.Entry<String, String> e : context.entrySet()) {
            Names.text("context key", e.getKey(), 128);
            if (e.getValue() == null || e.getValue().length() > 4096) {
                throw new ValidationException("context value of '" + Names.printable(e.getKey()) + "' must be 0-4096 characters");
            }
        }
        context = Map.copyOf(context);
        if (idempotencyKey != null) {
            Names.text("idempotencyKey", idempotencyKey, 128);
        }
        principal = principal == null ? "" : principal;
        if (principal.length() > 128 || principal.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException("principal must be at most 128 characters without control characters");
        }
    }

    /** A draft without a principal (the 1.0 signature): the receiving service sets it. */
    public EventDraft(String namespace, String key, String value, String type, String sender, Map<String, String> context,
                      String idempotencyKey) {
        this(namespace, key, value, type, sender, context, idempotencyKey, null);
    }

    /** This draft as published by {@code who}. */
    public EventDraft withPrincipal(String who) {
        return new EventDraft(namespace, key, value, type, sender, context, idempotencyKey, who);
    }

    /** A draft in the default namespace with the default type and no context. */
    public static EventDraft of(String key, String value) {
        return new EventDraft(null, key, value, null, null, null, null);
    }

    /** Size of the value in UTF-8 bytes, the unit of the service's value cap. */
    public int valueBytes() {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Throws {@link TooLargeException} if the value is larger than {@code maxBytes} UTF-8 bytes. */
    public void checkValueSize(int maxBytes) {
        int size = valueBytes();
        if (size > maxBytes) {
            throw new TooLargeException("value is " + size + " bytes, more than the limit of " + maxBytes + " bytes");
        }
    }
}
