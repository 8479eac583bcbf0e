package org.aiflow.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.Constants;

/**
 * A whiteboard of plugins of one kind, keyed by a name service property. When several plugins share
 * a name, the one OSGi would rank first decides and the others wait behind it: the highest service
 * ranking, then the lowest service id (the oldest service), then the one added first. When it goes,
 * the next one decides again. Thread-safe; listeners are told about every change so the scheduler
 * can react at once (re-attach, mark waiting).
 *
 * @param <T> the plugin type
 */
final class PluginRegistry<T> {
    /**
     * The ranking of the built-in condition types and policies: the lowest there is, so that any
     * plugin of the same name replaces a built-in and the built-in policies are consulted last.
     */
    static final int BUILT_IN_RANKING = Integer.MIN_VALUE;

    private record Entry<T>(String name, int ranking, long serviceId, long added, T plugin) {
    }

    /**
     * OSGi's order ({@code ServiceReference.compareTo}, reversed): highest ranking first, then lowest
     * service id. {@code Integer.compare}, not a negated ranking: {@code -Integer.MIN_VALUE} overflows
     * to itself, which sorted the built-ins (ranked {@link #BUILT_IN_RANKING}) before every plugin.
     */
    private static final Comparator<Entry<?>> ORDER = (a, b) -> {
        int byRanking = Integer.compare(b.ranking(), a.ranking());
        if (byRanking != 0) {
            return byRanking;
        }
        int byId = Long.compare(a.serviceId(), b.serviceId());
        return byId != 0 ? byId : Long.compare(a.added(), b.added());
    };

    private final String nameProperty;
    private final List<Entry<T>> entries = new ArrayList<>();
    private long added;
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
            entries.add(new Entry<>(s, ranking(properties), serviceId(properties), added++, plugin));
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

    /** The plugin that decides for this name. */
    Optional<T> get(String name) {
        synchronized (entries) {
            return entries.stream().filter(e -> e.name().equals(name)).min(ORDER).map(Entry::plugin);
        }
    }

    /** Distinct names, sorted. */
    List<String> names() {
        synchronized (entries) {
            return entries.stream().map(Entry::name).distinct().sorted().toList();
        }
    }

    /** The name of each plugin that decides for its name, highest ranking first. */
    List<String> namesByRanking() {
        return deciding().stream().map(Entry::name).toList();
    }

    /** The plugin that decides for each name, highest ranking first (the ones it replaces left out). */
    List<T> all() {
        return deciding().stream().map(Entry::plugin).toList();
    }

    private List<Entry<T>> deciding() {
        Map<String, Entry<T>> first = new LinkedHashMap<>();
        synchronized (entries) {
            entries.stream().sorted(ORDER).forEach(e -> first.putIfAbsent(e.name(), e));
        }
        return List.copyOf(first.values());
    }

    private static int ranking(Map<String, ?> properties) {
        return properties.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    /** Outside OSGi there is no service id: then the one added first is first among equals. */
    private static long serviceId(Map<String, ?> properties) {
        return properties.get(Constants.SERVICE_ID) instanceof Long l ? l : Long.MAX_VALUE;
    }
}
