package org.aiflow.shell;

import org.aiflow.api.execution.Workflow;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.aiflow.shell.Starters.TriggerView;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "trigger-list", description = "Lists the triggers of a workflow's current snapshot: conditions that "
        + "start, stop or restart its executions.")
@Needs(Role.VIEWER)
public class TriggerListCommand extends WorkflowCommand {
    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        checkNamespace(namespace);
        Workflow w = scheduler.workflow(namespace, workflow);
        Output.print(System.out, json, Starters.triggers(scheduler.snapshot(w.snapshotId()).definition()),
                "Workflow " + w.namespace() + "/" + w.name() + " has no triggers.",
                Column.right("#", TriggerView::index),
                Column.left("Action", TriggerView::action),
                Column.left("Condition", TriggerView::summary));
    }
}
