package org.aiflow.shell;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.security.Grant;
import org.aiflow.api.security.GrantService;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "grant-remove",
        description = "Removes a stored grant (admin). Roles the login realm gives are changed in the realm (etc/users.properties, LDAP, ...).")
@Needs(Role.ADMIN)
public class GrantRemoveCommand extends AiflowCommand {
    @Reference
    GrantService grants;

    @Argument(index = 0, name = "principal", description = "A user name, or group:<name>", required = true)
    String principal;

    @Argument(index = 1, name = "grant", description = "role or role@namespace, as grant-list shows it", required = true)
    String grant;

    @Override
    void run() {
        caller.requireEverywhere(Role.ADMIN);
        Grant g = Grant.parse(grant);
        if (!grants.remove(principal, g, caller.caller())) {
            throw new NotFoundException(principal + " has no stored grant " + g);
        }
        System.out.printf("%s no longer holds %s (as a stored grant).%n", principal, g);
    }
}
