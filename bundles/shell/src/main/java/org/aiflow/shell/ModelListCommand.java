package org.aiflow.shell;

import org.aiflow.api.metadata.Model;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "model-list", description = "Lists the models of a namespace, by name.")
@Needs(Role.VIEWER)
public class ModelListCommand extends MetadataListCommand {
    @Override
    void run() {
        checkNamespace(namespace);
        Output.print(System.out, json, metadata.listModels(namespace, query(null, false)), "No models.",
                Column.left("Namespace", Model::namespace),
                Column.left("Name", Model::name),
                Column.right("Revision", Model::revision),
                Column.left("Updated", Model::updateTime),
                Column.left("Description", m -> Output.clip(m.description(), 50)));
    }
}
