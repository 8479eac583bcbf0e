package org.aiflow.storage.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.storage.jdbc.mapper.EventMapper;
import org.aiflow.storage.jdbc.mapper.Rows.EventRow;
import org.aiflow.storage.jdbc.mapper.Rows.SequenceAdvance;
import org.apache.ibatis.session.SqlSession;

/**
 * Appends events within a transaction: allocates their versions by advancing the event sequence
 * (whose row stays locked until the commit, so commit order is version order), returns the stored
 * event of a re-sent idempotency key instead of a new one, and gives unused versions back.
 */
final class EventAppender {
    /** Whether the database returns the advanced sequence value with the update (MariaDB, MySQL, PostgreSQL) or needs a read. */
    private final boolean returningAdvance;

    EventAppender(boolean returningAdvance) {
        this.returningAdvance = returningAdvance;
    }

    /** Appends the drafts (see {@link MyBatisEventStore#appendIn(SqlSession, List)}), with the inserts sent through {@code inserts} (a batch session on the same connection). */
    List<Event> appendIn(SqlSession session, List<EventDraft> drafts, SqlSession inserts) {
        EventMapper mapper = session.getMapper(EventMapper.class);
        int count = drafts.size();
        if (count == 0) {
            mapper.advanceEventSequence(0); // nothing to append; the lock is taken all the same, as it always was
            return List.of();
        }
        long last = advanceSequence(session, mapper, count);
        long version = last - count; // ours: version + 1 .. last
        Map<String, Event> known = existingByIdempotencyKey(mapper, drafts);
        long now = System.currentTimeMillis();
        Instant createTime = Instant.ofEpochMilli(now);
        List<Event> result = new ArrayList<>(count);
        EventMapper insertMapper = inserts == session ? mapper : inserts.getMapper(EventMapper.class);
        for (EventDraft d : drafts) {
            String idKey = d.idempotencyKey();
            Event earlier = idKey == null ? null : known.get(idKey);
            if (earlier != null) {
                result.add(earlier);
                continue;
            }
            EventRow row = toRow(d, ++version, now);
            insertMapper.insertEvent(row);
            Event stored = new Event(row.version, d.namespace(), d.key(), d.value(), d.type(), d.sender(), d.context(), createTime,
                    row.principal);
            result.add(stored);
            if (idKey != null) {
                known.put(idKey, stored);
            }
        }
        if (version != last) {
            mapper.setEventSequence(version); // re-sends took no version: give the unused ones back
        }
        return result;
    }

    /** Advances the event sequence by {@code count} (locking its row until commit) and returns its new value. */
    private long advanceSequence(SqlSession session, EventMapper mapper, int count) {
        long last;
        if (returningAdvance) {
            SequenceAdvance advance = new SequenceAdvance();
            advance.count = count;
            mapper.advanceEventSequenceReturning(advance);
            session.flushStatements(); // a batch session runs it now; the key generator fills advance.last
            last = advance.last;
        } else {
            mapper.advanceEventSequence(count);
            last = mapper.eventSequence(); // our own, locked row (a batch session runs the update first)
        }
        if (last < count) {
            throw new IllegalStateException("the event sequence did not advance (read " + last + " after adding " + count + ")");
        }
        return last;
    }

    /** The stored events of the drafts' idempotency keys, by key; a map to add to (no query without keys). */
    private static Map<String, Event> existingByIdempotencyKey(EventMapper mapper, List<EventDraft> drafts) {
        List<String> keys = drafts.stream().map(EventDraft::idempotencyKey).filter(k -> k != null).distinct().toList();
        Map<String, Event> found = new HashMap<>();
        if (!keys.isEmpty()) {
            for (EventRow row : mapper.findByIdempotencyKeys(keys)) {
                found.put(row.idempotencyKey, MyBatisEventStore.toEvent(row));
            }
        }
        return found;
    }

    private static EventRow toRow(EventDraft d, long version, long now) {
        EventRow row = new EventRow();
        row.version = version;
        row.namespace = d.namespace();
        row.eventKey = d.key();
        row.eventValue = d.value();
        row.eventType = d.type();
        row.sender = d.sender();
        row.contextJson = d.context().isEmpty() ? "{}" : Json.write(d.context());
        row.createTime = now;
        row.idempotencyKey = d.idempotencyKey();
        row.principal = d.principal() == null ? "" : d.principal();
        return row;
    }
}
