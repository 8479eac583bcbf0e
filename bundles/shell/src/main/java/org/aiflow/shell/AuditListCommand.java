package org.aiflow.shell;

import java.time.Instant;

import org.aiflow.api.error.ForbiddenException;
import org.aiflow.api.security.AuditEntry;
import org.aiflow.api.security.AuditQuery;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "audit-list",
        description = "Lists recorded changes (who uploaded, started, stopped, promoted, created tokens ...), newest first. "
                + "Admins see every entry, others their own.")
@Needs(Role.VIEWER)
public class AuditListCommand extends AiflowCommand {
    @Option(name = "-p", aliases = "--principal", description = "Only changes made by this principal (others than yourself: admin)")
    String principal;

    @Option(name = "-n", aliases = "--namespace", description = "Only changes in this namespace")
    String namespace;

    @Option(name = "-a", aliases = "--action", description = "Only this action, e.g. workflow.upload, execution.start, token.create")
    String action;

    @Option(name = "--from", description = "Only changes at or after this time: ISO-8601 instant, date, or how long ago (1h, 7d)")
    String from;

    @Option(name = "--to", description = "Only changes before this time: ISO-8601 instant, date, or how long ago")
    String to;

    @Option(name = "--before", description = "Only entries with a smaller id (the next page: the last id shown)")
    Long before;

    @Option(name = "-l", aliases = "--limit", description = "At most this many (default 50, at most 1000)")
    int limit = 50;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        String who = principal;
        if (!caller.caller().mayEverywhere(Role.ADMIN)) {
            if (who != null && !who.equals(caller.principal())) {
                throw new ForbiddenException(caller.principal() + " may read only its own audit entries; other principals' need the role admin");
            }
            who = caller.principal();
        }
        Instant now = Instant.now();
        AuditQuery query = new AuditQuery(who, namespace, action, from == null ? null : Times.instant("--from", from, now, false),
                to == null ? null : Times.instant("--to", to, now, false), before, limit);
        Output.print(System.out, json, auditLog.list(query), "No audit entries.",
                Column.right("ID", AuditEntry::id),
                Column.left("Time", AuditEntry::time),
                Column.left("Principal", AuditEntry::principal),
                Column.left("Action", AuditEntry::action),
                Column.left("Namespace", AuditEntry::namespace),
                Column.left("Target", AuditEntry::target),
                Column.left("Detail", e -> Output.clip(e.detail(), 60)));
    }
}
