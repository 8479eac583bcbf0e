package org.aiflow.shell;

import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.Model;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "model-create", description = "Registers a model in the model registry.")
@Needs(Role.OPERATOR)
public class ModelCreateCommand extends AiflowCommand {
    @Reference
    MetadataService metadata;

    @Argument(index = 0, name = "name", description = "Model name", required = true)
    String name;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace (default: default)")
    String namespace;

    @Option(name = "-d", aliases = "--description", description = "Description")
    String description;

    @Override
    void run() {
        checkNamespace(namespace);
        Model m = metadata.createModel(namespace, name, description, null);
        caller.audit("model.create", m.namespace(), m.name(), "revision " + m.revision());
        System.out.printf("Model %s/%s created (revision %d).%n", m.namespace(), m.name(), m.revision());
    }
}
