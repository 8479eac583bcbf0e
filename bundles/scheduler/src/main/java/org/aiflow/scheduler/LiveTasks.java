package org.aiflow.scheduler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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

    void reload(Collection<TaskExecution> notFinal) {
        byId.clear();
        notFinal.forEach(this::put);
    }

    /** Records a task execution as it is now; a final one leaves the copy. */
    void put(TaskExecution t) {
        if (t.status().isFinal()) {
            byId.remove(t.id());
        } else {
            byId.put(t.id(), t);
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
        List<TaskExecution> out = new ArrayList<>();
        for (TaskExecution t : byId.values()) {
            if (t.workflowExecutionId() == workflowExecutionId) {
                out.add(t);
            }
        }
        return out;
    }

    int size() {
        return byId.size();
    }
}
