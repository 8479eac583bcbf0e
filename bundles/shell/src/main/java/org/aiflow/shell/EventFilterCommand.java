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

    private boolean scoped;
    private List<String> scope;

    /**
     * The namespaces the command covers: those asked for (each checked), or those the caller may
     * read, or null for every namespace ({@link ConsoleCaller#readableNamespaces}). Computed once.
     */
    List<String> scope() {
        if (!scoped) {
            scope = caller.readableNamespaces(namespaces);
            scoped = true;
        }
        return scope;
    }

    EventQuery query(long afterVersion, int limit) {
        return new EventQuery(scope(), keys, types, senders, afterVersion, null, null, null, limit);
    }

    /** True if no filter was given (the namespaces the caller may read aside). */
    boolean unfiltered() {
        return empty(namespaces) && empty(keys) && empty(types) && empty(senders);
    }

    boolean matches(Event e) {
        List<String> ns = scope();
        return (ns == null || ns.contains(e.namespace())) && (empty(keys) || keys.contains(e.key()))
                && (empty(types) || types.contains(e.type())) && (empty(senders) || senders.contains(e.sender()));
    }

    private static boolean empty(List<String> list) {
        return list == null || list.isEmpty();
    }
}
