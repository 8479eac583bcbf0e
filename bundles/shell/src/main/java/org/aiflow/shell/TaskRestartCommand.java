package org.aiflow.shell;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "task-restart", description = "Stops the running attempt of a task, if any, and starts a new one, "
        + "as a RESTART rule would.")
@Needs(Role.OPERATOR)
public class TaskRestartCommand extends AiflowCommand {
    @Reference
    SchedulerService scheduler;

    @Argument(index = 0, name = "execution", description = "Workflow execution id", required = true)
    long execution;

    @Argument(index = 1, name = "task", description = "Task name", required = true)
    String task;

    @Override
    void run() {
        checkNamespace(scheduler.execution(execution).namespace());
        TaskExecution t = scheduler.restartTask(execution, task);
        caller.audit("task.restart", t.namespace(), Long.toString(t.id()),
                "task " + t.taskName() + " of execution " + t.workflowExecutionId() + ", attempt " + t.attempt());
        System.out.printf("Task %s of execution %d restarted as task execution %d (attempt %d): %s.%n", t.taskName(),
                t.workflowExecutionId(), t.id(), t.attempt(), t.status());
    }
}
