package org.aiflow.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.Constants;

/**
 * A whiteboard of plugins of one kind, keyed by a name service property. When several plugins share
 * a name, the highest service ranking wins (then the oldest service). Thread-safe; listeners are
 * told about every change so the scheduler can react at once (re-attach, mark waiting).
 *
 * @param <T> the plugin type
 */
final class PluginRegistry<T> {
    private record Entry<T>(String name, int ranking, long serviceId, T plugin) {
    }

    private final String nameProperty;
    private final List<Entry<T>> entries = new ArrayList<>();
    private volatile Runnable onChange = () -> { };

    PluginRegistry(String nameProperty) {
        this.nameProperty = nameProperty;
    }

    void onChange(Runnable listener) {
        this.onChange = listener;
    }

    /** Adds a plugin; one without the name property is ignored and reported as such. */
    boolean add(T plugin, Map<String, ?> properties) {
        Object name = properties.get(nameProperty);
        if (!(name instanceof String s) || s.isEmpty()) {
            return false;
        }
        synchronized (entries) {
            entries.add(new Entry<>(s, ranking(properties), serviceId(properties), plugin));
        }
        onChange.run();
        return true;
    }

    void remove(T plugin) {
        synchronized (entries) {
            entries.removeIf(e -> e.plugin() == plugin);
        }
        onChange.run();
    }

    Optional<T> get(String name) {
        synchronized (entries) {
            return entries.stream().filter(e -> e.name().equals(name)).sorted(order()).map(Entry::plugin).findFirst();
        }
    }

    /** Distinct names, sorted. */
    List<String> names() {
        synchronized (entries) {
            return entries.stream().map(Entry::name).distinct().sorted().toList();
        }
    }

    /** Names of every plugin, highest ranking first. */
    List<String> namesByRanking() {
        synchronized (entries) {
            return entries.stream().sorted(order()).map(Entry::name).toList();
        }
    }

    /** Every plugin, highest ranking first. */
    List<T> all() {
        synchronized (entries) {
            return entries.stream().sorted(order()).map(Entry::plugin).toList();
        }
    }

    private static <T> Comparator<Entry<T>> order() {
        return Comparator.<Entry<T>>comparingInt(e -> -e.ranking()).thenComparingLong(Entry::serviceId);
    }

    private static int ranking(Map<String, ?> properties) {
        return properties.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    private static long serviceId(Map<String, ?> properties) {
        return properties.get(Constants.SERVICE_ID) instanceof Long l ? l : Long.MAX_VALUE;
    }
}
