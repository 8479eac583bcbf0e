package org.aiflow.shell;

import org.aiflow.api.event.NotificationService;
import org.aiflow.api.event.SubscriptionInfo;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "subscription-list", description = "Lists named durable subscriptions with their cursor and lag.")
@Needs(Role.VIEWER)
public class SubscriptionListCommand extends AiflowCommand {
    @Reference
    NotificationService notifications;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        Output.print(System.out, json, notifications.subscriptions(), "No subscriptions.",
                Column.left("Name", SubscriptionInfo::name),
                Column.right("Cursor", SubscriptionInfo::cursor),
                Column.right("Head", SubscriptionInfo::head),
                Column.right("Lag", SubscriptionInfo::lag),
                Column.left("Acknowledged", SubscriptionInfo::updateTime));
    }
}
