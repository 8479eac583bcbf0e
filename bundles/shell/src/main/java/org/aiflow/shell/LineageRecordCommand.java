package org.aiflow.shell;

import java.util.ArrayList;
import java.util.List;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.metadata.LineageDirection;
import org.aiflow.api.metadata.LineageEdge;
import org.aiflow.api.metadata.LineageEntity;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "lineage-record",
        description = "Records that a task execution READ or WROTE records: lineage-record 12 READ dataset:train.csv model:churn:3")
@Needs(Role.OPERATOR)
public class LineageRecordCommand extends AiflowCommand {
    @Reference
    MetadataService metadata;

    @Argument(index = 0, name = "task", description = "Task execution id", required = true)
    long task;

    @Argument(index = 1, name = "direction", description = "READ or WROTE", required = true)
    String direction;

    @Argument(index = 2, name = "entities", description = "dataset:NAME, artifact:NAME or model:NAME:VERSION", required = true,
            multiValued = true)
    List<String> entities;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace (default: default)")
    String namespace;

    @Override
    void run() {
        String ns = checkNamespace(namespace);
        LineageDirection d;
        try {
            d = LineageDirection.valueOf(direction.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new ValidationException("direction must be READ or WROTE, not '" + direction + "'");
        }
        List<LineageEntity> parsed = new ArrayList<>();
        for (String e : entities) {
            parsed.add(parse(e));
        }
        List<LineageEdge> edges = metadata.recordLineage(namespace, task, d, parsed);
        caller.audit("lineage.record", ns, Long.toString(task), d + " " + String.join(" ", entities));
        System.out.printf("Task execution %d %s %d record(s).%n", task, d == LineageDirection.READ ? "read" : "wrote", edges.size());
    }

    static LineageEntity parse(String text) {
        int colon = text.indexOf(':');
        String kind = colon < 0 ? "" : text.substring(0, colon);
        String rest = colon < 0 ? "" : text.substring(colon + 1);
        switch (kind) {
            case "dataset":
                return LineageEntity.dataset(rest);
            case "artifact":
                return LineageEntity.artifact(rest);
            case "model":
                int last = rest.lastIndexOf(':');
                if (last > 0) {
                    try {
                        return LineageEntity.modelVersion(rest.substring(0, last), Integer.parseInt(rest.substring(last + 1)));
                    } catch (NumberFormatException e) {
                        // falls through to the message below
                    }
                }
                throw new ValidationException("'" + text + "' must look like model:NAME:VERSION");
            default:
                throw new ValidationException("'" + text + "' must look like dataset:NAME, artifact:NAME or model:NAME:VERSION");
        }
    }
}
