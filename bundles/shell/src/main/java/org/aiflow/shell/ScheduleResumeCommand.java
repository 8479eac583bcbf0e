package org.aiflow.shell;

import org.aiflow.api.execution.ScheduleInfo;
import org.aiflow.api.scheduler.SchedulerService;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "schedule-resume", description = "Resumes a paused schedule of a workflow: it fires next at its first "
        + "time after now; times missed while paused are not caught up.")
public class ScheduleResumeCommand extends AiflowCommand {
    @Reference
    SchedulerService scheduler;

    @Argument(index = 0, name = "workflow", description = "Workflow name", required = true)
    @Completion(WorkflowNameCompleter.class)
    String workflow;

    @Argument(index = 1, name = "schedule", description = "Schedule name (see schedule-list)", required = true)
    String schedule;

    @Option(name = "-n", aliases = "--namespace", description = "Workflow namespace (default: default)")
    String namespace = "default";

    @Override
    void run() {
        ScheduleInfo s = scheduler.pauseSchedule(namespace, workflow, schedule, false);
        System.out.printf("Schedule %s of %s/%s resumed; %s.%n", s.name(), s.workflowNamespace(), s.workflowName(),
                s.nextFireTime() == null ? "it never fires again" : "it fires next at " + Output.time(s.nextFireTime()));
    }
}
