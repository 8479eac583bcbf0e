package org.aiflow.shell;

import org.aiflow.api.metadata.Artifact;
import org.aiflow.api.metadata.ArtifactDraft;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "artifact-create", description = "Registers an artifact (emits ARTIFACT_CREATED).")
@Needs(Role.OPERATOR)
public class ArtifactCreateCommand extends AiflowCommand {
    @Reference
    MetadataService metadata;

    @Argument(index = 0, name = "name", description = "Artifact name", required = true)
    String name;

    @Argument(index = 1, name = "uri", description = "Where the artifact is", required = true)
    String uri;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace (default: default)")
    String namespace;

    @Option(name = "-t", aliases = "--type", description = "Artifact type, e.g. config, report")
    String type;

    @Option(name = "-d", aliases = "--description", description = "Description")
    String description;

    @Override
    void run() {
        checkNamespace(namespace);
        Artifact a = metadata.createArtifact(namespace, new ArtifactDraft(name, type, uri, description, null));
        caller.audit("artifact.create", a.namespace(), a.name(), "revision " + a.revision());
        System.out.printf("Artifact %s/%s created (revision %d).%n", a.namespace(), a.name(), a.revision());
    }
}
