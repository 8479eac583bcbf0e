package org.aiflow.shell;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.security.Grant;
import org.aiflow.api.security.IssuedToken;
import org.aiflow.api.security.Role;
import org.aiflow.api.security.TokenDraft;
import org.aiflow.api.security.TokenService;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "token-create",
        description = "Creates an API token for a script or service (admin). Its secret is printed once: it is not stored and cannot be "
                + "shown again. Clients send it as 'Authorization: Bearer <secret>'.")
@Needs(Role.ADMIN)
public class TokenCreateCommand extends AiflowCommand {
    @Reference
    TokenService tokens;

    @Argument(index = 0, name = "name", description = "What the token is for, e.g. ci (unique among tokens not revoked)", required = true)
    String name;

    @Argument(index = 1, name = "grants", description = "What it may do: role or role@namespace (viewer, operator@churn, ...); one or more",
            required = true, multiValued = true)
    List<String> grants;

    @Option(name = "--principal", description = "The principal its calls are recorded as (default: token:<name>)")
    String principal;

    @Option(name = "--expires", description = "When it stops working: an ISO-8601 instant (2027-06-30T00:00:00Z), a date, or a "
            + "duration from now (30d, 12h, 90m, 2w, P30D); default: never")
    String expires;

    @Option(name = "--json", description = "Print the token and its secret as JSON")
    boolean json;

    @Override
    void run() {
        caller.requireEverywhere(Role.ADMIN);
        List<Grant> parsed = grantsAndTrailingOptions().stream().map(Grant::parse).toList();
        Instant now = Instant.now();
        Instant until = expires == null ? null : Times.instant("--expires", expires, now, true);
        IssuedToken issued = tokens.create(new TokenDraft(name, principal, parsed, until), caller.caller());
        TokenView t = TokenView.of(issued.token(), now);
        if (json) {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("token", t);
            shown.put("secret", issued.secret());
            Output.json(System.out, shown);
            return;
        }
        System.out.printf("Token %d '%s' created: recorded as %s, grants %s, %s.%n", t.id(), t.name(), t.principal(),
                String.join(", ", t.grants()), t.expiresAt() == null ? "never expires" : "expires " + Output.time(t.expiresAt()));
        System.out.println();
        System.out.println("    " + issued.secret());
        System.out.println();
        System.out.println("WARNING: this is the token's secret, shown this once: it is not stored and cannot be shown again.");
        System.out.println("Keep it like a password. Send it as the header 'Authorization: Bearer <secret>'; revoke it with");
        System.out.println("aiflow:token-revoke " + t.id() + ".");
    }

    /**
     * The grants, with the options written after them taken out: Karaf reads options only before the
     * first argument, so {@code token-create ci operator@churn --expires 30d} would make
     * {@code --expires} a grant.
     */
    List<String> grantsAndTrailingOptions() {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < grants.size(); i++) {
            String g = String.valueOf(grants.get(i));
            if (!g.startsWith("-")) {
                found.add(g);
                continue;
            }
            int eq = g.indexOf('=');
            String option = eq < 0 ? g : g.substring(0, eq);
            if (option.equals("--json") && eq < 0) {
                json = true;
                continue;
            }
            if (!option.equals("--expires") && !option.equals("--principal")) {
                throw new ValidationException("unknown option " + g + ": token-create takes --principal, --expires and --json");
            }
            String value;
            if (eq >= 0) {
                value = g.substring(eq + 1);
            } else if (i + 1 < grants.size()) {
                value = String.valueOf(grants.get(++i));
            } else {
                throw new ValidationException("option " + option + " needs a value");
            }
            if (option.equals("--expires")) {
                expires = value;
            } else {
                principal = value;
            }
        }
        if (found.isEmpty()) {
            throw new ValidationException("a token needs at least one grant (e.g. operator@churn)");
        }
        return found;
    }
}
