package org.aiflow.shell;

import java.util.List;

import org.aiflow.api.execution.ScheduleInfo;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "schedule-list", description = "Lists the schedules of a workflow's current snapshot with their next fire "
        + "times.")
@Needs(Role.VIEWER)
public class ScheduleListCommand extends WorkflowCommand {
    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        checkNamespace(namespace);
        List<ScheduleInfo> schedules = scheduler.schedules(namespace, workflow);
        Output.print(System.out, json, schedules, "Workflow " + namespace + "/" + workflow + " has no schedules.",
                Column.left("Name", ScheduleInfo::name),
                Column.left("Expression", ScheduleInfo::expression),
                Column.left("Task", Starters::task),
                Column.left("Catch-up", ScheduleInfo::catchUp),
                Column.left("Next fire", Starters::nextFire),
                Column.left("Paused", ScheduleInfo::paused));
    }
}
