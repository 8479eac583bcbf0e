package org.aiflow.shell;

import java.util.ArrayList;
import java.util.List;

import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "plugin-list", description = "Lists the job runners, condition types and scheduling policies bound right now.")
public class PluginListCommand extends AiflowCommand {
    @Reference
    SchedulerService scheduler;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    record Plugin(String kind, String name) {
    }

    @Override
    void run() {
        List<Plugin> plugins = new ArrayList<>();
        scheduler.runnerTypes().forEach(n -> plugins.add(new Plugin("runner", n)));
        scheduler.conditionTypes().forEach(n -> plugins.add(new Plugin("condition", n)));
        scheduler.policies().forEach(n -> plugins.add(new Plugin("policy", n)));
        Output.print(System.out, json, plugins, "No plugins.", Column.left("Kind", Plugin::kind), Column.left("Name", Plugin::name));
    }
}
