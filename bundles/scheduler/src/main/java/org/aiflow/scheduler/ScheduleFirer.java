package org.aiflow.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.execution.ScheduleInfo;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.scheduler.ScheduleEvents;
import org.aiflow.api.spi.storage.ScheduleState;
import org.aiflow.api.workflow.Schedule;
import org.aiflow.api.workflow.WorkflowDefinition;

/**
 * Fires the cron and interval schedules of the enabled workflows: publishes a
 * {@link ScheduleEvents#TYPE} event for each due fire time (as the schedule's catch-up mode says)
 * and keeps each schedule's state (next fire time, paused). What a fired schedule starts is decided
 * later, like for any other event, by the scheduler's event decider.
 *
 * <p>Not thread-safe: every method runs on the scheduler's worker thread, which owns the cache of
 * schedule states kept here.
 */
final class ScheduleFirer {
    /** At most this many missed fire times of one schedule are caught up at once. */
    static final int MAX_CATCH_UP = 1000;

    /** What the firer needs from the scheduler around it. */
    interface Host {
        /** The workflows, enabled or not (the worker's cached copy). */
        Collection<Workflow> workflows();

        /** The definition of a workflow snapshot. */
        WorkflowDefinition definition(long snapshotId);

        /** Publishes a schedule event (idempotent by its idempotency key). */
        void publish(EventDraft fired);

        /** A schedule's state as stored. */
        Optional<ScheduleState> loadState(long workflowId, String scheduleName);

        /** Stores a schedule's state. */
        void saveState(ScheduleState state);
    }

    private final Host host;
    private final Clock clock;
    /** The states the worker read and wrote (it writes them all), so ticks do not query per schedule. */
    private final Map<String, ScheduleState> states = new HashMap<>();

    ScheduleFirer(Host host, Clock clock) {
        this.host = host;
        this.clock = clock;
    }

    /**
     * Publishes a SCHEDULE_FIRED event for every due fire time (as the schedule's catch-up policy
     * says), then stores the next fire time. Each event's idempotency key is its schedule and fire
     * time, so a crash between the two steps re-publishes nothing; the events are then decided on
     * like any other, exactly once.
     */
    void fire() {
        Instant now = clock.instant();
        for (Workflow w : host.workflows()) {
            if (!w.enabled()) {
                continue;
            }
            WorkflowDefinition def = host.definition(w.snapshotId());
            for (Schedule s : def.schedules()) {
                fire(w, s, now);
            }
        }
    }

    private void fire(Workflow w, Schedule s, Instant now) {
        ScheduleSpec spec = spec(s);
        Optional<ScheduleState> state = state(w.id(), s.name());
        if (state.isEmpty()) {
            save(new ScheduleState(w.id(), s.name(), spec.nextAfter(now).orElse(null), false));
            return;
        }
        Instant next = state.get().nextFireTime();
        if (state.get().paused() || next == null || next.isAfter(now)) {
            return;
        }
        List<Instant> due = new ArrayList<>();
        while (next != null && !next.isAfter(now)) {
            due.add(next);
            next = spec.nextAfter(next).orElse(null);
            if (due.size() == MAX_CATCH_UP) {
                next = spec.nextAfter(now).orElse(null);
            }
        }
        Instant latest = due.get(due.size() - 1);
        List<Instant> fire = switch (s.catchUp()) {
            case ALL -> due;
            case LATEST -> List.of(latest);
            case NONE -> latest.isAfter(now.minus(Duration.ofMinutes(1))) ? List.of(latest) : List.of();
        };
        for (Instant time : fire) {
            host.publish(new EventDraft(ScheduleEvents.NAMESPACE, ScheduleEvents.key(w.name(), s.name()), time.toString(),
                    ScheduleEvents.TYPE, ScheduleEvents.SENDER, Map.of(ScheduleEvents.CONTEXT_WORKFLOW_ID, Long.toString(w.id()),
                    ScheduleEvents.CONTEXT_SCHEDULE, s.name(), ScheduleEvents.CONTEXT_WORKFLOW_NAMESPACE, w.namespace()),
                    "schedule:" + w.id() + ":" + s.name() + ":" + time.toEpochMilli()));
        }
        save(new ScheduleState(w.id(), s.name(), next, false));
    }

