package org.aiflow.shell;

import java.time.Instant;

import org.aiflow.api.security.Role;
import org.aiflow.api.security.TokenService;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "token-revoke",
        description = "Revokes a token at once: the next call made with it is refused (admin). Revoking a revoked token changes nothing.")
@Needs(Role.ADMIN)
public class TokenRevokeCommand extends AiflowCommand {
    @Reference
    TokenService tokens;

    @Argument(index = 0, name = "id", description = "Token id (see token-list)", required = true)
    long id;

    @Override
    void run() {
        caller.requireEverywhere(Role.ADMIN);
        TokenView t = TokenView.of(tokens.revoke(id, caller.caller()), Instant.now());
        System.out.printf("Token %d '%s' is revoked (since %s, by %s).%n", t.id(), t.name(), Output.time(t.revokedAt()), t.revokedBy());
    }
}
