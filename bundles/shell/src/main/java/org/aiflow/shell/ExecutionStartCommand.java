package org.aiflow.shell;

import org.aiflow.api.execution.WorkflowExecution;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "execution-start", description = "Starts an execution of a workflow's current snapshot.")
public class ExecutionStartCommand extends WorkflowCommand {
    @Override
    void run() {
        WorkflowExecution x = scheduler.startExecution(namespace, workflow);
        System.out.printf("Execution %d of %s/%s started (snapshot %d).%n", x.id(), namespace, workflow, x.snapshotId());
    }
}
