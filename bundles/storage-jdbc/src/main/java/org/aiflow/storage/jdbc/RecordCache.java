package org.aiflow.storage.jdbc;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Records read by key (a model or a dataset by namespace and name), kept exact by the store's own
 * writes. Only for a database no other process writes (embedded H2: this process holds its file);
 * on a shared database the cache is disabled and every read goes to the database.
 *
 * <p>Exactness: a writer calls {@link #changed} after its transaction committed and before it
 * returns. A reader notes the change count before it loads, stores what it loaded, and takes it back
 * if a change happened meanwhile; a change that comes after that check removes the entry itself. So
 * no entry outlives a committed change, and a caller reads its own writes. Absent records are not
 * cached. Reads that overlap a write may see the record before or after it, as from the database.
 */
final class RecordCache<K, V> {
    /** Bounds memory: beyond this many records the cache is emptied and fills again with what is read. */
    static final int MAX_RECORDS = 10_000;

    private final ConcurrentHashMap<K, V> records;
    private final AtomicLong changes = new AtomicLong();

    /** @param enabled false: every {@link #get} loads (a database other processes write, see {@link JdbcStorage#exclusive}) */
    RecordCache(boolean enabled) {
        this.records = enabled ? new ConcurrentHashMap<>() : null;
    }

    Optional<V> get(K key, Supplier<Optional<V>> load) {
        if (records == null) {
            return load.get();
        }
        V cached = records.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        long before = changes.get();
        Optional<V> loaded = load.get();
        loaded.ifPresent(v -> {
            if (records.size() >= MAX_RECORDS) {
                records.clear();
            }
            records.put(key, v);
            if (changes.get() != before) {
                records.remove(key, v);
            }
        });
        return loaded;
    }

    /** After a committed change of the record at {@code key} (also after a failed attempt: harmless). */
    void changed(K key) {
        if (records != null) {
            changes.incrementAndGet();
            records.remove(key);
        }
    }
}
