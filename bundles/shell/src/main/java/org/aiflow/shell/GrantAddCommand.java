package org.aiflow.shell;

import org.aiflow.api.security.Grant;
import org.aiflow.api.security.GrantService;
import org.aiflow.api.security.PrincipalGrant;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "grant-add",
        description = "Stores a grant for a user (or a group, written group:<name>), on top of the roles its login realm gives it (admin). "
                + "It applies to REST calls and to the checks of the aiflow: commands; Karaf's command ACLs see only realm roles.")
@Needs(Role.ADMIN)
public class GrantAddCommand extends AiflowCommand {
    @Reference
    GrantService grants;

    @Argument(index = 0, name = "principal", description = "A user name, or group:<name>", required = true)
    String principal;

    @Argument(index = 1, name = "grant", description = "role or role@namespace: viewer, operator@churn, author, admin", required = true)
    String grant;

    @Override
    void run() {
        caller.requireEverywhere(Role.ADMIN);
        PrincipalGrant g = grants.add(principal, Grant.parse(grant), caller.caller());
        System.out.printf("%s holds %s.%n", g.principal(), g.grant());
    }
}
