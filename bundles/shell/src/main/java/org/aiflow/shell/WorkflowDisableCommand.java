package org.aiflow.shell;

import org.aiflow.api.execution.Workflow;
import org.aiflow.api.scheduler.SchedulerService;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "workflow-disable", description = "Disables a workflow: its executions ignore events and no new execution starts.")
public class WorkflowDisableCommand extends AiflowCommand {
    @Reference
    SchedulerService scheduler;

    @Argument(index = 0, name = "workflow", description = "Workflow name", required = true)
    @Completion(WorkflowNameCompleter.class)
    String workflow;

    @Option(name = "-n", aliases = "--namespace", description = "Workflow namespace (default: default)")
    String namespace = "default";

    @Override
    void run() {
        Workflow w = scheduler.setEnabled(namespace, workflow, false);
        System.out.printf("Workflow %s/%s disabled.%n", w.namespace(), w.name());
    }
}