    /** The schedules of a workflow's current snapshot, with their stored state. */
    List<ScheduleInfo> infos(Workflow w) {
        return host.definition(w.snapshotId()).schedules().stream().map(s -> info(w, s)).toList();
    }

    /** A schedule of a workflow's current snapshot. */
    Schedule schedule(Workflow w, String scheduleName) {
        return host.definition(w.snapshotId()).schedules().stream().filter(x -> x.name().equals(scheduleName)).findFirst()
                .orElseThrow(() -> new NotFoundException("workflow '" + w.namespace() + "/" + w.name() + "' has no schedule '"
                        + scheduleName + "'"));
    }

    /** Pauses a schedule (it has no next fire time then), or resumes it at its next fire time after now. */
    ScheduleInfo pause(Workflow w, Schedule s, boolean paused) {
        Instant next = paused ? null : spec(s).nextAfter(clock.instant()).orElse(null);
        save(new ScheduleState(w.id(), s.name(), next, paused));
        return info(w, s);
    }

    /** A schedule with its state as stored (not as cached: an operator may have edited it). */
    ScheduleInfo info(Workflow w, Schedule s) {
        Optional<ScheduleState> state = host.loadState(w.id(), s.name());
        String expression = s.cron() != null ? s.cron() + " (" + s.timeZone() + ")" : "every " + s.intervalSeconds() + " s";
        return new ScheduleInfo(w.namespace(), w.name(), s.name(), expression, s.task(), s.catchUp(),
                state.map(ScheduleState::nextFireTime).orElse(null), state.map(ScheduleState::paused).orElse(false));
    }

    /**
     * A schedule whose timing a new snapshot changed fires next by its new timing, not at the time
     * its old one computed (a daily schedule made hourly must not wait for tomorrow); pausing is kept.
     */
    void rescheduleChanged(Workflow w, WorkflowDefinition old, WorkflowDefinition now) {
        for (Schedule s : now.schedules()) {
            Optional<Schedule> was = old.schedules().stream().filter(o -> o.name().equals(s.name())).findFirst();
            if (was.isEmpty() || sameTiming(was.get(), s)) {
                continue;
            }
            Optional<ScheduleState> state = state(w.id(), s.name());
            if (state.isPresent()) {
                Instant next = spec(s).nextAfter(clock.instant()).orElse(null);
                save(new ScheduleState(w.id(), s.name(), state.get().paused() ? null : next, state.get().paused()));
            }
        }
    }

    /** Drops the cached states of a workflow's schedules: they are read again from the store. */
    void forget(long workflowId) {
        states.keySet().removeIf(k -> k.startsWith(workflowId + "/"));
    }

    /** Drops every cached schedule state (this node starts leading: another may have fired meanwhile). */
    void forgetAll() {
        states.clear();
    }

    /** True if the event is a schedule of this workflow firing. */
    static boolean isFire(Event e, Workflow w) {
        return ScheduleEvents.isScheduleEvent(e) && Long.toString(w.id()).equals(e.context().get(ScheduleEvents.CONTEXT_WORKFLOW_ID));
    }

    /** The schedule of the definition a schedule event of this workflow names, if it still has it. */
    static Optional<Schedule> fired(Event e, Workflow w, WorkflowDefinition def) {
        if (!isFire(e, w)) {
            return Optional.empty();
        }
        return def.schedules().stream().filter(s -> s.name().equals(e.context().get(ScheduleEvents.CONTEXT_SCHEDULE))).findFirst();
    }

    private static ScheduleSpec spec(Schedule s) {
        return ScheduleSpec.parse(s.cron(), s.intervalSeconds(), s.timeZone());
    }

    private static boolean sameTiming(Schedule a, Schedule b) {
        return Objects.equals(a.cron(), b.cron()) && Objects.equals(a.intervalSeconds(), b.intervalSeconds())
                && Objects.equals(a.timeZone(), b.timeZone());
    }

    private Optional<ScheduleState> state(long workflowId, String name) {
        String key = workflowId + "/" + name;
        ScheduleState cached = states.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<ScheduleState> stored = host.loadState(workflowId, name);
        stored.ifPresent(st -> states.put(key, st));
        return stored;
    }

    private void save(ScheduleState state) {
        host.saveState(state);
        states.put(state.workflowId() + "/" + state.scheduleName(), state);
    }
}
