package org.aiflow.shell;

import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "workflow-delete", description = "Deletes a workflow (refused while an execution of it runs); "
        + "its snapshots and past executions stay readable.")
@Needs(Role.AUTHOR)
public class WorkflowDeleteCommand extends WorkflowCommand {
    @Override
    void run() {
        checkNamespace(namespace);
        scheduler.deleteWorkflow(namespace, workflow);
        caller.audit("workflow.delete", namespace, workflow, "");
        System.out.printf("Workflow %s/%s deleted.%n", namespace, workflow);
    }
}
