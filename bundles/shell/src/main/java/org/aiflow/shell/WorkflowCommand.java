package org.aiflow.shell;

import org.aiflow.api.scheduler.SchedulerService;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/** The scheduler and the workflow (first argument, {@code -n} namespace) that a workflow command acts on. */
abstract class WorkflowCommand extends AiflowCommand {
    @Reference
    SchedulerService scheduler;

    @Argument(index = 0, name = "workflow", description = "Workflow name", required = true)
    @Completion(WorkflowNameCompleter.class)
    String workflow;

    @Option(name = "-n", aliases = "--namespace", description = "Workflow namespace (default: default)")
    String namespace = "default";
}
