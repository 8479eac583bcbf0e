package org.aiflow.shell;

import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.MetricQuery;
import org.aiflow.api.metadata.MetricValue;
import org.aiflow.api.security.Role;
import org.aiflow.shell.Output.Column;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "metric-values", description = "Shows the logged values of a metric, oldest first.")
@Needs(Role.VIEWER)
public class MetricValuesCommand extends AiflowCommand {
    @Reference
    MetadataService metadata;

    @Argument(index = 0, name = "metric", description = "Metric name", required = true)
    String metric;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace (default: default)")
    String namespace;

    @Option(name = "-k", aliases = "--key", description = "Only this key")
    String key;

    @Option(name = "-v", aliases = "--model-version", description = "Only values of this model version")
    Integer modelVersion;

    @Option(name = "-t", aliases = "--task", description = "Only values measured by this task execution")
    Long task;

    @Option(name = "--after", description = "Start after this value id")
    long after;

    @Option(name = "-l", aliases = "--limit", description = "At most this many (default 100)")
    int limit = 100;

    @Option(name = "--json", description = "Print JSON")
    boolean json;

    @Override
    void run() {
        checkNamespace(namespace);
        MetricQuery q = new MetricQuery(key, modelVersion, task, null, null, after, limit);
        Output.print(System.out, json, metadata.metricValues(namespace, metric, q), "No values.",
                Column.right("Id", MetricValue::id),
                Column.left("Key", MetricValue::key),
                Column.right("Value", MetricValue::value),
                Column.right("Step", MetricValue::step),
                Column.right("Model version", MetricValue::modelVersion),
                Column.right("Task", MetricValue::taskExecutionId),
                Column.left("Time", MetricValue::timestamp));
    }
}
