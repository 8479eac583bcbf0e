package org.aiflow.shell;

import java.util.List;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventQuery;
import org.apache.karaf.shell.api.action.Option;

/** The event filter options shared by the event commands (Karaf reads options of superclasses too). */
abstract class EventFilterCommand extends AiflowCommand {
    @Option(name = "-n", aliases = "--namespace", description = "Only this namespace; repeatable", multiValued = true)
    List<String> namespaces;

    @Option(name = "-k", aliases = "--key", description = "Only this key; repeatable", multiValued = true)
    List<String> keys;

    @Option(name = "-t", aliases = "--type", description = "Only this type; repeatable", multiValued = true)
    List<String> types;

    @Option(name = "-s", aliases = "--sender", description = "Only this sender; repeatable", multiValued = true)
    List<String> senders;

    EventQuery query(long afterVersion, int limit) {
        return new EventQuery(namespaces, keys, types, senders, afterVersion, null, null, null, limit);
    }

    boolean matches(Event e) {
        return (namespaces == null || namespaces.contains(e.namespace())) && (keys == null || keys.contains(e.key()))
                && (types == null || types.contains(e.type())) && (senders == null || senders.contains(e.sender()));
    }
}
