package org.aiflow.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Grant;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "whoami",
        description = "Shows who this console session acts as (the principal recorded with its changes) and its grants.")
@Needs(Role.VIEWER)
public class WhoamiCommand extends AiflowCommand {
    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        Caller c = caller.caller();
        List<String> grants = c.grants().stream().map(Grant::toString).sorted().toList();
        if (json) {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("principal", c.principal());
            shown.put("kind", c.kind().name().toLowerCase());
            shown.put("grants", grants);
            Output.json(System.out, shown);
            return;
        }
        System.out.printf("%s (%s)%n", c.principal(), c.kind().name().toLowerCase());
        System.out.println("Grants: " + (grants.isEmpty() ? "none" : String.join(", ", grants)));
    }
}
