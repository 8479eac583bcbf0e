package org.aiflow.shell;

import org.aiflow.api.metadata.MetricKind;
import org.aiflow.api.metadata.MetricMeta;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "metric-list", description = "Lists the metrics of a namespace, by name.")
@Needs(Role.VIEWER)
public class MetricListCommand extends MetadataListCommand {
    @Option(name = "-k", aliases = "--kind", description = "Only DATASET or MODEL metrics")
    String kind;

    @Override
    void run() {
        checkNamespace(namespace);
        Output.print(System.out, json, metadata.listMetrics(namespace, query(kind, false)), "No metrics.",
                Column.left("Name", MetricMeta::name),
                Column.left("Kind", MetricMeta::kind),
                Column.left("Of", m -> m.kind() == MetricKind.DATASET ? m.datasetName() : m.modelName()),
                Column.left("Created", MetricMeta::createTime),
                Column.left("Description", m -> Output.clip(m.description(), 50)));
    }
}
