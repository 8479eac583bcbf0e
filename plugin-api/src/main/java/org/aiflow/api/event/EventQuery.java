package org.aiflow.api.event;

import java.time.Instant;
import java.util.List;

import org.aiflow.api.error.ValidationException;

/**
 * Filters for reading the event log. Empty lists and null bounds mean "no filter"; filters of
 * different fields combine with AND, values of one field with OR. Results are ordered by version
 * ascending; page through a large result by passing the last version seen as the next
 * {@code afterVersion}. A {@code descending} query returns the newest {@code limit} matching events
 * of the version range instead, newest first; page back to older ones by passing the smallest
 * version seen minus one as the next {@code untilVersion}.
 *
 * @param namespaces   only these namespaces
 * @param keys         only these keys (exact match)
 * @param types        only these types
 * @param senders      only these senders
 * @param afterVersion only versions strictly greater than this (0 = from the start)
 * @param untilVersion only versions up to and including this; null = no upper bound
 * @param fromTime     only events created at or after this instant; null = no lower bound
 * @param toTime       only events created strictly before this instant; null = no upper bound
 * @param limit        at most this many events, 1-{@value #MAX_LIMIT} (ignored by counts)
 * @param descending   by version descending: the newest {@code limit} matching events first
 *                     (ignored by counts)
 * @since 1.2
 */
public record EventQuery(List<String> namespaces, List<String> keys, List<String> types, List<String> senders,
                         long afterVersion, Long untilVersion, Instant fromTime, Instant toTime, int limit,
                         boolean descending) {

    public static final int MAX_LIMIT = 10_000;

    public EventQuery {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        keys = keys == null ? List.of() : List.copyOf(keys);
        types = types == null ? List.of() : List.copyOf(types);
        senders = senders == null ? List.of() : List.copyOf(senders);
        if (afterVersion < 0) {
            throw new ValidationException("afterVersion must be >= 0");
        }
        if (untilVersion != null && untilVersion < afterVersion) {
            throw new ValidationException("untilVersion must not be below afterVersion");
        }
        if (fromTime != null && toTime != null && toTime.isBefore(fromTime)) {
            throw new ValidationException("toTime must not be before fromTime");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ValidationException("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    /** An ascending query (the order before 1.2). */
    public EventQuery(List<String> namespaces, List<String> keys, List<String> types, List<String> senders,
                      long afterVersion, Long untilVersion, Instant fromTime, Instant toTime, int limit) {
        this(namespaces, keys, types, senders, afterVersion, untilVersion, fromTime, toTime, limit, false);
    }

    /** Every event after {@code afterVersion}, up to {@code limit}. */
    public static EventQuery after(long afterVersion, int limit) {
        return new EventQuery(null, null, null, null, afterVersion, null, null, null, limit);
    }

    /** The same filters, from another version on: the next page (of an ascending query). */
    public EventQuery withAfterVersion(long version) {
        return new EventQuery(namespaces, keys, types, senders, version, untilVersion, fromTime, toTime, limit, descending);
    }

    /** The same filters up to another version: the next, older page of a descending query. */
    public EventQuery withUntilVersion(Long version) {
        return new EventQuery(namespaces, keys, types, senders, afterVersion, version, fromTime, toTime, limit, descending);
    }

    /** The same filters in the other order if {@code descending} differs. */
    public EventQuery withDescending(boolean descending) {
        return new EventQuery(namespaces, keys, types, senders, afterVersion, untilVersion, fromTime, toTime, limit, descending);
    }

    /** True when no field but the version range and limit is set. */
    public boolean unfiltered() {
        return namespaces.isEmpty() && keys.isEmpty() && types.isEmpty() && senders.isEmpty() && fromTime == null && toTime == null;
    }
}
