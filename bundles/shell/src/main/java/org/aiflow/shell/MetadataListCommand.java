package org.aiflow.shell;

import org.aiflow.api.metadata.ListQuery;
import org.aiflow.api.metadata.MetadataService;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/** The namespace, filter and paging options shared by the metadata list commands. */
abstract class MetadataListCommand extends AiflowCommand {
    @Reference
    MetadataService metadata;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace (default: default)")
    String namespace;

    @Option(name = "-p", aliases = "--prefix", description = "Only names starting with this text (no wildcards)")
    String prefix;

    @Option(name = "--after", description = "Start after this name (the last one of the previous page)")
    String after;

    @Option(name = "-l", aliases = "--limit", description = "At most this many (default 100)")
    int limit = 100;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    ListQuery query(String type, boolean includeDeleted) {
        return new ListQuery(prefix, type, after, includeDeleted, limit);
    }
}
