package org.aiflow.scheduler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which of many items (workflows, running executions) may react to an event, by one hash lookup of
 * the event's key instead of one per item: built from each item's {@link EventInterest}. Items
 * interested in everything are candidates for every event. Candidates come in the order the items
 * were given, so deciding stays deterministic. Immutable once built.
 */
final class InterestIndex<T> {
    private final Map<String, List<T>> byKey = new HashMap<>();
    private final List<T> always = new ArrayList<>();
    private final Map<T, Integer> position = new IdentityHashMap<>();

    InterestIndex(Collection<T> items, Function<T, EventInterest> interest) {
        int i = 0;
        for (T item : items) {
            position.put(item, i++);
            EventInterest e = interest.apply(item);
            if (e.everything()) {
                always.add(item);
            } else {
                e.keys().forEach(k -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(item));
            }
        }
    }

    /** The items that may react to an event with this {@link EventInterest#keyOf key}, in their original order. */
    List<T> candidates(String eventKey) {
        List<T> exact = byKey.getOrDefault(eventKey, List.of());
        if (always.isEmpty()) {
            return exact;
        }
        if (exact.isEmpty()) {
            return always;
        }
        List<T> merged = new ArrayList<>(exact.size() + always.size());
        int a = 0;
        int b = 0;
        while (a < exact.size() || b < always.size()) {
            if (b >= always.size() || (a < exact.size() && position.get(exact.get(a)) < position.get(always.get(b)))) {
                merged.add(exact.get(a++));
            } else {
                merged.add(always.get(b++));
            }
        }
        return merged;
    }
}
