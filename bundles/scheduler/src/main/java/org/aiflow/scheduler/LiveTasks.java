package org.aiflow.scheduler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatus;

/**
 * The scheduler worker's copy of every task execution that is not final (queued, waiting, running,
 * stopping, retrying), by id. The worker makes every change to task executions itself and puts each
 * result here, so dispatching, polling and retries read memory instead of scanning the task table
 * on every event and tick (the scans were the worker's largest cost). The store stays the truth:
 * the copy is loaded at start and reloaded now and then (see {@link Scheduler}) in case anything
 * else changed a row. Worker thread only.
 */
final class LiveTasks {
    private final TreeMap<Long, TaskExecution> byId = new TreeMap<>();
    /** The same, by workflow execution: a decision reads its execution's tasks without a scan of all of them. */
    private final Map<Long, TreeMap<Long, TaskExecution>> byExecution = new HashMap<>();
    /**
     * The same, by status: dispatching after each batch of decisions asks for the queued and the
     * attached ones, which a scan of all of them made quadratic in a burst (5,000 live tasks).
     */
    private final Map<TaskStatus, TreeMap<Long, TaskExecution>> byStatus = new EnumMap<>(TaskStatus.class);

    void reload(Collection<TaskExecution> notFinal) {
        byId.clear();
        byExecution.clear();
        byStatus.clear();
        notFinal.forEach(this::put);
    }

    /** Records a task execution as it is now; a final one leaves the copy. */
    void put(TaskExecution t) {
        TaskExecution before = t.status().isFinal() ? byId.remove(t.id()) : byId.put(t.id(), t);
        if (before != null) {
            removeFrom(byStatus, before.status(), t.id());
            removeFrom(byExecution, before.workflowExecutionId(), t.id());
        }
        if (!t.status().isFinal()) {
            byExecution.computeIfAbsent(t.workflowExecutionId(), x -> new TreeMap<>()).put(t.id(), t);
            byStatus.computeIfAbsent(t.status(), x -> new TreeMap<>()).put(t.id(), t);
        }
    }

    private static <K> void removeFrom(Map<K, TreeMap<Long, TaskExecution>> index, K key, long id) {
        TreeMap<Long, TaskExecution> of = index.get(key);
        if (of != null) {
            of.remove(id);
            if (of.isEmpty()) {
                index.remove(key);
            }
        }
    }

    /** The task executions in one of the statuses, oldest first (as the store lists them). */
    List<TaskExecution> inStatus(Collection<TaskStatus> statuses) {
        List<TaskExecution> out = new ArrayList<>();
        for (TaskStatus s : statuses) {
            TreeMap<Long, TaskExecution> of = byStatus.get(s);
            if (of != null) {
                out.addAll(of.values());
            }
        }
        if (statuses.size() > 1) {
            out.sort(Comparator.comparingLong(TaskExecution::id));
        }
        return out;
    }

    /** The not-final task executions of one workflow execution, oldest first. */
    List<TaskExecution> ofExecution(long workflowExecutionId) {
        TreeMap<Long, TaskExecution> of = byExecution.get(workflowExecutionId);
        return of == null ? new ArrayList<>() : new ArrayList<>(of.values());
    }

    Optional<TaskExecution> get(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    int size() {
        return byId.size();
    }
}
