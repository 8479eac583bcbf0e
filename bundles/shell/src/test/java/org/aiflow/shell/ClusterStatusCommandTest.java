package org.aiflow.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import javax.security.auth.Subject;

import org.aiflow.api.scheduler.ClusterStatus;
import org.aiflow.shell.TestConsole.Result;
import org.junit.jupiter.api.Test;

/** {@code aiflow:cluster-status} over a fixed ClusterService: the header, the table, --json, the role and a missing scheduler. */
class ClusterStatusCommandTest {
    private static final Subject VIEWER = TestConsole.user("bob", "viewer@churn");
    private static final Subject NOBODY = TestConsole.user("nina", "ssh");
    private static final Instant NOW = Instant.parse("2026-05-01T10:05:00Z");
    private static final ClusterStatus STATUS = new ClusterStatus("node-b", "node-a", 3, 1200, 8800, 10000, List.of(
            new ClusterStatus.Node("node-a", "http://a:8181/aiflow/v1", "host-a", Instant.parse("2026-05-01T09:00:00Z"),
                    Instant.parse("2026-05-01T10:04:59.600Z"), true),
            new ClusterStatus.Node("node-b", "", "host-b", Instant.parse("2026-05-01T09:30:00Z"),
                    Instant.parse("2026-05-01T10:04:58Z"), false)));
    private final TestConsole console = new TestConsole();

    private ClusterStatusCommand command(ClusterStatus status) {
        ClusterStatusCommand c = console.wire(new ClusterStatusCommand());
        c.cluster = status == null ? null : () -> status;
        c.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return c;
    }

    @Test
    void aHeaderLineAndATableOfNodes() throws Exception {
        Result r = console.run(VIEWER, command(STATUS));

        assertThat(r.error()).isNull();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("This node: node-b  Leader: node-a  Epoch: 3  Lease age: 1.2s  Expires in: 8.8s  Timeout: 10s");
        assertThat(r.out()).contains("Node", "Host", "URL", "Started", "Last seen", "Leader");
        String a = lines.stream().filter(l -> l.contains("node-a") && l.contains("host-a")).findFirst().orElseThrow();
        assertThat(a).contains("http://a:8181/aiflow/v1", Output.time(Instant.parse("2026-05-01T09:00:00Z")), "400ms ago", "*");
        String b = lines.stream().filter(l -> l.contains("host-b")).findFirst().orElseThrow();
        assertThat(b).contains("node-b", Output.time(Instant.parse("2026-05-01T09:30:00Z")), "2.0s ago").doesNotContain("*");
    }

    @Test
    void theLeaderHereNoLeaderAndALapsedLease() throws Exception {
        ClusterStatus here = new ClusterStatus("node-a", "node-a", 1, 50, 9950, 10000, List.of());
        Result r = console.run(VIEWER, command(here));
        assertThat(r.out()).startsWith("Leader: node-a (this node)  Epoch: 1  Lease age: 50ms  Expires in: 9.9s  Timeout: 10s")
                .contains("No nodes seen.");

        assertThat(ClusterStatusCommand.header(new ClusterStatus("node-a", null, 0, -1, 0, 30000, List.of())))
                .isEqualTo("This node: node-a  Leader: none  Epoch: 0  Lease age: never taken  Expires in: -  Timeout: 30s");
        assertThat(ClusterStatusCommand.header(new ClusterStatus("node-a", null, 4, 75000, -65000, 10000, List.of())))
                .isEqualTo("This node: node-a  Leader: none  Epoch: 4  Lease age: 1m15s  Expires in: lapsed 1m05s ago  Timeout: 10s");
    }

    @Test
    void spans() {
        assertThat(ClusterStatusCommand.span(0)).isEqualTo("0ms");
        assertThat(ClusterStatusCommand.span(-40)).isEqualTo("0ms");
        assertThat(ClusterStatusCommand.span(999)).isEqualTo("999ms");
        assertThat(ClusterStatusCommand.span(1000)).isEqualTo("1.0s");
        assertThat(ClusterStatusCommand.span(9_949)).isEqualTo("9.9s");
        assertThat(ClusterStatusCommand.span(42_700)).isEqualTo("42s");
        assertThat(ClusterStatusCommand.span(125_000)).isEqualTo("2m05s");
        assertThat(ClusterStatusCommand.span(3 * 3_600_000L + 120_000)).isEqualTo("3h02m");
        assertThat(ClusterStatusCommand.span(2 * 86_400_000L + 4 * 3_600_000L)).isEqualTo("2d04h");
    }

    @Test
    void jsonHasTheFieldsOfTheRecord() throws Exception {
        ClusterStatusCommand c = command(STATUS);
        c.json = true;
        String out = console.run(VIEWER, c).out();
        assertThat(out).contains("\"self\" : \"node-b\"", "\"leader\" : \"node-a\"", "\"epoch\" : 3", "\"leaseAgeMillis\" : 1200",
                "\"leaseExpiresInMillis\" : 8800", "\"leaseTimeoutMillis\" : 10000", "\"host\" : \"host-a\"",
                "\"lastSeen\" : \"2026-05-01T10:04:59.600Z\"", "\"leader\" : true");
    }

    @Test
    void withoutTheSchedulerOrARoleItSaysWhy() throws Exception {
        Result none = console.run(VIEWER, command(null));
        assertThat(none.error()).isEqualTo("Error [unavailable]: the scheduler is not running");
        assertThat(none.out()).isEmpty();

        Result refused = console.run(NOBODY, command(STATUS));
        assertThat(refused.error()).isEqualTo("Error [forbidden]: nina needs the role viewer for this");
        assertThat(refused.out()).isEmpty();
    }
}
