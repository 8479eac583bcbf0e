package org.aiflow.shell;

import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "runner-list", description = "Lists the job runner types bound right now (plugin-list shows every kind).")
@Needs(Role.VIEWER)
public class RunnerListCommand extends AiflowCommand {
    @Reference
    SchedulerService scheduler;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        PluginListCommand.print(json, PluginListCommand.plugins(scheduler, PluginListCommand.RUNNER));
    }
}
