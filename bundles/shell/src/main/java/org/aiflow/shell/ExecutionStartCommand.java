package org.aiflow.shell;

import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.scheduler.SchedulerService;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "execution-start", description = "Starts an execution of a workflow's current snapshot.")
public class ExecutionStartCommand extends AiflowCommand {
    @Reference
    SchedulerService scheduler;

    @Argument(index = 0, name = "workflow", description = "Workflow name", required = true)
    @Completion(WorkflowNameCompleter.class)
    String workflow;

    @Option(name = "-n", aliases = "--namespace", description = "Workflow namespace (default: default)")
    String namespace = "default";

    @Override
    void run() {
        WorkflowExecution x = scheduler.startExecution(namespace, workflow);
        System.out.printf("Execution %d of %s/%s started (snapshot %d).%n", x.id(), namespace, workflow, x.snapshotId());
    }
}
