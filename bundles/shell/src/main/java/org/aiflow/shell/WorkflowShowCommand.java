package org.aiflow.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.ScheduleInfo;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.security.Role;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "workflow-show", description = "Shows a workflow and draws its tasks, with their rules and their status "
        + "in the latest running execution (or the newest one), then its triggers and schedules.")
@Needs(Role.VIEWER)
public class WorkflowShowCommand extends WorkflowCommand {
    /** How many executions are searched for a running one. */
    private static final int SEARCHED = 100;
    private static final int WIDTH = 100;

    @Option(name = "-e", aliases = "--execution", description = "Show the task statuses of this execution instead")
    Long executionId;

    @Option(name = "--ascii", description = "Draw with ASCII characters only")
    boolean ascii;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    /** A task as --json shows it. */
    record TaskView(String name, TaskKind kind, String runnerType, boolean startsWithExecution, List<String> after, List<String> rules,
                    TaskExecution latest) {
    }

    @Override
    void run() {
        checkNamespace(namespace);
        Workflow w = scheduler.workflow(namespace, workflow);
        WorkflowExecution x = execution(w);
        // the statuses belong to the execution's snapshot, which may be older than the current one
        long snapshotId = x == null ? w.snapshotId() : x.snapshotId();
        WorkflowDefinition definition = scheduler.snapshot(snapshotId).definition();
        Map<String, TaskExecution> latest = x == null ? Map.of()
                : TaskGraph.latest(scheduler.listTasks(new TaskQuery(null, x.id(), null, 10_000)));
        List<TaskGraph.Row> rows = TaskGraph.rows(definition, latest, ascii);
        // triggers and schedules are the workflow's: those of its current snapshot
        WorkflowDefinition current = snapshotId == w.snapshotId() ? definition : scheduler.snapshot(w.snapshotId()).definition();
        List<Starters.TriggerView> triggers = Starters.triggers(current);
        List<ScheduleInfo> schedules = scheduler.schedules(w.namespace(), w.name());
        if (json) {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("workflow", w);
            shown.put("description", definition.description());
            shown.put("snapshotId", snapshotId);
            shown.put("execution", x);
            shown.put("tasks", rows.stream().map(r -> new TaskView(r.task().name(), r.task().kind(), r.task().job().runnerType(),
                    r.task().startsWithExecution(), r.after(), r.rules(), r.latest())).toList());
            shown.put("triggers", triggers);
            shown.put("schedules", schedules);
            Output.json(System.out, shown);
            return;
        }
        System.out.printf("Workflow %s/%s: %s, snapshot %d, %d task%s, updated %s%n", w.namespace(), w.name(),
                w.enabled() ? "enabled" : "DISABLED", w.snapshotId(), definition.tasks().size(),
                definition.tasks().size() == 1 ? "" : "s", Output.time(w.updateTime()));
        if (!definition.description().isBlank()) {
            System.out.println("  " + Output.clip(definition.description(), WIDTH - 2));
        }
        if (x == null) {
            System.out.println("No executions yet.");
        } else {
            String snapshot = x.snapshotId() == w.snapshotId() ? ""
                    : " (runs snapshot " + x.snapshotId() + "; its tasks are shown)";
            String when = x.endTime() == null ? "since " + Output.time(x.startTime())
                    : Output.time(x.startTime()) + " to " + Output.time(x.endTime());
            System.out.printf("Execution %d%s: %s %s%n", x.id(), snapshot, x.status(), when);
        }
        System.out.println();
        TaskGraph.lines(rows, WIDTH).forEach(System.out::println);
        String of = snapshotId == w.snapshotId() ? ":" : " (of the current snapshot " + w.snapshotId() + "):";
        for (List<String> section : List.of(Starters.triggerLines("Triggers" + of, triggers, WIDTH),
                Starters.scheduleLines("Schedules" + of, schedules, WIDTH))) {
            if (!section.isEmpty()) {
                System.out.println();
                section.forEach(System.out::println);
            }
        }
    }

    /** The chosen execution, or the newest running one, or the newest one; null if it never ran. */
    private WorkflowExecution execution(Workflow w) {
        if (executionId != null) {
            WorkflowExecution x = scheduler.execution(executionId);
            if (x.workflowId() != w.id()) {
                throw new NotFoundException("workflow execution " + executionId + " is not an execution of " + w.namespace() + "/" + w.name());
            }
            return x;
        }
        List<WorkflowExecution> executions = scheduler.listExecutions(w.namespace(), w.name(), SEARCHED);
        return executions.stream().filter(x -> x.status() == ExecutionStatus.RUNNING).findFirst()
                .orElse(executions.isEmpty() ? null : executions.get(0));
    }
}
