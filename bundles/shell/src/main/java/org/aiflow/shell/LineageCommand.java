package org.aiflow.shell;

import java.util.List;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.metadata.LineageEdge;
import org.aiflow.api.metadata.LineageEntity;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "lineage",
        description = "Shows what a task execution read and wrote (--task), or who read or wrote a record (--dataset, --artifact, --model with --version).")
@Needs(Role.VIEWER)
public class LineageCommand extends AiflowCommand {
    @Reference
    MetadataService metadata;

    @Option(name = "-t", aliases = "--task", description = "A task execution id")
    Long task;

    @Option(name = "--dataset", description = "A dataset name")
    String dataset;

    @Option(name = "--artifact", description = "An artifact name")
    String artifact;

    @Option(name = "--model", description = "A model name (with --version)")
    String model;

    @Option(name = "--version", description = "The model version")
    int version;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace (default: default)")
    String namespace;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        List<LineageEdge> edges;
        long given = (task != null ? 1 : 0) + (dataset != null ? 1 : 0) + (artifact != null ? 1 : 0) + (model != null ? 1 : 0);
        if (given != 1) {
            throw new ValidationException("give exactly one of --task, --dataset, --artifact, --model");
        }
        if (task != null) {
            edges = caller.readable(metadata.lineageOfTask(task), LineageEdge::namespace);
        } else {
            checkNamespace(namespace);
            LineageEntity entity = dataset != null ? LineageEntity.dataset(dataset)
                    : artifact != null ? LineageEntity.artifact(artifact) : LineageEntity.modelVersion(model, version);
            edges = metadata.lineageOfEntity(namespace, entity);
        }
        Output.print(System.out, json, edges, "No lineage recorded.",
                Column.right("Task", LineageEdge::taskExecutionId),
                Column.left("Direction", LineageEdge::direction),
                Column.left("Kind", e -> e.entity().kind()),
                Column.left("Namespace", LineageEdge::namespace),
                Column.left("Name", e -> e.entity().name()),
                Column.right("Version", e -> e.entity().version() == 0 ? "" : e.entity().version()),
                Column.left("Recorded", LineageEdge::createTime));
    }
}
