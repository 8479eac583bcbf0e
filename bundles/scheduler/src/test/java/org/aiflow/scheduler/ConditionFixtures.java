package org.aiflow.scheduler;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.aiflow.api.event.Event;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.scheduler.TaskStatusEvents;
import org.aiflow.api.spi.condition.ConditionContext;
import org.aiflow.api.spi.condition.ConditionType;

/**
 * Events and condition contexts built in memory, for testing conditions without a database. Status
 * events have the shape of {@link TaskStatusEvents}, as the scheduler publishes them.
 */
final class ConditionFixtures {
    private ConditionFixtures() {
    }

    /** A user event in the {@code default} namespace. */
    static Event event(long version, String key, String value) {
        return new Event(version, "default", key, value, "T", "", Map.of(), Instant.EPOCH);
    }

    static Event event(long version, String namespace, String key, String value, String type, String sender) {
        return new Event(version, namespace, key, value, type, sender, Map.of(), Instant.EPOCH);
    }

    /** The event the scheduler publishes when a task execution of execution {@code executionId} enters {@code status}. */
    static Event statusEvent(long version, long executionId, String namespace, String workflow, String task, TaskStatus status) {
        return new Event(version, TaskStatusEvents.NAMESPACE, TaskStatusEvents.key(workflow, task), status.name(), TaskStatusEvents.TYPE,
                TaskStatusEvents.SENDER, Map.of(TaskStatusEvents.CONTEXT_EXECUTION_ID, Long.toString(executionId),
                        TaskStatusEvents.CONTEXT_WORKFLOW_NAMESPACE, namespace, TaskStatusEvents.CONTEXT_WORKFLOW_NAME, workflow,
                        TaskStatusEvents.CONTEXT_TASK_NAME, task, TaskStatusEvents.CONTEXT_TASK_EXECUTION_ID, "99",
                        TaskStatusEvents.CONTEXT_ATTEMPT, "1"),
                Instant.EPOCH);
    }

    /** A rule's view of execution {@code executionId} of {@code default/wf}, with the newest status of each task given. */
    static ConditionContext context(long executionId, Map<String, TaskStatus> latest) {
        return new Context(executionId, "default", "wf", Map.copyOf(latest));
    }

    static ConditionContext context(long executionId) {
        return context(executionId, Map.of());
    }

    private record Context(long workflowExecutionId, String workflowNamespace, String workflowName, Map<String, TaskStatus> latest)
            implements ConditionContext {
        @Override
        public Optional<TaskStatus> latestStatus(String taskName) {
            return Optional.ofNullable(latest.get(taskName));
        }
    }

    /** A registry holding the built-in condition types, as every scheduler has. */
    static PluginRegistry<ConditionType> builtInConditions() {
        PluginRegistry<ConditionType> registry = new PluginRegistry<>(ConditionType.TYPE_PROPERTY);
        BuiltInConditions.register(registry);
        return registry;
    }
}
