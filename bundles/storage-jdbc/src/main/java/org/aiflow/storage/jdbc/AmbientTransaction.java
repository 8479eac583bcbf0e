package org.aiflow.storage.jdbc;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.spi.storage.LeaderFence;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.defaults.DefaultSqlSession;
import org.apache.ibatis.transaction.Transaction;

/**
 * The transaction {@link org.aiflow.api.spi.storage.SchedulerStore#inTransaction} opened on a
 * thread: every store call of this storage on that thread joins it (see
 * {@link JdbcStorage#inTransaction(java.util.function.Function)}) instead of committing on its own.
 */
final class AmbientTransaction {
    final SqlSession session;
    final LeaderFence fence;
    /** Outbox events of joined calls, appended at the end of the transaction, in call order. */
    final List<EventDraft> outbox = new ArrayList<>();
    /** Events joined calls appended at once ({@code EventStore.append}): announced after the commit. */
    final List<Event> appended = new ArrayList<>();
    /** The first failure of a joined call: the transaction can then only roll back. */
    RuntimeException failure;
    /**
     * Writes joined calls left for the end of the transaction (the consumer cursors, the status
     * change history rows): run by {@link #flushDeferred} before the outbox is appended, or
     * before a joined read that needs them.
     */
    final Map<String, Consumer<SqlSession>> deferred = new LinkedHashMap<>();

    /** Runs the deferred writes (in the order they were first deferred) and forgets them. */
    void flushDeferred() {
        while (!deferred.isEmpty()) {
            List<Consumer<SqlSession>> writes = new ArrayList<>(deferred.values());
            deferred.clear();
            writes.forEach(w -> w.accept(session));
        }
    }

    private final Configuration configuration;
    /** Inserts sent as JDBC batches on the same connection, before the commit: see {@link #batch}. */
    private SqlSession batch;

    AmbientTransaction(SqlSession session, LeaderFence fence, Configuration configuration) {
        this.session = session;
        this.fence = fence;
        this.configuration = configuration;
    }

    /**
     * A session on this transaction's connection whose statements are sent as JDBC batches by
     * {@link #flush} (before the commit, or before a joined read that needs them): for writes
     * whose update count nobody reads (history rows, outbox events). It never commits, rolls
     * back or closes the connection: the transaction's own session does.
     */
    SqlSession batch() {
        if (batch == null) {
            Connection connection = session.getConnection();
            Transaction joined = new Transaction() {
                @Override
                public Connection getConnection() {
                    return connection;
                }

                @Override
                public void commit() {
                }

                @Override
                public void rollback() {
                }

                @Override
                public void close() {
                }

                @Override
                public Integer getTimeout() {
                    return null;
                }
            };
            batch = new DefaultSqlSession(configuration, configuration.newExecutor(joined, ExecutorType.BATCH), false);
        }
        return batch;
    }

    /** Runs the deferred writes, then sends the batched statements. */
    void flush() {
        flushDeferred();
        if (batch != null) {
            batch.flushStatements();
        }
    }

    /** Closes the batch session's statements (sent or not). */
    void closeBatch() {
        if (batch != null) {
            batch.close();
            batch = null;
        }
    }

    void fail(RuntimeException e) {
        if (failure == null) {
            failure = e;
        }
    }

    /** Throws if a joined call failed (even if the caller caught that): such a transaction must not commit. */
    void checkCommittable() {
        if (failure != null) {
            String message = "the transaction was rolled back, as a call within it failed: " + failure.getMessage();
            if (failure instanceof ConflictException) {
                ConflictException e = new ConflictException(message);
                e.initCause(failure);
                throw e;
            }
            throw new UnavailableException(message, failure);
        }
    }
}
