package org.aiflow.shell;

import java.util.ArrayList;
import java.util.List;

import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "plugin-list", description = "Lists the job runners, condition types and scheduling policies bound right now.")
@Needs(Role.VIEWER)
public class PluginListCommand extends AiflowCommand {
    static final String RUNNER = "runner";
    static final String CONDITION = "condition";
    static final String POLICY = "policy";

    @Reference
    SchedulerService scheduler;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    record Plugin(String kind, String name) {
    }

    @Override
    void run() {
        print(json, plugins(scheduler, RUNNER, CONDITION, POLICY));
    }

    /** The bound plugins of these kinds ({@link #RUNNER}, {@link #CONDITION}, {@link #POLICY}), policies in the order they are consulted. */
    static List<Plugin> plugins(SchedulerService scheduler, String... kinds) {
        List<Plugin> plugins = new ArrayList<>();
        for (String kind : kinds) {
            List<String> names = switch (kind) {
                case RUNNER -> scheduler.runnerTypes();
                case CONDITION -> scheduler.conditionTypes();
                case POLICY -> scheduler.policies();
                default -> throw new IllegalArgumentException(kind);
            };
            names.forEach(n -> plugins.add(new Plugin(kind, n)));
        }
        return plugins;
    }

    static void print(boolean json, List<Plugin> plugins) {
        Output.print(System.out, json, plugins, "No plugins.", Column.left("Kind", Plugin::kind), Column.left("Name", Plugin::name));
    }
}
