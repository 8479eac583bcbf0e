package org.aiflow.shell;

import org.aiflow.api.metadata.Dataset;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "dataset-list", description = "Lists the datasets of a namespace, by name.")
public class DatasetListCommand extends AiflowCommand {
    @Reference
    MetadataService metadata;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace (default: default)")
    String namespace;

    @Option(name = "-a", aliases = "--all", description = "Include deleted datasets")
    boolean all;

    @Option(name = "-l", aliases = "--limit", description = "At most this many (default 100)")
    int limit = 100;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        Output.print(System.out, json, metadata.listDatasets(namespace, null, all, limit), "No datasets.",
                Column.left("Name", Dataset::name),
                Column.left("Format", Dataset::format),
                Column.right("Columns", d -> d.schema().size()),
                Column.left("URI", d -> Output.clip(d.uri(), 50)),
                Column.right("Revision", Dataset::revision),
                Column.left("Deleted", d -> d.deleted() ? "yes" : ""),
                Column.left("Updated", Dataset::updateTime));
    }
}
