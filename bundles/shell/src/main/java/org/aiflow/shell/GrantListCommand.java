package org.aiflow.shell;

import java.time.Instant;
import java.util.List;

import org.aiflow.api.security.GrantService;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "grant-list",
        description = "Lists the stored grants, by principal (admin); the roles login realms give are not listed here.")
@Needs(Role.ADMIN)
public class GrantListCommand extends AiflowCommand {
    @Reference
    GrantService grants;

    @Argument(index = 0, name = "principal", description = "Only the grants of this principal")
    String principal;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    /** A stored grant as shown: the grant as written on the command line. */
    record GrantView(String principal, String grant, Instant createdAt, String createdBy) {
    }

    @Override
    void run() {
        caller.requireEverywhere(Role.ADMIN);
        List<GrantView> rows = grants.list().stream()
                .filter(g -> principal == null || g.principal().equals(principal))
                .map(g -> new GrantView(g.principal(), g.grant().toString(), g.createdAt(), g.createdBy()))
                .toList();
        Output.print(System.out, json, rows, principal == null ? "No stored grants." : principal + " has no stored grants.",
                Column.left("Principal", GrantView::principal),
                Column.left("Grant", GrantView::grant),
                Column.left("Added", GrantView::createdAt),
                Column.left("By", GrantView::createdBy));
    }
}
