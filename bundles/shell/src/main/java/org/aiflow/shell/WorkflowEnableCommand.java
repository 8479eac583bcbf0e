package org.aiflow.shell;

import org.aiflow.api.execution.Workflow;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "workflow-enable", description = "Enables a workflow: its executions react to events again.")
@Needs(Role.AUTHOR)
public class WorkflowEnableCommand extends WorkflowCommand {
    @Override
    void run() {
        checkNamespace(namespace);
        Workflow w = scheduler.setEnabled(namespace, workflow, true);
        caller.audit("workflow.enable", w.namespace(), w.name(), "snapshot " + w.snapshotId());
        System.out.printf("Workflow %s/%s enabled.%n", w.namespace(), w.name());
    }
}
