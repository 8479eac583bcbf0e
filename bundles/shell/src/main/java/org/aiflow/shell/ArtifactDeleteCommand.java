package org.aiflow.shell;

import org.aiflow.api.metadata.Artifact;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "artifact-delete", description = "Marks an artifact deleted (emits ARTIFACT_DELETED); it stays readable.")
@Needs(Role.OPERATOR)
public class ArtifactDeleteCommand extends AiflowCommand {
    @Reference
    MetadataService metadata;

    @Argument(index = 0, name = "name", description = "Artifact name", required = true)
    String name;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace (default: default)")
    String namespace;

    @Option(name = "-r", aliases = "--revision", description = "Only if still at this revision (default: the current one)")
    Long revision;

    @Override
    void run() {
        checkNamespace(namespace);
        long expected = revision != null ? revision : metadata.artifact(namespace, name).revision();
        Artifact d = metadata.deleteArtifact(namespace, name, expected);
        caller.audit("artifact.delete", d.namespace(), d.name(), "revision " + d.revision());
        System.out.printf("Artifact %s/%s deleted (revision %d).%n", d.namespace(), d.name(), d.revision());
    }
}
