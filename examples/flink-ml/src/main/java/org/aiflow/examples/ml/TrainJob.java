package org.aiflow.examples.ml;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.aiflow.api.metadata.LineageDirection;
import org.aiflow.api.metadata.LineageEntity;
import org.aiflow.api.metadata.ModelVersion;
import org.aiflow.api.metadata.ModelVersionDraft;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * Batch job: trains a logistic regression on a CSV dataset and registers it as a new model version.
 *
 * <p>Arguments: {@code --model} (required), {@code --model-dir} (required), {@code --dataset} (the
 * CSV file; required unless the dataset is registered), {@code --dataset-name} (default: the file
 * name without extension), {@code --epochs} (300), {@code --learning-rate} (0.1), and the common
 * {@code --aiflow-url}, {@code --namespace}, {@code --task-execution-id}.
 *
 * <p>Reads the registered dataset's uri if the dataset is registered, else {@code --dataset}; trains
 * at the end of the input (one subtask); writes {@code <model-dir>/<model>-<millis>.json}; then, on
 * the platform: registers the dataset if needed, the model if needed, a version (GENERATED: the
 * platform publishes {@code MODEL_GENERATED}), the metric {@code training_loss} and the lineage.
 */
public final class TrainJob {
    static final Set<String> ARGS = Set.of("dataset", "dataset-name", "model-dir", "epochs", "learning-rate");

    private TrainJob() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse("TrainJob", argv, ARGS);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, args).sinkTo(new DiscardingSink<>()).name("done");
        env.execute("train " + args.model());
    }

    /** Adds the job to {@code env}; the stream holds its one-line JSON summary. */
    public static DataStream<String> build(StreamExecutionEnvironment env, Args args) {
        Registry registry = args.registry();
        String model = args.model();
        String modelDir = args.required("model-dir");
        int epochs = args.getInt("epochs", 300, 1);
        double learningRate = args.getDouble("learning-rate", 0.1, 1e-9, 100);
        Jobs.Input input = Jobs.input(args, registry);

        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        return Jobs.readCsv(env, input)
                .global()
                .fullWindowPartition()
                .mapPartition(new Train(registry, input, model, modelDir, epochs, learningRate, args.taskExecutionId()))
                .name("train " + model)
                .setParallelism(1);
    }

    /** Trains on all rows once the input has ended, then stores and registers the model. */
    static final class Train extends EndOfInputFunction<LabeledPoint, String> {
        private static final long serialVersionUID = 1L;
        private final Registry registry;
        private final Jobs.Input input;
        private final String model;
        private final String modelDir;
        private final int epochs;
        private final double learningRate;
        private final long taskExecutionId;

        Train(Registry registry, Jobs.Input input, String model, String modelDir, int epochs, double learningRate,
              long taskExecutionId) {
            this.registry = registry;
            this.input = input;
            this.model = model;
            this.modelDir = modelDir;
            this.epochs = epochs;
            this.learningRate = learningRate;
            this.taskExecutionId = taskExecutionId;
        }

        @Override
        protected void process(Iterable<LabeledPoint> rows, Collector<String> out) throws Exception {
            List<LabeledPoint> data = new ArrayList<>();
            rows.forEach(data::add);
            if (data.isEmpty()) {
                throw new IllegalArgumentException("TrainJob: dataset '" + input.datasetName() + "' (" + input.uri() + ") has no rows");
            }
            // progress to stderr, the result to stdout: the task's stderr.log and stdout.log on the local cluster
            System.err.println(String.format(Locale.ROOT, "TrainJob: training model %s on %d rows, %d epochs", model, data.size(), epochs));
            LogisticModel trained = LogisticModel.train(data, epochs, learningRate);
            URI file;
            try {
                file = trained.write(modelDir, model);
            } catch (java.io.IOException e) {
                throw new java.io.IOException("TrainJob: cannot write the model into --model-dir " + modelDir + ": " + e, e);
            }

            int version = 0;
            if (registry.enabled()) {
                registry.ensureDataset(input.datasetName(), input.uri());
                registry.ensureModel(model);
                ModelVersion v = registry.createVersion(model, new ModelVersionDraft(file.toString(), LogisticModel.TYPE,
                        "trained on " + trained.rows() + " rows of dataset " + input.datasetName(),
                        Map.of("dataset", input.datasetName(),
                                "rows", Long.toString(trained.rows()),
                                "trainingLoss", Double.toString(trained.trainingLoss()))));
                version = v.version();
                registry.logModelMetric("training_loss", model, trained.trainingLoss(), version, taskExecutionId);
                registry.lineage(taskExecutionId, LineageDirection.READ, LineageEntity.dataset(input.datasetName()));
                registry.lineage(taskExecutionId, LineageDirection.WROTE, LineageEntity.modelVersion(model, version));
            }
            System.out.println(String.format(Locale.ROOT,
                    "TrainJob: model %s%s trained on %d rows of dataset %s (%s), %d epochs, training loss %.4f, written to %s",
                    model, version > 0 ? " version " + version : "", trained.rows(), input.datasetName(), input.uri(),
                    epochs, trained.trainingLoss(), file));
            out.collect(Jobs.json("job", "train", "model", model, "version", version, "file", file.toString(),
                    "dataset", input.datasetName(), "rows", trained.rows(), "trainingLoss", trained.trainingLoss()));
        }
    }
}
