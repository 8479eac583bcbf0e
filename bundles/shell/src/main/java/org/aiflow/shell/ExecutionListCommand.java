package org.aiflow.shell;

import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "execution-list", description = "Lists workflow executions, newest first.")
@Needs(Role.VIEWER)
public class ExecutionListCommand extends AiflowCommand {
    @Reference
    SchedulerService scheduler;

    @Option(name = "-w", aliases = "--workflow", description = "Only executions of this workflow")
    @Completion(WorkflowNameCompleter.class)
    String workflow;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace of --workflow (default: default)")
    String namespace = "default";

    @Option(name = "-l", aliases = "--limit", description = "At most this many (default 20)")
    int limit = 20;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        if (workflow != null) {
            checkNamespace(namespace);
        }
        Output.print(System.out, json, caller.readable(scheduler.listExecutions(namespace, workflow, limit), WorkflowExecution::namespace),
                "No executions.",
                Column.right("ID", WorkflowExecution::id),
                Column.left("Namespace", WorkflowExecution::namespace),
                Column.left("Workflow", WorkflowExecution::workflowName),
                Column.right("Snapshot", WorkflowExecution::snapshotId),
                Column.left("Status", WorkflowExecution::status),
                Column.left("Started", WorkflowExecution::startTime),
                Column.left("Ended", WorkflowExecution::endTime));
    }
}
