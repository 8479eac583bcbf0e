package org.aiflow.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "execution-show", description = "Shows a workflow execution and its task executions, newest first.")
@Needs(Role.VIEWER)
public class ExecutionShowCommand extends AiflowCommand {
    @Reference
    SchedulerService scheduler;

    @Argument(index = 0, name = "id", description = "Workflow execution id", required = true)
    long id;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        WorkflowExecution x = scheduler.execution(id);
        checkNamespace(x.namespace());
        List<TaskExecution> tasks = scheduler.listTasks(new TaskQuery(null, id, null, 10_000));
        if (json) {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("execution", x);
            shown.put("tasks", tasks);
            Output.json(System.out, shown);
            return;
        }
        System.out.printf("Execution %d of %s (snapshot %d): %s%n", x.id(), x.workflowName(), x.snapshotId(), x.status());
        System.out.printf("Started: %s%s%n", Output.time(x.startTime()), x.endTime() == null ? "" : "  Ended: " + Output.time(x.endTime()));
        System.out.println();
        Output.print(System.out, false, tasks, "No task executions.",
                Column.right("ID", TaskExecution::id),
                Column.left("Task", TaskExecution::taskName),
                Column.right("Attempt", TaskExecution::attempt),
                Column.left("Runner", TaskExecution::runnerType),
                Column.left("Status", TaskExecution::status),
                Column.left("Updated", TaskExecution::updateTime),
                Column.left("Message", t -> Output.clip(t.message(), 50)));
    }
}
