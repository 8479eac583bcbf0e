package org.aiflow.shell;

import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.Model;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "model-list", description = "Lists the models of a namespace, by name.")
public class ModelListCommand extends AiflowCommand {
    @Reference
    MetadataService metadata;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace (default: default)")
    String namespace;

    @Option(name = "-l", aliases = "--limit", description = "At most this many (default 100)")
    int limit = 100;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        Output.print(System.out, json, metadata.listModels(namespace, null, limit), "No models.",
                Column.left("Namespace", Model::namespace),
                Column.left("Name", Model::name),
                Column.right("Revision", Model::revision),
                Column.left("Updated", Model::updateTime),
                Column.left("Description", m -> Output.clip(m.description(), 50)));
    }
}
