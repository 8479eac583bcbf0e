package org.aiflow.shell;

import org.aiflow.api.execution.Workflow;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "workflow-list", description = "Lists workflows.")
@Needs(Role.VIEWER)
public class WorkflowListCommand extends AiflowCommand {
    @Reference
    SchedulerService scheduler;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        Output.print(System.out, json, caller.readable(scheduler.listWorkflows(), Workflow::namespace), "No workflows.",
                Column.left("Namespace", Workflow::namespace),
                Column.left("Name", Workflow::name),
                Column.left("Enabled", Workflow::enabled),
                Column.right("Snapshot", Workflow::snapshotId),
                Column.left("Updated", Workflow::updateTime));
    }
}
