package org.aiflow.shell;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "task-start", description = "Starts a task of a running workflow execution by hand (a new attempt), "
        + "as a START rule would; refused if it is queued or running.")
@Needs(Role.OPERATOR)
public class TaskStartCommand extends AiflowCommand {
    @Reference
    SchedulerService scheduler;

    @Argument(index = 0, name = "execution", description = "Workflow execution id", required = true)
    long execution;

    @Argument(index = 1, name = "task", description = "Task name", required = true)
    String task;

    @Override
    void run() {
        checkNamespace(scheduler.execution(execution).namespace());
        TaskExecution t = scheduler.startTask(execution, task);
        caller.audit("task.start", t.namespace(), Long.toString(t.id()),
                "task " + t.taskName() + " of execution " + t.workflowExecutionId() + ", attempt " + t.attempt());
        System.out.printf("Task %s of execution %d started as task execution %d (attempt %d): %s.%n", t.taskName(),
                t.workflowExecutionId(), t.id(), t.attempt(), t.status());
    }
}
