package org.aiflow.api.workflow;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.aiflow.api.error.Names;
import org.aiflow.api.error.ValidationException;

/**
 * A workflow as uploaded by a user. Validated on construction: names are identifiers, task names
 * are unique, there is at least one task. Whether runner and condition types exist is checked by
 * the scheduler at upload, since plugins come and go.
 */
public record WorkflowDefinition(String namespace, String name, String description, List<TaskDefinition> tasks) {
    public WorkflowDefinition {
        namespace = namespace == null || namespace.isEmpty() ? "default" : Names.identifier("namespace", namespace);
        Names.identifier("workflow name", name);
        description = description == null ? "" : description;
        if (tasks == null || tasks.isEmpty()) {
            throw new ValidationException("workflow '" + name + "' has no tasks");
        }
        tasks = List.copyOf(tasks);
        Set<String> seen = new HashSet<>();
        for (TaskDefinition t : tasks) {
            if (!seen.add(t.name())) {
                throw new ValidationException("workflow '" + name + "' has two tasks named '" + t.name() + "'");
            }
        }
    }

    public Optional<TaskDefinition> task(String taskName) {
        return tasks.stream().filter(t -> t.name().equals(taskName)).findFirst();
    }
}
