package org.aiflow.shell;

import org.aiflow.api.execution.Workflow;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "workflow-disable", description = "Disables a workflow: its executions ignore events and no new execution starts.")
public class WorkflowDisableCommand extends WorkflowCommand {
    @Override
    void run() {
        Workflow w = scheduler.setEnabled(namespace, workflow, false);
        System.out.printf("Workflow %s/%s disabled.%n", w.namespace(), w.name());
    }
}
