package org.aiflow.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class RecordCacheTest {
    private final AtomicInteger loads = new AtomicInteger();

    private Optional<String> load(String value) {
        loads.incrementAndGet();
        return Optional.ofNullable(value);
    }

    @Test
    void aLoadedRecordIsServedUntilItChanges() {
        RecordCache<String, String> cache = new RecordCache<>(true);
        assertThat(cache.get("m", () -> load("v1"))).contains("v1");
        assertThat(cache.get("m", () -> load("never"))).contains("v1");
        assertThat(loads).hasValue(1);

        cache.changed("m");
        assertThat(cache.get("m", () -> load("v2"))).contains("v2");
        assertThat(loads).hasValue(2);
    }

    @Test
    void aChangeDuringTheLoadKeepsTheLoadedValueOutOfTheCache() {
        RecordCache<String, String> cache = new RecordCache<>(true);
        // the reader read v1 from the database, then a writer committed v2 and reported it, then the reader stores v1
        assertThat(cache.get("m", () -> {
            cache.changed("m");
            return load("v1");
        })).contains("v1");
        assertThat(cache.get("m", () -> load("v2"))).contains("v2");
        assertThat(loads).hasValue(2);
    }

    @Test
    void absentRecordsAreNotCached() {
        RecordCache<String, String> cache = new RecordCache<>(true);
        assertThat(cache.get("m", () -> load(null))).isEmpty();
        assertThat(cache.get("m", () -> load("created"))).contains("created");
    }

    @Test
    void aDisabledCacheAlwaysLoads() {
        RecordCache<String, String> cache = new RecordCache<>(false);
        cache.get("m", () -> load("v1"));
        assertThat(cache.get("m", () -> load("v2"))).contains("v2");
        assertThat(loads).hasValue(2);
    }

    @Test
    void onlyAnEmbeddedH2DatabaseIsExclusive() {
        assertThat(JdbcStorage.isExclusive("H2", "jdbc:h2:file:/data/aiflow/h2/aiflow;MODE=MariaDB;WRITE_DELAY=0")).isTrue();
        assertThat(JdbcStorage.isExclusive("H2", "jdbc:h2:mem:test")).isTrue();
        assertThat(JdbcStorage.isExclusive("H2", "jdbc:h2:file:/data/db;AUTO_SERVER=TRUE")).isFalse();
        assertThat(JdbcStorage.isExclusive("H2", "jdbc:h2:tcp://db:9092/aiflow")).isFalse();
        assertThat(JdbcStorage.isExclusive("MariaDB", "jdbc:mariadb://127.0.0.1:3306/aiflow")).isFalse();
    }
}
