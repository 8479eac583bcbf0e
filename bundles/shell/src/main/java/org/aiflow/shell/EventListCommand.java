package org.aiflow.shell;

import java.util.List;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "event-list", description = "Lists stored events, oldest first. Without filters or --after: the latest ones.")
public class EventListCommand extends AiflowCommand {
    @Reference
    NotificationService notifications;

    @Option(name = "-n", aliases = "--namespace", description = "Only this namespace; repeatable", multiValued = true)
    List<String> namespaces;

    @Option(name = "-k", aliases = "--key", description = "Only this key; repeatable", multiValued = true)
    List<String> keys;

    @Option(name = "-t", aliases = "--type", description = "Only this type; repeatable", multiValued = true)
    List<String> types;

    @Option(name = "-s", aliases = "--sender", description = "Only this sender; repeatable", multiValued = true)
    List<String> senders;

    @Option(name = "-a", aliases = "--after", description = "Only versions after this one")
    Long after;

    @Option(name = "-l", aliases = "--limit", description = "At most this many events (default 20)")
    int limit = 20;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        EventQuery query = new EventQuery(namespaces, keys, types, senders, after == null ? 0 : after, null, null, null, limit);
        if (after == null && query.unfiltered()) {
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
                Column.left("Sender", Event::sender));
    }
}
