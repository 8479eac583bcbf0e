package org.aiflow.examples.ml;

import java.util.Locale;
import java.util.Set;

import org.aiflow.api.metadata.LineageDirection;
import org.aiflow.api.metadata.LineageEntity;
import org.aiflow.api.metadata.ModelStage;
import org.aiflow.api.metadata.ModelVersion;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * Batch job: evaluates the newest GENERATED version of a model on a validation CSV and moves it to
 * VALIDATED (the platform publishes {@code MODEL_VALIDATED}) if its accuracy reaches the threshold.
 *
 * <p>Arguments: {@code --model} (required), {@code --dataset} (the CSV file; required unless the
 * dataset is registered), {@code --dataset-name} (default: the file name without extension),
 * {@code --threshold} (0.8), {@code --model-file} (the model to evaluate when {@code --aiflow-url
 * none}), and the common {@code --aiflow-url}, {@code --namespace}, {@code --task-execution-id}.
 *
 * <p>On the platform it logs the metric {@code accuracy} for the version and records the lineage
 * (read: the dataset and the model version); a version below the threshold stays GENERATED.
 */
public final class ValidateJob {
    static final Set<String> ARGS = Set.of("dataset", "dataset-name", "threshold", "model-file");

    private ValidateJob() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse("ValidateJob", argv, ARGS);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, args).sinkTo(new DiscardingSink<>()).name("done");
        env.execute("validate " + args.model());
    }

    /** Adds the job to {@code env}; the stream holds its one-line JSON summary. */
    public static DataStream<String> build(StreamExecutionEnvironment env, Args args) {
        Registry registry = args.registry();
        String model = args.model();
        double threshold = args.getDouble("threshold", 0.8, 0, 1);
        String modelFile = registry.enabled() ? null : args.required("model-file");
        Jobs.Input input = Jobs.input(args, registry);

        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        return Jobs.readCsv(env, input)
                .global()
                .fullWindowPartition()
                .mapPartition(new Validate(registry, input, model, modelFile, threshold, args.taskExecutionId()))
                .name("validate " + model)
                .setParallelism(1);
    }

    static final class Validate extends EndOfInputFunction<LabeledPoint, String> {
        private static final long serialVersionUID = 1L;
        private final Registry registry;
        private final Jobs.Input input;
        private final String model;
        private final String modelFile;
        private final double threshold;
        private final long taskExecutionId;
        private transient ModelVersion version;
        private transient LogisticModel candidate;

        Validate(Registry registry, Jobs.Input input, String model, String modelFile, double threshold, long taskExecutionId) {
            this.registry = registry;
            this.input = input;
            this.model = model;
            this.modelFile = modelFile;
            this.threshold = threshold;
            this.taskExecutionId = taskExecutionId;
        }

        @Override
        public void open(OpenContext context) throws Exception {
            if (registry.enabled()) {
                version = registry.latest(model, ModelStage.GENERATED).orElseThrow(() -> new IllegalStateException(
                        "ValidateJob: model '" + model + "' has no GENERATED version to validate (namespace "
                                + registry.namespace() + ")"));
                candidate = LogisticModel.load(version.uri());
            } else {
                candidate = LogisticModel.load(modelFile);
            }
        }

        @Override
        protected void process(Iterable<LabeledPoint> rows, Collector<String> out) {
            LogisticModel.Evaluation e = candidate.evaluate(rows);
            boolean passed = e.accuracy() >= threshold;
            int v = version == null ? 0 : version.version();
            boolean validated = false;
            if (registry.enabled()) {
                registry.ensureDataset(input.datasetName(), input.uri());
                registry.logModelMetric("accuracy", model, e.accuracy(), v, taskExecutionId);
                if (passed) {
                    registry.changeStage(version, ModelStage.VALIDATED);
                    validated = true;
                }
                registry.lineage(taskExecutionId, LineageDirection.READ,
                        LineageEntity.dataset(input.datasetName()), LineageEntity.modelVersion(model, v));
            }
            String what = v > 0 ? "model " + model + " version " + v : "model " + model + " (" + modelFile + ")";
            System.out.println(String.format(Locale.ROOT, "ValidateJob: %s on %d rows of dataset %s: accuracy %.4f, log loss %.4f: %s",
                    what, e.rows(), input.datasetName(), e.accuracy(), e.logLoss(),
                    !passed ? String.format(Locale.ROOT, "below the threshold %.4f, the version stays GENERATED", threshold)
                            : validated ? "VALIDATED" : "passes the threshold " + threshold));
            out.collect(Jobs.json("job", "validate", "model", model, "version", v, "dataset", input.datasetName(),
                    "rows", e.rows(), "accuracy", e.accuracy(), "logLoss", e.logLoss(), "threshold", threshold,
                    "passed", passed, "validated", validated));
        }
    }
}
