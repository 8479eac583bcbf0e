package org.aiflow.api.workflow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.aiflow.api.error.Names;
import org.aiflow.api.error.ValidationException;

/**
 * A workflow as uploaded by a user. Validated on construction: names are identifiers, task names
 * are unique, there is at least one task, {@code startAfter} names tasks of the workflow and its
 * chains have no cycle. {@code options} are settings that scheduling policies read (e.g.
 * {@code maxParallelExecutions}). {@code triggers} start and stop executions on events,
 * {@code schedules} on time; schedule names are unique and a schedule's task exists. Whether runner and condition types exist is checked by
 * the scheduler at upload, since plugins come and go.
 */
public record WorkflowDefinition(String namespace, String name, String description, List<TaskDefinition> tasks,
                                 Map<String, Object> options, List<Trigger> triggers, List<Schedule> schedules) {
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
        for (TaskDefinition t : tasks) {
            for (String upstream : t.startAfter()) {
                if (!seen.contains(upstream)) {
                    throw new ValidationException("task '" + t.name() + "' starts after '" + upstream + "', which is not a task of workflow '"
                            + name + "'");
                }
            }
        }
        checkNoCycle(name, tasks);
        options = options == null ? Map.of() : Map.copyOf(options);
        triggers = triggers == null ? List.of() : List.copyOf(triggers);
        schedules = schedules == null ? List.of() : List.copyOf(schedules);
        Set<String> scheduleNames = new HashSet<>();
        for (Schedule s : schedules) {
            if (!scheduleNames.add(s.name())) {
                throw new ValidationException("workflow '" + name + "' has two schedules named '" + s.name() + "'");
            }
            if (s.task() != null && !seen.contains(s.task())) {
                throw new ValidationException("schedule '" + s.name() + "' starts task '" + s.task() + "', which is not a task of workflow '"
                        + name + "'");
            }
        }
    }

    public WorkflowDefinition(String namespace, String name, String description, List<TaskDefinition> tasks) {
        this(namespace, name, description, tasks, null, null, null);
    }

    public WorkflowDefinition(String namespace, String name, String description, List<TaskDefinition> tasks,
                              Map<String, Object> options) {
        this(namespace, name, description, tasks, options, null, null);
    }

    /** Refuses a start-after chain that leads back to where it started, naming the cycle. */
    private static void checkNoCycle(String workflow, List<TaskDefinition> tasks) {
        Map<String, List<String>> after = new HashMap<>();
        tasks.forEach(t -> after.put(t.name(), t.startAfter()));
        Set<String> done = new HashSet<>();
        for (TaskDefinition t : tasks) {
            visit(workflow, t.name(), after, done, new ArrayList<>());
        }
    }

    private static void visit(String workflow, String task, Map<String, List<String>> after, Set<String> done, List<String> path) {
        if (done.contains(task)) {
            return;
        }
        int at = path.indexOf(task);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(task);
            throw new ValidationException("workflow '" + workflow + "' has a cycle in startAfter: " + String.join(" -> ", cycle));
        }
        path.add(task);
        for (String upstream : after.getOrDefault(task, List.of())) {
            visit(workflow, upstream, after, done, path);
        }
        path.remove(path.size() - 1);
        done.add(task);
    }

    public Optional<TaskDefinition> task(String taskName) {
        return tasks.stream().filter(t -> t.name().equals(taskName)).findFirst();
    }
}
