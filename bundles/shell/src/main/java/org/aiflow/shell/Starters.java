package org.aiflow.shell;

import java.util.ArrayList;
import java.util.List;

import org.aiflow.api.execution.ScheduleInfo;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.Trigger;
import org.aiflow.api.workflow.WorkflowDefinition;

/**
 * How the console shows what starts and stops a workflow's executions besides a user: its
 * triggers (conditions summarized as {@link TaskGraph} summarizes rules) and its schedules.
 */
final class Starters {
    /** What the task column of a schedule says when each fire time starts a workflow execution. */
    static final String NEW_EXECUTION = "(new execution)";
    /** What the next-fire column says about a paused schedule. */
    static final String PAUSED = "(paused)";

    private Starters() {
    }

    /**
     * A trigger as shown: {@code index} counts from 1 as upload errors do ({@code trigger 1: ...}),
     * {@code summary} is its condition in a few words.
     */
    record TriggerView(int index, Action action, String summary, ConditionSpec condition) {
    }

    static List<TriggerView> triggers(WorkflowDefinition definition) {
        List<TriggerView> views = new ArrayList<>();
        for (int i = 0; i < definition.triggers().size(); i++) {
            Trigger t = definition.triggers().get(i);
            views.add(new TriggerView(i + 1, t.action(), TaskGraph.condition(t.condition()), t.condition()));
        }
        return views;
    }

    /** The task a schedule starts in every running execution, or {@link #NEW_EXECUTION}. */
    static String task(ScheduleInfo schedule) {
        return schedule.task() == null ? NEW_EXECUTION : schedule.task();
    }

    /** When the schedule fires next: a local time, {@link #PAUSED}, or {@code -} (not yet planned, or never again). */
    static String nextFire(ScheduleInfo schedule) {
        if (schedule.paused()) {
            return PAUSED;
        }
        return schedule.nextFireTime() == null ? "-" : Output.time(schedule.nextFireTime());
    }

    /** Triggers as plain aligned lines under a heading; none if there are no triggers. */
    static List<String> triggerLines(String heading, List<TriggerView> triggers, int width) {
        if (triggers.isEmpty()) {
            return List.of();
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "ACTION", "CONDITION"});
        triggers.forEach(t -> rows.add(new String[] {Integer.toString(t.index()), t.action().name(), t.summary()}));
        List<String> lines = new ArrayList<>();
        lines.add(heading);
        lines.addAll(Output.columns("  ", rows, width));
        return lines;
    }

    /** Schedules as plain aligned lines under a heading; none if there are no schedules. */
    static List<String> scheduleLines(String heading, List<ScheduleInfo> schedules, int width) {
        if (schedules.isEmpty()) {
            return List.of();
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "EXPRESSION", "TASK", "CATCH-UP", "NEXT FIRE"});
        schedules.forEach(s -> rows.add(new String[] {s.name(), s.expression(), task(s), s.catchUp().name(), nextFire(s)}));
        List<String> lines = new ArrayList<>();
        lines.add(heading);
        lines.addAll(Output.columns("  ", rows, width));
        return lines;
    }
}
