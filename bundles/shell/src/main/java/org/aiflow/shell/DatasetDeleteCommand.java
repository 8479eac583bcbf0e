package org.aiflow.shell;

import org.aiflow.api.metadata.Dataset;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "dataset-delete", description = "Marks a dataset deleted (emits DATASET_DELETED); it stays readable.")
@Needs(Role.OPERATOR)
public class DatasetDeleteCommand extends AiflowCommand {
    @Reference
    MetadataService metadata;

    @Argument(index = 0, name = "name", description = "Dataset name", required = true)
    String name;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace (default: default)")
    String namespace;

    @Option(name = "-r", aliases = "--revision", description = "Only if still at this revision (default: the current one)")
    Long revision;

    @Override
    void run() {
        checkNamespace(namespace);
        long expected = revision != null ? revision : metadata.dataset(namespace, name).revision();
        Dataset d = metadata.deleteDataset(namespace, name, expected);
        caller.audit("dataset.delete", d.namespace(), d.name(), "revision " + d.revision());
        System.out.printf("Dataset %s/%s deleted (revision %d).%n", d.namespace(), d.name(), d.revision());
    }
}
