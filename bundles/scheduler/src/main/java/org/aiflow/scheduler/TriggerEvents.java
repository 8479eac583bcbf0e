package org.aiflow.scheduler;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatusChange;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event that started each task execution: the one whose rule (a task rule, a trigger that
 * started the execution, a schedule's fire event) queued it. A retry inherits the event of the
 * attempt it retries; tasks started by hand or with an execution started by hand have none.
 *
 * <p>The scheduler tells it the events of the task executions it queues. For one queued by an
 * earlier instance (before a restart), the event's version is read back from the task's first
 * status message ({@code "START by event 42 (...)"}, {@code "... (event 42)"},
 * {@code "retry of attempt 2"}) and the event fetched from the log. Worker thread only.
 */
final class TriggerEvents {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerEvents.class);
    private static final Pattern EVENT = Pattern.compile("\\bevent (\\d+)\\b");
    private static final Pattern RETRY = Pattern.compile("^retry of attempt (\\d+)");
    private static final int MAX_RETRY_CHAIN = 100;

    private final SchedulerStore store;
    private final NotificationService notifications;
    /** By task execution, until it ends; an empty value: known to have none. */
    private final Map<Long, Optional<Event>> events = new HashMap<>();

    TriggerEvents(SchedulerStore store, NotificationService notifications) {
        this.store = store;
        this.notifications = notifications;
    }

    /** The task executions a decision on {@code event} queued. */
    void queued(Collection<TaskExecution> tasks, Event event) {
        tasks.forEach(t -> events.put(t.id(), Optional.of(event)));
    }

    /** A retry queued as {@code retry} of {@code attempt}: same event. */
    void retried(long attempt, long retry) {
        Optional<Event> e = events.get(attempt);
        if (e != null) {
            events.put(retry, e);
        }
    }

    /**
     * The event that started the task execution.
     *
     * @param queuedHere true if this scheduler instance queued it: then it knows the event, if any
     */
    Optional<Event> of(TaskExecution t, boolean queuedHere) {
        Optional<Event> known = events.get(t.id());
        if (known != null) {
            return known;
        }
        Optional<Event> found = queuedHere ? Optional.empty() : fromHistory(t, 0);
        events.put(t.id(), found);
        return found;
    }

    /** Forgets an ended task execution. */
    void ended(long taskExecutionId) {
        events.remove(taskExecutionId);
    }

    /** Keeps only the live task executions. */
    void retain(Set<Long> live) {
        events.keySet().retainAll(live);
    }

    private Optional<Event> fromHistory(TaskExecution t, int depth) {
        List<TaskStatusChange> history = store.history(t.id());
        if (history.isEmpty() || history.get(0).message() == null) {
            return Optional.empty();
        }
        String first = history.get(0).message();
        Matcher retry = RETRY.matcher(first);
        if (retry.find()) {
            if (depth >= MAX_RETRY_CHAIN) {
                return Optional.empty();
            }
            int attempt = Integer.parseInt(retry.group(1));
            return store.listTasks(new TaskQuery(null, t.workflowExecutionId(), null, 10_000)).stream()
                    .filter(o -> o.taskName().equals(t.taskName()) && o.attempt() == attempt).findFirst()
                    .flatMap(o -> fromHistory(o, depth + 1));
        }
        Matcher event = EVENT.matcher(first);
        if (!event.find()) {
            return Optional.empty();
        }
        long version;
        try {
            version = Long.parseLong(event.group(1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Optional<Event> e = version < 1 ? Optional.empty()
                : notifications.list(new EventQuery(null, null, null, null, version - 1, version, null, null, 1)).stream()
                        .filter(x -> x.version() == version).findFirst();
        if (e.isEmpty()) {
            LOG.info("Task execution {} was started by event {}, which is no longer in the event log", t.id(), version);
        }
        return e;
    }
}
