package org.aiflow.shell;

import org.aiflow.api.metadata.Dataset;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "dataset-list", description = "Lists the datasets of a namespace, by name.")
@Needs(Role.VIEWER)
public class DatasetListCommand extends MetadataListCommand {
    @Option(name = "-f", aliases = "--format", description = "Only datasets of this format")
    String format;

    @Option(name = "-a", aliases = "--all", description = "Include deleted datasets")
    boolean all;

    @Override
    void run() {
        checkNamespace(namespace);
        Output.print(System.out, json, metadata.listDatasets(namespace, query(format, all)), "No datasets.",
                Column.left("Name", Dataset::name),
                Column.left("Format", Dataset::format),
                Column.right("Columns", d -> d.schema().size()),
                Column.left("URI", d -> Output.clip(d.uri(), 50)),
                Column.right("Revision", Dataset::revision),
                Column.left("Deleted", d -> d.deleted() ? "yes" : ""),
                Column.left("Updated", Dataset::updateTime));
    }
}
