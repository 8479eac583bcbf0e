package org.aiflow.shell;

import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "execution-stop", description = "Stops a workflow execution and every task of it that still runs.")
@Needs(Role.OPERATOR)
public class ExecutionStopCommand extends AiflowCommand {
    @Reference
    SchedulerService scheduler;

    @Argument(index = 0, name = "id", description = "Workflow execution id", required = true)
    long id;

    @Override
    void run() {
        checkNamespace(scheduler.execution(id).namespace());
        WorkflowExecution x = scheduler.stopExecution(id);
        caller.audit("execution.stop", x.namespace(), Long.toString(x.id()), "workflow " + x.workflowName() + ": " + x.status());
        System.out.printf("Execution %d of %s is %s.%n", x.id(), x.workflowName(), x.status());
    }
}
