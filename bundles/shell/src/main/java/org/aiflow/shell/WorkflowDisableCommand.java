package org.aiflow.shell;

import org.aiflow.api.execution.Workflow;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "workflow-disable", description = "Disables a workflow: its executions ignore events and no new execution starts.")
@Needs(Role.AUTHOR)
public class WorkflowDisableCommand extends WorkflowCommand {
    @Override
    void run() {
        checkNamespace(namespace);
        Workflow w = scheduler.setEnabled(namespace, workflow, false);
        caller.audit("workflow.disable", w.namespace(), w.name(), "snapshot " + w.snapshotId());
        System.out.printf("Workflow %s/%s disabled.%n", w.namespace(), w.name());
    }
}
