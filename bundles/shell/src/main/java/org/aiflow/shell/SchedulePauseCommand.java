package org.aiflow.shell;

import org.aiflow.api.execution.ScheduleInfo;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "schedule-pause", description = "Pauses a schedule of a workflow: it fires no more until resumed.")
@Needs(Role.OPERATOR)
public class SchedulePauseCommand extends WorkflowCommand {
    @Argument(index = 1, name = "schedule", description = "Schedule name (see schedule-list)", required = true)
    String schedule;

    @Override
    void run() {
        checkNamespace(namespace);
        ScheduleInfo s = scheduler.pauseSchedule(namespace, workflow, schedule, true);
        caller.audit("schedule.pause", s.workflowNamespace(), s.workflowName(), "schedule " + s.name());
        System.out.printf("Schedule %s of %s/%s paused.%n", s.name(), s.workflowNamespace(), s.workflowName());
    }
}
