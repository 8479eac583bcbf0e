package org.aiflow.shell;

import java.time.Instant;
import java.util.List;

import org.aiflow.api.security.Role;
import org.aiflow.api.security.TokenService;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "token-list",
        description = "Lists API tokens and tasks' own tokens, newest first, without their secrets (admin).")
@Needs(Role.ADMIN)
public class TokenListCommand extends AiflowCommand {
    @Reference
    TokenService tokens;

    @Option(name = "-a", aliases = "--all", description = "Include revoked tokens")
    boolean all;

    @Option(name = "-l", aliases = "--limit", description = "At most this many (default 100)")
    int limit = 100;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        caller.requireEverywhere(Role.ADMIN);
        Instant now = Instant.now();
        List<TokenView> rows = tokens.list(all, limit).stream().map(t -> TokenView.of(t, now)).toList();
        Output.print(System.out, json, rows, all ? "No tokens." : "No tokens (--all shows revoked ones).",
                Column.right("ID", TokenView::id),
                Column.left("Name", TokenView::name),
                Column.left("Principal", TokenView::principal),
                Column.left("Grants", t -> String.join(", ", t.grants())),
                Column.left("State", TokenView::state),
                Column.left("Expires", t -> t.expiresAt() == null ? "never" : t.expiresAt()),
                Column.left("Created", TokenView::createdAt),
                Column.left("By", TokenView::createdBy),
                Column.left("Secret", t -> t.prefix() + "..."));
    }
}
