package org.aiflow.shell;

import org.aiflow.api.execution.Workflow;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "workflow-enable", description = "Enables a workflow: its executions react to events again.")
public class WorkflowEnableCommand extends WorkflowCommand {
    @Override
    void run() {
        Workflow w = scheduler.setEnabled(namespace, workflow, true);
        System.out.printf("Workflow %s/%s enabled.%n", w.namespace(), w.name());
    }
}
