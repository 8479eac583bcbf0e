package org.aiflow.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "event-send", description = "Publishes an event; it is durable when the command returns.")
@Needs(Role.OPERATOR)
public class EventSendCommand extends AiflowCommand {
    @Reference
    NotificationService notifications;

    @Argument(index = 0, name = "key", description = "What the event is about, e.g. a model name", required = true)
    String key;

    @Argument(index = 1, name = "value", description = "The payload (default: empty)")
    String value;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace (default: default)")
    String namespace;

    @Option(name = "-t", aliases = "--type", description = "Event type (default: UNDEFINED)")
    String type;

    @Option(name = "-s", aliases = "--sender", description = "Sender name")
    String sender = "console";

    @Option(name = "-c", aliases = "--context", description = "Context entry name=value; repeatable", multiValued = true)
    List<String> context;

    @Option(name = "-i", aliases = "--idempotency-key", description = "Re-sending with the same key stores nothing new")
    String idempotencyKey;

    @Option(name = "--json", description = "Print the stored event as JSON")
    boolean json;

    @Override
    void run() {
        String ns = checkNamespace(namespace);
        caller.caller().requirePublish(ns);
        // the event records who published it; it is not in the audit log
        Event e = notifications.publish(new EventDraft(ns, key, value, type, sender, context(), idempotencyKey)
                .withPrincipal(caller.principal()));
        if (json) {
            Output.json(System.out, e);
        } else {
            System.out.println("Event " + e.version() + " stored: " + e.namespace() + "/" + e.key() + " = " + Output.clip(e.value(), 60));
        }
    }

    private Map<String, String> context() {
        Map<String, String> result = new LinkedHashMap<>();
        if (context != null) {
            for (String entry : context) {
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new ValidationException("context entry '" + entry + "' must look like name=value");
                }
                result.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return result;
    }
}
