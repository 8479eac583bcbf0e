package org.aiflow.shell;

import org.aiflow.api.execution.ScheduleInfo;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "schedule-resume", description = "Resumes a paused schedule of a workflow: it fires next at its first "
        + "time after now; times missed while paused are not caught up.")
@Needs(Role.OPERATOR)
public class ScheduleResumeCommand extends WorkflowCommand {
    @Argument(index = 1, name = "schedule", description = "Schedule name (see schedule-list)", required = true)
    String schedule;

    @Override
    void run() {
        checkNamespace(namespace);
        ScheduleInfo s = scheduler.pauseSchedule(namespace, workflow, schedule, false);
        caller.audit("schedule.resume", s.workflowNamespace(), s.workflowName(), "schedule " + s.name());
        System.out.printf("Schedule %s of %s/%s resumed; %s.%n", s.name(), s.workflowNamespace(), s.workflowName(),
                s.nextFireTime() == null ? "it never fires again" : "it fires next at " + Output.time(s.nextFireTime()));
    }
}
