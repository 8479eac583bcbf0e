package org.aiflow.shell;

import java.util.ArrayList;
import java.util.List;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.metadata.Dataset;
import org.aiflow.api.metadata.DatasetColumn;
import org.aiflow.api.metadata.DatasetDraft;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "dataset-create", description = "Registers a dataset (emits DATASET_CREATED).")
@Needs(Role.OPERATOR)
public class DatasetCreateCommand extends AiflowCommand {
    @Reference
    MetadataService metadata;

    @Argument(index = 0, name = "name", description = "Dataset name", required = true)
    String name;

    @Argument(index = 1, name = "uri", description = "Where the data is", required = true)
    String uri;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace (default: default)")
    String namespace;

    @Option(name = "-f", aliases = "--format", description = "Data format, e.g. csv")
    String format;

    @Option(name = "-c", aliases = "--column", description = "A schema column as name:type; repeatable, in order", multiValued = true)
    List<String> columns;

    @Option(name = "-d", aliases = "--description", description = "Description")
    String description;

    @Override
    void run() {
        List<DatasetColumn> schema = new ArrayList<>();
        if (columns != null) {
            for (String c : columns) {
                int colon = c.lastIndexOf(':');
                if (colon <= 0 || colon == c.length() - 1) {
                    throw new ValidationException("column '" + c + "' must look like name:type");
                }
                schema.add(new DatasetColumn(c.substring(0, colon), c.substring(colon + 1)));
            }
        }
        checkNamespace(namespace);
        Dataset d = metadata.createDataset(namespace, new DatasetDraft(name, uri, format, schema, description, null, null));
        caller.audit("dataset.create", d.namespace(), d.name(), "revision " + d.revision());
        System.out.printf("Dataset %s/%s created with %d columns (revision %d).%n", d.namespace(), d.name(), d.schema().size(), d.revision());
    }
}
