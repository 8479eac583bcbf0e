package org.aiflow.api.event;

import java.util.List;

import org.aiflow.api.error.ValidationException;

/**
 * Filters for listing events. Empty lists and null bounds mean "no filter". Results are ordered
 * by version ascending.
 *
 * @param namespaces   only these namespaces
 * @param keys         only these keys
 * @param types        only these types
 * @param afterVersion only versions strictly greater than this (0 = from the start)
 * @param limit        at most this many events, 1-10000
 */
public record EventQuery(List<String> namespaces, List<String> keys, List<String> types, long afterVersion, int limit) {

    public static final int MAX_LIMIT = 10_000;

    public EventQuery {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        keys = keys == null ? List.of() : List.copyOf(keys);
        types = types == null ? List.of() : List.copyOf(types);
        if (afterVersion < 0) {
            throw new ValidationException("afterVersion must be >= 0");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ValidationException("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    /** Every event after {@code afterVersion}, up to {@code limit}. */
    public static EventQuery after(long afterVersion, int limit) {
        return new EventQuery(null, null, null, afterVersion, limit);
    }
}
