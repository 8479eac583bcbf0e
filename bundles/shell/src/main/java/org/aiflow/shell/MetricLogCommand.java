package org.aiflow.shell;

import java.util.ArrayList;
import java.util.List;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.MetricPoint;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "metric-log", description = "Logs values of a metric in one batch: metric-log quality auc=0.91 loss=0.2")
@Needs(Role.OPERATOR)
public class MetricLogCommand extends AiflowCommand {
    @Reference
    MetadataService metadata;

    @Argument(index = 0, name = "metric", description = "Metric name", required = true)
    String metric;

    @Argument(index = 1, name = "values", description = "key=value pairs", required = true, multiValued = true)
    List<String> values;

    @Option(name = "-n", aliases = "--namespace", description = "Namespace (default: default)")
    String namespace;

    @Option(name = "-v", aliases = "--model-version", description = "The model version the values describe")
    Integer modelVersion;

    @Option(name = "-s", aliases = "--step", description = "Training step or epoch")
    Long step;

    @Option(name = "-t", aliases = "--task", description = "The task execution that measured them")
    Long task;

    @Override
    void run() {
        String ns = checkNamespace(namespace);
        List<MetricPoint> points = new ArrayList<>();
        for (String pair : values) {
            int eq = pair.lastIndexOf('=');
            if (eq <= 0) {
                throw new ValidationException("'" + pair + "' must look like key=value");
            }
            double value;
            try {
                value = Double.parseDouble(pair.substring(eq + 1));
            } catch (NumberFormatException e) {
                throw new ValidationException("the value of '" + pair.substring(0, eq) + "' is not a number");
            }
            points.add(new MetricPoint(pair.substring(0, eq), value, null, step, modelVersion, task));
        }
        int logged = metadata.logMetrics(namespace, metric, points);
        caller.audit("metric.log", ns, metric, logged + " value(s)" + (modelVersion == null ? "" : ", model version " + modelVersion)
                + (task == null ? "" : ", task execution " + task));
        System.out.printf("Logged %d value(s) of %s.%n", logged, metric);
    }
}
