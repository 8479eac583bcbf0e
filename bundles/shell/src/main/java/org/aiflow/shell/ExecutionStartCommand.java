package org.aiflow.shell;

import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "execution-start", description = "Starts an execution of a workflow's current snapshot.")
@Needs(Role.OPERATOR)
public class ExecutionStartCommand extends WorkflowCommand {
    @Override
    void run() {
        checkNamespace(namespace);
        WorkflowExecution x = scheduler.startExecution(namespace, workflow);
        caller.audit("execution.start", x.namespace(), Long.toString(x.id()),
                "workflow " + x.workflowName() + ", snapshot " + x.snapshotId());
        System.out.printf("Execution %d of %s/%s started (snapshot %d).%n", x.id(), namespace, workflow, x.snapshotId());
    }
}
