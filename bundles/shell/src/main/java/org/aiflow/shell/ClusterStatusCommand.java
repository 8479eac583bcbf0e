package org.aiflow.shell;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.scheduler.ClusterService;
import org.aiflow.api.scheduler.ClusterStatus;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "cluster-status",
        description = "Shows the nodes sharing this platform's database, which of them schedules (the lease holder), its epoch and the lease's age.")
@Needs(Role.VIEWER)
public class ClusterStatusCommand extends AiflowCommand {
    static final String NOT_RUNNING = "the scheduler is not running";

    /** Optional: without the scheduler the command still exists and says why it cannot answer. */
    @Reference(optional = true)
    ClusterService cluster;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    /** For "last seen ... ago"; a test sets its own. */
    Clock clock = Clock.systemUTC();

    @Override
    void run() {
        if (cluster == null) {
            throw new UnavailableException(NOT_RUNNING, null);
        }
        ClusterStatus status = cluster.status();
        if (json) {
            Output.json(System.out, status);
            return;
        }
        print(System.out, status, clock.instant());
    }

    static void print(PrintStream out, ClusterStatus s, Instant now) {
        out.println(header(s));
        out.println();
        Output.print(out, false, s.nodes(), "No nodes seen.",
                Column.left("Node", ClusterStatus.Node::id),
                Column.left("Host", ClusterStatus.Node::host),
                Column.left("URL", ClusterStatus.Node::url),
                Column.left("Started", ClusterStatus.Node::started),
                Column.right("Last seen", n -> n.lastSeen() == null ? "" : span(Duration.between(n.lastSeen(), now).toMillis()) + " ago"),
                Column.left("Leader", n -> n.leader() ? "*" : ""));
    }

    /** {@code Leader: node-a (this node)  Epoch: 3  Lease age: 1.2s  Expires in: 8.8s  Timeout: 10s}. */
    static String header(ClusterStatus s) {
        StringBuilder b = new StringBuilder();
        if (s.leader() == null || !s.leader().equals(s.self())) {
            b.append("This node: ").append(s.self()).append("  ");
        }
        b.append("Leader: ").append(s.leader() == null ? "none" : s.leader().equals(s.self()) ? s.leader() + " (this node)" : s.leader());
        b.append("  Epoch: ").append(s.epoch());
        boolean taken = s.leaseAgeMillis() >= 0;
        b.append("  Lease age: ").append(taken ? span(s.leaseAgeMillis()) : "never taken");
        b.append("  Expires in: ").append(!taken ? "-" : s.leaseExpiresInMillis() < 0
                ? "lapsed " + span(-s.leaseExpiresInMillis()) + " ago" : span(s.leaseExpiresInMillis()));
        b.append("  Timeout: ").append(span(s.leaseTimeoutMillis()));
        return b.toString();
    }

    /** A length of time for people: 850ms, 1.2s, 42s, 2m05s, 3h02m, 2d04h; a negative one (clocks apart) counts as 0. */
    static String span(long millis) {
        long ms = Math.max(0, millis);
        if (ms < 1_000) {
            return ms + "ms";
        }
        if (ms < 10_000) {
            return ms / 1000 + "." + ms % 1000 / 100 + "s"; // tenths cut, not rounded: 9.95s is not yet 10s
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }
}
