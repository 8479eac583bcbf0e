package org.aiflow.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "workflow-delete", description = "Deletes a workflow (refused while an execution of it runs); "
        + "its snapshots and past executions stay readable.")
public class WorkflowDeleteCommand extends WorkflowCommand {
    @Override
    void run() {
        scheduler.deleteWorkflow(namespace, workflow);
        System.out.printf("Workflow %s/%s deleted.%n", namespace, workflow);
    }
}
