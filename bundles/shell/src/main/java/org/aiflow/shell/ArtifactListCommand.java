package org.aiflow.shell;

import org.aiflow.api.metadata.Artifact;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "artifact-list", description = "Lists the artifacts of a namespace, by name.")
@Needs(Role.VIEWER)
public class ArtifactListCommand extends MetadataListCommand {
    @Option(name = "-t", aliases = "--type", description = "Only artifacts of this type")
    String type;

    @Option(name = "-a", aliases = "--all", description = "Include deleted artifacts")
    boolean all;

    @Override
    void run() {
        checkNamespace(namespace);
        Output.print(System.out, json, metadata.listArtifacts(namespace, query(type, all)), "No artifacts.",
                Column.left("Name", Artifact::name),
                Column.left("Type", Artifact::type),
                Column.left("URI", a -> Output.clip(a.uri(), 50)),
                Column.right("Revision", Artifact::revision),
                Column.left("Deleted", a -> a.deleted() ? "yes" : ""),
                Column.left("Updated", Artifact::updateTime));
    }
}
