package org.aiflow.scheduler;

import static org.aiflow.api.workflow.BuiltInConditionTypes.Status.EDGE;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Status.LEVEL;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Status.LIFE;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Status.NAMESPACE;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Status.ONCE;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Status.REPEATED;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Status.STATUS;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Status.TASK;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Status.TRIGGER;
import static org.aiflow.api.workflow.BuiltInConditionTypes.Status.WORKFLOW;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.scheduler.TaskStatusEvents;
import org.aiflow.api.spi.condition.ConditionContext;
import org.aiflow.api.spi.condition.ConditionResult;
import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.aiflow.api.workflow.BuiltInConditionTypes;

/**
 * The built-in {@code status} condition: fires on the status of another task.
 *
 * <p>Configuration: {@code task} (required) — a task of the same workflow execution, or with
 * {@code workflow} (and optionally {@code namespace}) a task of any execution of that workflow;
 * {@code status}: one status or a list (default {@code SUCCESS}); {@code trigger}: {@code EDGE}
 * (default: fires on the event that reports the task entering the status) or {@code LEVEL} (fires on
 * any event while the task's newest attempt in this execution is in the status; same workflow only);
 * {@code life}: {@code REPEATED} (default for EDGE) or {@code ONCE} (default for LEVEL, so a level
 * cannot start a task over and over). The keys and values are
 * {@link org.aiflow.api.workflow.BuiltInConditionTypes.Status}'s; the events it reads are
 * {@link TaskStatusEvents}.
 */
@Component(property = {ConditionType.TYPE_PROPERTY + "=" + BuiltInConditionTypes.STATUS, BuiltInConditions.MARKER + ":Boolean=true",
        Constants.SERVICE_RANKING + ":Integer=" + PluginRegistry.BUILT_IN_RANKING})
public final class StatusCondition implements ConditionType {
    private static final Set<String> FIELDS = Set.of(TASK, WORKFLOW, NAMESPACE, STATUS, TRIGGER, LIFE);
    private static final String FIRED = "firedAtVersion";

    @Override
    public void validate(Map<String, Object> config) {
        for (String field : config.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new ValidationException("status condition has unknown field '" + field + "' (allowed: " + FIELDS + ")");
            }
        }
        if (!(config.get(TASK) instanceof String task) || task.isEmpty()) {
            throw new ValidationException("status condition needs the name of a 'task'");
        }
        statuses(config);
        String trigger = text(config, TRIGGER, EDGE);
        if (!Set.of(EDGE, LEVEL).contains(trigger)) {
            throw new ValidationException("status condition field 'trigger' must be EDGE or LEVEL");
        }
        if (trigger.equals(LEVEL) && config.containsKey(WORKFLOW)) {
            throw new ValidationException("a LEVEL status condition watches a task of its own execution: it has no 'workflow'");
        }
        if (!Set.of(REPEATED, ONCE).contains(life(config))) {
            throw new ValidationException("status condition field 'life' must be REPEATED or ONCE");
        }
        text(config, WORKFLOW, "");
        text(config, NAMESPACE, "");
    }

    @Override
    public void validate(Map<String, Object> config, WorkflowDefinition workflow) {
        validate(config);
        String task = (String) config.get(TASK);
        if (!config.containsKey(WORKFLOW) && workflow.task(task).isEmpty()) {
            throw new ValidationException("status condition names task '" + task + "', which is not a task of workflow '"
                    + workflow.name() + "'");
        }
    }

    @Override
    public boolean mayReact(Map<String, Object> config, Event event) {
        return LEVEL.equals(config.get(TRIGGER))
                || TaskStatusEvents.isTaskStatusEvent(event) && config.get(TASK).equals(event.context().get(TaskStatusEvents.CONTEXT_TASK_NAME));
    }

    @Override
    public ConditionResult evaluate(Map<String, Object> config, Event event, Map<String, String> state, ConditionContext context) {
        boolean once = life(config).equals(ONCE);
        if (once && state.containsKey(FIRED)) {
            return new ConditionResult(false, state);
        }
        String task = (String) config.get(TASK);
        Set<String> wanted = statuses(config);
        boolean fires;
        if (text(config, TRIGGER, EDGE).equals(LEVEL)) {
            fires = context.latestStatus(task).map(s -> wanted.contains(s.name())).orElse(false);
        } else {
            fires = TaskStatusEvents.isTaskStatusEvent(event) && task.equals(event.context().get(TaskStatusEvents.CONTEXT_TASK_NAME))
                    && wanted.contains(event.value()) && sameScope(config, event, context);
        }
        if (fires && once) {
            return new ConditionResult(true, Map.of(FIRED, Long.toString(event.version())));
        }
        return new ConditionResult(fires, state);
    }

    private static boolean sameScope(Map<String, Object> config, Event e, ConditionContext context) {
        Object workflow = config.get(WORKFLOW);
        if (workflow == null) {
            return Long.toString(context.workflowExecutionId()).equals(e.context().get(TaskStatusEvents.CONTEXT_EXECUTION_ID));
        }
        Object namespace = config.get(NAMESPACE);
        return workflow.equals(e.context().get(TaskStatusEvents.CONTEXT_WORKFLOW_NAME))
                && (namespace == null || namespace.equals(e.context().get(TaskStatusEvents.CONTEXT_WORKFLOW_NAMESPACE)));
    }

    private static String life(Map<String, Object> config) {
        return text(config, LIFE, LEVEL.equals(config.get(TRIGGER)) ? ONCE : REPEATED);
    }

    private static Set<String> statuses(Map<String, Object> config) {
        Object raw = config.getOrDefault(STATUS, TaskStatus.SUCCESS.name());
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
