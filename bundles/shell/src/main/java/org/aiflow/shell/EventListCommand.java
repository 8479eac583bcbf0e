package org.aiflow.shell;

import java.util.List;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "event-list", description = "Lists stored events, oldest first. Without filters or --after: the latest ones.")
@Needs(Role.VIEWER)
public class EventListCommand extends EventFilterCommand {
    @Reference
    NotificationService notifications;

    @Option(name = "-a", aliases = "--after", description = "Only versions after this one")
    Long after;

    @Option(name = "-l", aliases = "--limit", description = "At most this many events (default 20)")
    int limit = 20;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        EventQuery query = query(after == null ? 0 : after, limit);
        if (after == null && unfiltered()) {
            query = query.withAfterVersion(Math.max(0, notifications.latestVersion() - limit)); // the latest ones
        }
        List<Event> events = notifications.list(query);
        Output.print(System.out, json, events, "No events.",
                Column.right("Version", Event::version),
                Column.left("Time", Event::createTime),
                Column.left("Namespace", Event::namespace),
                Column.left("Key", Event::key),
                Column.left("Value", e -> Output.clip(e.value(), 40)),
                Column.left("Type", Event::type),
                Column.left("Sender", Event::sender),
                Column.left("Principal", Event::principal));
    }
}
