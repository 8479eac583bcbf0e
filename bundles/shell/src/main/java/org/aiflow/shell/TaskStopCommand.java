package org.aiflow.shell;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "task-stop", description = "Stops a task execution (stream tasks: with a savepoint); "
        + "stopping an ended one changes nothing.")
@Needs(Role.OPERATOR)
public class TaskStopCommand extends AiflowCommand {
    @Reference
    SchedulerService scheduler;

    @Argument(index = 0, name = "id", description = "Task execution id", required = true)
    long id;

    @Override
    void run() {
        checkNamespace(scheduler.task(id).namespace());
        TaskExecution t = scheduler.stopTask(id);
        caller.audit("task.stop", t.namespace(), Long.toString(t.id()),
                "task " + t.taskName() + " of execution " + t.workflowExecutionId() + ", attempt " + t.attempt() + ": " + t.status());
        System.out.printf("Task execution %d (%s/%s) is %s.%n", t.id(), t.workflowName(), t.taskName(), t.status());
    }
}
