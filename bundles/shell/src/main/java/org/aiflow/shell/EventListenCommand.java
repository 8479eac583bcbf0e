package org.aiflow.shell;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.event.NotificationService.Subscription;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "event-listen", description = "Follows the event log like tail -f, printing each event as it is committed, until Ctrl-C.")
@Needs(Role.VIEWER)
public class EventListenCommand extends EventFilterCommand {
    @Reference
    NotificationService notifications;

    @Option(name = "-a", aliases = "--after", description = "Start after this version (default: from now)")
    Long after;

    @Option(name = "--since", description = "Start with the events created at or after this time (ISO-8601, e.g. 2026-01-31T12:00:00Z)")
    String since;

    @Option(name = "-c", aliases = "--count", description = "Stop after this many events")
    long count = Long.MAX_VALUE;

    @Option(name = "--json", description = "Print one JSON object per line")
    boolean json;

    @Override
    void run() {
        scope(); // refused now rather than on the first event
        long start = startVersion();
        BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        if (!json) {
            System.out.println("Following events after version " + start + " (Ctrl-C to stop)...");
        }
        try (Subscription s = notifications.subscribe(start, e -> {
            if (matches(e)) {
                queue.add(e);
            }
        })) {
            for (long printed = 0; printed < count; printed++) {
                Event e = queue.take();
                if (json) {
                    Output.jsonLine(System.out, e);
                } else {
                    System.out.printf("%d  %s  %s/%s = %s  [%s%s]%n", e.version(), Output.time(e.createTime()), e.namespace(),
                            e.key(), Output.clip(e.value(), 80), e.type(), e.sender().isEmpty() ? "" : " from " + e.sender());
                }
                System.out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // Ctrl-C
        }
    }

    private long startVersion() {
        if (after != null && since != null) {
            throw new ValidationException("use either --after or --since");
        }
        if (after != null) {
            return after;
        }
        if (since != null) {
            try {
                return notifications.versionBefore(Instant.parse(since));
            } catch (DateTimeParseException e) {
                throw new ValidationException("--since '" + since + "' is not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            }
        }
        return notifications.latestVersion();
    }
}
