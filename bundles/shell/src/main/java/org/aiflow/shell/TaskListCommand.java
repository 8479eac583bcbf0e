package org.aiflow.shell;

import java.util.List;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "task-list", description = "Lists task executions, newest first.")
@Needs(Role.VIEWER)
public class TaskListCommand extends AiflowCommand {
    @Reference
    SchedulerService scheduler;

    @Option(name = "-n", aliases = "--namespace", description = "Only tasks of workflows in this namespace")
    String namespace;

    @Option(name = "-w", aliases = "--workflow", description = "Only tasks of this workflow")
    String workflow;

    @Option(name = "-e", aliases = "--execution", description = "Only tasks of this workflow execution id")
    Long execution;

    @Option(name = "-s", aliases = "--status", description = "Only tasks in this status (QUEUED, WAITING, RUNNING, SUCCESS, FAILED, ...)")
    TaskStatus status;

    @Option(name = "-l", aliases = "--limit", description = "At most this many (default 20)")
    int limit = 20;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        if (namespace != null) {
            checkNamespace(namespace);
        }
        List<TaskExecution> tasks = caller.readable(scheduler.listTasks(new TaskQuery(namespace, workflow, execution, status, limit)),
                TaskExecution::namespace);
        Output.print(System.out, json, tasks, "No task executions.",
                Column.right("ID", TaskExecution::id),
                Column.left("Namespace", TaskExecution::namespace),
                Column.left("Workflow", TaskExecution::workflowName),
                Column.right("Execution", TaskExecution::workflowExecutionId),
                Column.left("Task", TaskExecution::taskName),
                Column.right("Attempt", TaskExecution::attempt),
                Column.left("Runner", TaskExecution::runnerType),
                Column.left("Status", TaskExecution::status),
                Column.left("Updated", TaskExecution::updateTime),
                Column.left("Message", t -> Output.clip(t.message(), 50)));
    }
}
