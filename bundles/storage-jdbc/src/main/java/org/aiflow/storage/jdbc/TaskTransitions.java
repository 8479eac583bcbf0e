package org.aiflow.storage.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.spi.storage.Decision;
import org.aiflow.storage.jdbc.mapper.Rows.StatusChangeRow;
import org.aiflow.storage.jdbc.mapper.Rows.TaskRow;
import org.aiflow.storage.jdbc.mapper.SchedulerMapper;
import org.apache.ibatis.executor.BatchResult;
import org.apache.ibatis.session.SqlSession;

/**
 * The compare-and-set task transitions of a scheduler decision: within a transaction opened by
 * {@link MyBatisSchedulerStore#inTransaction} the updates of distinct tasks go as one JDBC batch, and
 * the rows they leave are taken from the caller or read with one query.
 */
final class TaskTransitions {
    private final JdbcStorage storage;

    TaskTransitions(JdbcStorage storage) {
        this.storage = storage;
    }

    /**
     * Applies the compare-and-set transitions in order and returns the rows of those that applied,
     * each as it was right after its transition. A transition that carries the caller's row needs no
     * read (the scheduler's do: on H2 the read after the update was 7% of the worker's time in a
     * burst); other rows are read with one query after the updates when every transition moves a
     * task of its own (else each right after its update).
     */
    List<TaskExecution> apply(SchedulerMapper m, List<Decision.Transition> transitions, long now,
                              List<StatusChangeRow> changes) {
        if (transitions.isEmpty()) {
            return List.of();
        }
        Set<Long> ids = new HashSet<>();
        boolean distinct = true;
        for (Decision.Transition t : transitions) {
            distinct &= ids.add(t.taskExecutionId());
        }
        TaskExecution[] results = new TaskExecution[transitions.size()];
        List<Long> toRead = new ArrayList<>();
        AmbientTransaction joined = storage.ambient();
        int[] counts = distinct && joined != null && transitions.size() > 1 ? batchedTransitions(joined, transitions, now) : null;
        for (int i = 0; i < transitions.size(); i++) {
            Decision.Transition t = transitions.get(i);
            String msg = SchedulerRows.clip(t.message());
            int count = counts != null ? counts[i] : m.transitionTask(t.taskExecutionId(), t.expected().name(), t.to().name(), msg, t.handle(), now);
            if (count > 0) {
                changes.add(SchedulerRows.change(t.taskExecutionId(), t.expected(), t.to(), msg, now));
                if (t.current() != null) {
                    results[i] = changed(t, msg, now); // what the update wrote, on the row the caller holds: no read
                } else if (distinct) {
                    toRead.add(t.taskExecutionId()); // read below, all in one query
                } else {
                    results[i] = SchedulerRows.toTask(m.findTask(t.taskExecutionId())); // as it is between this and the next change of it
                }
            }
        }
        Map<Long, TaskRow> rows = new HashMap<>();
        for (int from = 0; from < toRead.size(); from += IN_IDS) {
            m.findTasks(toRead.subList(from, Math.min(toRead.size(), from + IN_IDS))).forEach(r -> rows.put(r.id, r));
        }
        List<TaskExecution> transitioned = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            TaskRow read = results[i] == null ? rows.get(transitions.get(i).taskExecutionId()) : null;
            if (results[i] != null) {
                transitioned.add(results[i]);
            } else if (read != null) {
                transitioned.add(SchedulerRows.toTask(read));
            }
        }
        return transitioned;
    }

    /**
     * The task execution a compare-and-set transition that applied left: the caller's row with the
     * columns the update sets (status, message, update time, and the handle if it names one).
     */
    private static TaskExecution changed(Decision.Transition t, String storedMessage, long now) {
        TaskExecution c = t.current();
        return new TaskExecution(c.id(), c.workflowExecutionId(), c.namespace(), c.workflowName(), c.taskName(), c.attempt(),
                c.runnerType(), t.to(), t.handle() != null ? t.handle() : c.handle(), storedMessage, c.createTime(), Instant.ofEpochMilli(now));
    }

    /**
     * Runs the compare-and-set updates of distinct tasks as one JDBC batch on the transaction's
     * connection and returns each one's update count, in order (one round trip instead of one each).
     */
    private static int[] batchedTransitions(AmbientTransaction joined, List<Decision.Transition> transitions, long now) {
        SqlSession batch = joined.batch();
        batch.flushStatements(); // what other calls queued goes first; its results are not these
        SchedulerMapper bm = batch.getMapper(SchedulerMapper.class);
        for (Decision.Transition t : transitions) {
            bm.transitionTask(t.taskExecutionId(), t.expected().name(), t.to().name(), SchedulerRows.clip(t.message()), t.handle(), now);
        }
        // one result per run of statements with the same SQL, in the order they were added
        int[] counts = new int[transitions.size()];
        int i = 0;
        for (BatchResult r : batch.flushStatements()) {
            for (int c : r.getUpdateCounts()) {
                if (i == counts.length || c < 0) {
                    // SUCCESS_NO_INFO (or a count too many): whether a compare-and-set applied is unknown
                    throw new IllegalStateException("the database did not report the update count of each transition in a batch");
                }
                counts[i++] = c;
            }
        }
        if (i != counts.length) {
            throw new IllegalStateException("the database reported " + i + " update counts for " + counts.length + " transitions");
        }
        return counts;
    }

    /** Ids in one {@code IN} list. */
    private static final int IN_IDS = 500;
}
