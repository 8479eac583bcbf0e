package org.aiflow.shell;

import java.util.List;
import java.util.Map;

import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "event-count", description = "Counts stored events, in all or per sender.")
@Needs(Role.VIEWER)
public class EventCountCommand extends EventFilterCommand {
    @Reference
    NotificationService notifications;

    @Option(name = "--by-sender", description = "One count per sender")
    boolean bySender;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    record SenderCount(String sender, long count) {
    }

    @Override
    void run() {
        EventQuery query = query(0, 1);
        if (!bySender) {
            long count = notifications.count(query);
            if (json) {
                Output.json(System.out, Map.of("count", count));
            } else {
                System.out.println(count + (count == 1 ? " event" : " events"));
            }
            return;
        }
        List<SenderCount> rows = notifications.countBySender(query).entrySet().stream()
                .map(e -> new SenderCount(e.getKey(), e.getValue())).toList();
        Output.print(System.out, json, rows, "No events.",
                Column.left("Sender", r -> r.sender().isEmpty() ? "(none)" : r.sender()),
                Column.right("Events", SenderCount::count));
    }
}
