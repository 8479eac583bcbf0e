package org.aiflow.shell;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.MetricKind;
import org.aiflow.api.metadata.MetricMeta;
import org.aiflow.api.metadata.MetricMetaDraft;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "metric-create", description = "Defines a metric of a dataset (--dataset) or of a model (--model).")
@Needs(Role.OPERATOR)
public class MetricCreateCommand extends AiflowCommand {
    @Reference
    MetadataService metadata;

    @Argument(index = 0, name = "name", description = "Metric name", required = true)
    String name;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace (default: default)")
    String namespace;

    @Option(name = "--dataset", description = "The dataset it measures")
    String dataset;

    @Option(name = "--model", description = "The model it measures")
    String model;

    @Option(name = "-d", aliases = "--description", description = "Description")
    String description;

    @Override
    void run() {
        if ((dataset == null) == (model == null)) {
            throw new ValidationException("give exactly one of --dataset and --model");
        }
        checkNamespace(namespace);
        MetricKind kind = dataset != null ? MetricKind.DATASET : MetricKind.MODEL;
        MetricMeta m = metadata.createMetric(namespace, new MetricMetaDraft(name, kind, dataset, model, description, null));
        caller.audit("metric.create", m.namespace(), m.name(), kind.name().toLowerCase() + " "
                + (kind == MetricKind.DATASET ? m.datasetName() : m.modelName()));
        System.out.printf("Metric %s/%s of %s %s created.%n", m.namespace(), m.name(), kind.name().toLowerCase(),
                kind == MetricKind.DATASET ? m.datasetName() : m.modelName());
    }
}
