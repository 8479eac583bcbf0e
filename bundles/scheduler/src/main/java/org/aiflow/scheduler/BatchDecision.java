package org.aiflow.scheduler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.aiflow.api.event.Event;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.spi.storage.DecisionOutcome;

/**
 * Decides a batch of events in version order and commits their decisions together (group commit):
 * the events before the first one that changes anything cost no transaction (only the cursor moves);
 * from that one on, every decision and the cursor go into one transaction, each decision seeing the
 * ones before it. Only after the commit are runners called (stops of jobs, dispatch of queued tasks).
 * Worker thread only.
 */
final class BatchDecision {
    private final SchedulerState state;
    private final Recorder recorder;
    private final EventDecider decider;
    private final JobMonitor monitor;
    private final SchedulerStats stats;
    /** By index in the batch being decided: whether its decision changed anything. */
    private final boolean[] changes = new boolean[SchedulerWorker.MAX_BATCH];

    BatchDecision(SchedulerState state, Recorder recorder, EventDecider decider, JobMonitor monitor, SchedulerStats stats) {
        this.state = state;
        this.recorder = recorder;
        this.decider = decider;
        this.monitor = monitor;
        this.stats = stats;
    }

    /**
     * Decides and commits the batch; a failed transaction throws and stores nothing of it.
     *
     * @return the condition type missing for an event (nothing from that event on is decided), or null
     */
    EventDecider.ConditionTypeMissing decide(EventInbox.Batch batch) {
        List<Event> events = batch.events();
        long[] arrivals = batch.arrivals();
        Arrays.fill(changes, 0, events.size(), false); // a batch that did not commit may have left marks
        int first = 0;
        DecisionPlan plan = null;
        // events that change nothing cost no transaction: the cursor is stored lazily (with the next
        // decision or on a tick), as deciding such an event again after a crash decides nothing again
        for (; first < events.size(); first++) {
            try {
                plan = decider.decide(events.get(first));
            } catch (EventDecider.ConditionTypeMissing missing) {
                return missing;
            }
            if (!plan.isEmpty()) {
                break;
            }
            state.cursor = events.get(first).version();
        }
        if (first == events.size()) {
            return null;
        }
        List<TaskExecution> stopping = new ArrayList<>();
        boolean[] queued = {false};
        EventDecider.ConditionTypeMissing[] missing = {null};
        DecisionPlan firstPlan = plan;
        int from = first;
        recorder.batch(() -> {
            DecisionPlan p = firstPlan;
            for (int i = from; i < events.size(); i++) {
                Event e = events.get(i);
                if (p == null) {
                    try {
                        p = decider.decide(e);
                    } catch (EventDecider.ConditionTypeMissing m) {
                        missing[0] = m; // what was decided before it commits; nothing after it is decided
                        break;
                    }
                }
                changes[i] = !p.isEmpty();
                if (!p.isEmpty()) {
                    DecisionOutcome outcome = recorder.record(p.toDecision(e.version()));
                    state.triggers().queued(outcome.queued(), e);
                    outcome.transitioned().stream().filter(t -> t.status() == TaskStatus.STOPPING).forEach(stopping::add);
                    queued[0] |= !outcome.queued().isEmpty();
                }
                state.cursor = e.version();
                p = null;
            }
            return null;
        });
        // committed: only now are runners called
        long committed = System.nanoTime();
        for (int i = from; i < events.size(); i++) {
            if (changes[i]) {
                stats.decided(committed - arrivals[i]);
            }
        }
        stopping.forEach(monitor::stopJob);
        if (queued[0]) {
            monitor.dispatch();
        }
        return missing[0];
    }
}
