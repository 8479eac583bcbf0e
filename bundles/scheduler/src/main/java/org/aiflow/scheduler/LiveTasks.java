package org.aiflow.scheduler;

import java.util.ArrayList;
import java.util.Collection;
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

    void reload(Collection<TaskExecution> notFinal) {
        byId.clear();
        byExecution.clear();
        notFinal.forEach(this::put);
    }

    /** Records a task execution as it is now; a final one leaves the copy. */
    void put(TaskExecution t) {
        if (t.status().isFinal()) {
            TaskExecution gone = byId.remove(t.id());
            if (gone != null) {
                TreeMap<Long, TaskExecution> of = byExecution.get(gone.workflowExecutionId());
                if (of != null) {
                    of.remove(t.id());
                    if (of.isEmpty()) {
                        byExecution.remove(gone.workflowExecutionId());
                    }
                }
            }
        } else {
            byId.put(t.id(), t);
            byExecution.computeIfAbsent(t.workflowExecutionId(), x -> new TreeMap<>()).put(t.id(), t);
        }
    }

    /** The task executions in one of the statuses, oldest first (as the store lists them). */
    List<TaskExecution> inStatus(Collection<TaskStatus> statuses) {
        List<TaskExecution> out = new ArrayList<>();
        for (TaskExecution t : byId.values()) {
            if (statuses.contains(t.status())) {
                out.add(t);
            }
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
