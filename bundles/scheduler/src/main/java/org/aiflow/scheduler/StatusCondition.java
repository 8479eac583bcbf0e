package org.aiflow.scheduler;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.spi.condition.ConditionContext;
import org.aiflow.api.spi.condition.ConditionResult;
import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.workflow.WorkflowDefinition;

/**
 * The built-in {@code status} condition: fires on the status of another task.
 *
 * <p>Configuration: {@code task} (required) — a task of the same workflow execution, or with
 * {@code workflow} (and optionally {@code namespace}) a task of any execution of that workflow;
 * {@code status}: one status or a list (default {@code SUCCESS}); {@code trigger}: {@code EDGE}
 * (default: fires on the event that reports the task entering the status) or {@code LEVEL} (fires on
 * any event while the task's newest attempt in this execution is in the status; same workflow only);
 * {@code life}: {@code REPEATED} (default for EDGE) or {@code ONCE} (default for LEVEL, so a level
 * cannot start a task over and over).
 */
final class StatusCondition implements ConditionType {
    static final String NAME = "status";
    private static final Set<String> FIELDS = Set.of("task", "workflow", "namespace", "status", "trigger", "life");
    private static final String FIRED = "firedAtVersion";

    @Override
    public void validate(Map<String, Object> config) {
        for (String field : config.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new ValidationException("status condition has unknown field '" + field + "' (allowed: " + FIELDS + ")");
            }
        }
        if (!(config.get("task") instanceof String task) || task.isEmpty()) {
            throw new ValidationException("status condition needs the name of a 'task'");
        }
        statuses(config);
        String trigger = text(config, "trigger", "EDGE");
        if (!Set.of("EDGE", "LEVEL").contains(trigger)) {
            throw new ValidationException("status condition field 'trigger' must be EDGE or LEVEL");
        }
        if (trigger.equals("LEVEL") && config.containsKey("workflow")) {
            throw new ValidationException("a LEVEL status condition watches a task of its own execution: it has no 'workflow'");
        }
        if (!Set.of("REPEATED", "ONCE").contains(life(config))) {
            throw new ValidationException("status condition field 'life' must be REPEATED or ONCE");
        }
        text(config, "workflow", "");
        text(config, "namespace", "");
    }

    @Override
    public void validate(Map<String, Object> config, WorkflowDefinition workflow) {
        validate(config);
        String task = (String) config.get("task");
        if (!config.containsKey("workflow") && workflow.task(task).isEmpty()) {
            throw new ValidationException("status condition names task '" + task + "', which is not a task of workflow '"
                    + workflow.name() + "'");
        }
    }

    @Override
    public boolean mayReact(Map<String, Object> config, Event event) {
        return "LEVEL".equals(config.get("trigger")) || isStatusEvent(event) && config.get("task").equals(event.context().get(Scheduler.CONTEXT_TASK));
    }

    @Override
    public ConditionResult evaluate(Map<String, Object> config, Event event, Map<String, String> state, ConditionContext context) {
        boolean once = life(config).equals("ONCE");
        if (once && state.containsKey(FIRED)) {
            return new ConditionResult(false, state);
        }
        String task = (String) config.get("task");
        Set<String> wanted = statuses(config);
        boolean fires;
        if (text(config, "trigger", "EDGE").equals("LEVEL")) {
            fires = context.latestStatus(task).map(s -> wanted.contains(s.name())).orElse(false);
        } else {
            fires = isStatusEvent(event) && task.equals(event.context().get(Scheduler.CONTEXT_TASK))
                    && wanted.contains(event.value()) && sameScope(config, event, context);
        }
        if (fires && once) {
            return new ConditionResult(true, Map.of(FIRED, Long.toString(event.version())));
        }
        return new ConditionResult(fires, state);
    }

    private static boolean isStatusEvent(Event e) {
        return Scheduler.STATUS_NAMESPACE.equals(e.namespace()) && Scheduler.STATUS_EVENT_TYPE.equals(e.type())
                && Scheduler.SENDER.equals(e.sender());
    }

    private static boolean sameScope(Map<String, Object> config, Event e, ConditionContext context) {
        Object workflow = config.get("workflow");
        if (workflow == null) {
            return Long.toString(context.workflowExecutionId()).equals(e.context().get(Scheduler.CONTEXT_EXECUTION));
        }
        Object namespace = config.get("namespace");
        return workflow.equals(e.context().get(Scheduler.CONTEXT_WORKFLOW))
                && (namespace == null || namespace.equals(e.context().get(Scheduler.CONTEXT_NAMESPACE)));
    }

    private static String life(Map<String, Object> config) {
        return text(config, "life", "LEVEL".equals(config.get("trigger")) ? "ONCE" : "REPEATED");
    }

    private static Set<String> statuses(Map<String, Object> config) {
        Object raw = config.getOrDefault("status", "SUCCESS");
        List<?> list = raw instanceof List<?> l ? l : List.of(raw);
        if (list.isEmpty()) {
            throw new ValidationException("status condition field 'status' names no status");
        }
        for (Object s : list) {
            try {
                TaskStatus.valueOf(String.valueOf(s));
            } catch (IllegalArgumentException e) {
                throw new ValidationException("status condition: '" + s + "' is not a task status " + List.of(TaskStatus.values()));
            }
        }
        return Set.copyOf(list.stream().map(String::valueOf).toList());
    }

    private static String text(Map<String, Object> config, String field, String defaultValue) {
        Object v = config.getOrDefault(field, defaultValue);
        if (!(v instanceof String s)) {
            throw new ValidationException("status condition field '" + field + "' must be a string");
        }
        return s;
    }
}
