package org.aiflow.shell;

import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.ModelVersion;
import org.aiflow.api.metadata.ModelVersionDraft;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "model-version-create", description = "Registers the next version of a model (stage GENERATED, emits MODEL_GENERATED).")
@Needs(Role.OPERATOR)
public class ModelVersionCreateCommand extends AiflowCommand {
    @Reference
    MetadataService metadata;

    @Argument(index = 0, name = "model", description = "Model name", required = true)
    String model;

    @Argument(index = 1, name = "uri", description = "Where the model's files are", required = true)
    String uri;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace (default: default)")
    String namespace;

    @Option(name = "-t", aliases = "--type", description = "Model type or framework")
    String type;

    @Option(name = "-d", aliases = "--description", description = "Description")
    String description;

    @Override
    void run() {
        String ns = checkNamespace(namespace);
        ModelVersion v = metadata.createModelVersion(namespace, model, new ModelVersionDraft(uri, type, description, null));
        caller.audit("model-version.create", ns, v.modelName() + "/" + v.version(), v.stage() + " " + v.uri());
        System.out.printf("Model %s version %d registered: %s.%n", v.modelName(), v.version(), v.stage());
    }
}
