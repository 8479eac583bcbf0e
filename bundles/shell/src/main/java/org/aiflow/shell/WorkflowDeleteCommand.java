package org.aiflow.shell;

import org.aiflow.api.scheduler.SchedulerService;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "workflow-delete", description = "Deletes a workflow (refused while an execution of it runs); "
        + "its snapshots and past executions stay readable.")
public class WorkflowDeleteCommand extends AiflowCommand {
    @Reference
    SchedulerService scheduler;

    @Argument(index = 0, name = "workflow", description = "Workflow name", required = true)
    @Completion(WorkflowNameCompleter.class)
    String workflow;

    @Option(name = "-n", aliases = "--namespace", description = "Workflow namespace (default: default)")
    String namespace = "default";

    @Override
    void run() {
        scheduler.deleteWorkflow(namespace, workflow);
        System.out.printf("Workflow %s/%s deleted.%n", namespace, workflow);
    }
}
