package org.aiflow.shell;

import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.ModelStage;
import org.aiflow.api.metadata.ModelVersion;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "model-version-list", description = "Lists the versions of a model, oldest first.")
@Needs(Role.VIEWER)
public class ModelVersionListCommand extends AiflowCommand {
    @Reference
    MetadataService metadata;

    @Argument(index = 0, name = "model", description = "Model name", required = true)
    String model;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace (default: default)")
    String namespace;

    @Option(name = "-s", aliases = "--stage", description = "Only versions in this stage")
    ModelStage stage;

    @Option(name = "-l", aliases = "--limit", description = "At most this many (default 100)")
    int limit = 100;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        checkNamespace(namespace);
        Output.print(System.out, json, metadata.listModelVersions(namespace, model, stage, 0, limit), "No versions.",
                Column.right("Version", ModelVersion::version),
                Column.left("Stage", ModelVersion::stage),
                Column.left("Type", ModelVersion::type),
                Column.left("URI", v -> Output.clip(v.uri(), 50)),
                Column.right("Revision", ModelVersion::revision),
                Column.left("Updated", ModelVersion::updateTime));
    }
}
