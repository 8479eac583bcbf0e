package org.aiflow.storage.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.spi.storage.EventStore;
import org.aiflow.storage.jdbc.mapper.EventMapper;
import org.aiflow.storage.jdbc.mapper.Rows.EventRow;

/**
 * Event log over MyBatis. Versions are allocated under the lock of the event sequence row in the
 * inserting transaction, so commit order equals version order: gap-safe without a high-watermark.
 */
final class MyBatisEventStore implements EventStore {
    private final JdbcStorage storage;

    MyBatisEventStore(JdbcStorage storage) {
        this.storage = storage;
    }

    @Override
    public String backend() {
        return storage.backend();
    }

    @Override
    public List<Event> append(List<EventDraft> drafts) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        return storage.inTransaction(session -> {
            EventMapper mapper = session.getMapper(EventMapper.class);
            long last = mapper.lockEventSequence();
            Map<String, Event> existing = existingByIdempotencyKey(mapper, drafts);
            long now = System.currentTimeMillis();
            List<Event> result = new ArrayList<>(drafts.size());
            List<EventRow> rows = new ArrayList<>();
            Map<String, Event> inThisBatch = new HashMap<>();
            for (EventDraft d : drafts) {
                String idKey = d.idempotencyKey();
                Event earlier = idKey == null ? null : existing.getOrDefault(idKey, inThisBatch.get(idKey));
                if (earlier != null) {
                    result.add(earlier);
                    continue;
                }
                EventRow row = toRow(d, ++last, now);
                rows.add(row);
                Event stored = toEvent(row);
                result.add(stored);
                if (idKey != null) {
                    inThisBatch.put(idKey, stored);
                }
            }
            if (!rows.isEmpty()) {
                mapper.insertEvents(rows);
                mapper.setEventSequence(last);
            }
            return result;
        });
    }

    private static Map<String, Event> existingByIdempotencyKey(EventMapper mapper, List<EventDraft> drafts) {
        List<String> keys = drafts.stream().map(EventDraft::idempotencyKey).filter(k -> k != null).distinct().toList();
        Map<String, Event> found = new HashMap<>();
        if (!keys.isEmpty()) {
            for (EventRow row : mapper.findByIdempotencyKeys(keys)) {
                found.put(row.idempotencyKey, toEvent(row));
            }
        }
        return found;
    }

    @Override
    public List<Event> list(EventQuery q) {
        return storage.inTransaction(session -> session.getMapper(EventMapper.class)
                .list(q.namespaces(), q.keys(), q.types(), q.afterVersion(), q.limit())
                .stream().map(MyBatisEventStore::toEvent).toList());
    }

    @Override
    public long latestVersion() {
        return storage.inTransaction(session -> session.getMapper(EventMapper.class).eventSequence());
    }

    private static EventRow toRow(EventDraft d, long version, long now) {
        EventRow row = new EventRow();
        row.version = version;
        row.namespace = d.namespace();
        row.eventKey = d.key();
        row.eventValue = d.value();
        row.eventType = d.type();
        row.sender = d.sender();
        row.contextJson = Json.write(d.context());
        row.createTime = now;
        row.idempotencyKey = d.idempotencyKey();
        return row;
    }

    private static Event toEvent(EventRow row) {
        return new Event(row.version, row.namespace, row.eventKey, row.eventValue, row.eventType, row.sender,
                Json.readStringMap(row.contextJson), Instant.ofEpochMilli(row.createTime));
    }
}
