package org.aiflow.shell;

import java.util.List;
import java.util.Map;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatusChange;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "task-show", description = "Shows a task execution and every status change it went through.")
@Needs(Role.VIEWER)
public class TaskShowCommand extends AiflowCommand {
    @Reference
    SchedulerService scheduler;

    @Argument(index = 0, name = "id", description = "Task execution id", required = true)
    long id;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        TaskExecution t = scheduler.task(id);
        checkNamespace(t.namespace());
        List<TaskStatusChange> history = scheduler.taskHistory(id);
        if (json) {
            Output.json(System.out, Map.of("task", t, "history", history));
            return;
        }
        System.out.printf("Task execution %d: %s/%s attempt %d (execution %d), runner %s%n", t.id(), t.workflowName(),
                t.taskName(), t.attempt(), t.workflowExecutionId(), t.runnerType());
        System.out.printf("Status: %s  %s%n", t.status(), t.message());
        if (t.handle() != null) {
            System.out.println("Job handle: " + t.handle());
        }
        System.out.println();
        Output.print(System.out, false, history, "No status changes.",
                Column.left("Time", TaskStatusChange::time),
                Column.left("From", c -> c.from() == null ? "" : c.from()),
                Column.left("To", TaskStatusChange::to),
                Column.left("Message", c -> Output.clip(c.message(), 70)));
    }
}
