package org.aiflow.examples.ml;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

import org.aiflow.api.metadata.ModelStage;
import org.aiflow.api.metadata.ModelVersion;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Stream job, runs until stopped: predicts generated points with the model's DEPLOYED version and
 * appends each prediction as a line {@code sequence,x1,x2,probability,label,modelVersion} to a file.
 *
 * <p>Arguments: {@code --model} (required), {@code --predictions} (the file; required), {@code --rate}
 * (points per second, 50), {@code --model-file} (the model to use when {@code --aiflow-url none}),
 * and the common {@code --aiflow-url}, {@code --namespace} ({@code --task-execution-id} is accepted
 * and unused).
 *
 * <p>The points come from a datagen source: point {@code n} is a pure function of {@code n}, and the
 * source's position is checkpointed (every 5 s) — a job restored from a savepoint continues the
 * sequence where the stopped one ended, with the model deployed by then, which it loads when its
 * operators open. Every operator has a fixed uid, so savepoints map back onto a new job graph.
 */
public final class InferenceJob {
    static final Set<String> ARGS = Set.of("predictions", "rate", "model-file");
    /** The uids of the operators, stable across versions of this job so savepoints restore. */
    static final String SOURCE_UID = "inference-points";
    static final String PREDICT_UID = "inference-predict";
    static final String SINK_UID = "inference-predictions";

    private InferenceJob() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse("InferenceJob", argv, ARGS);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, args, Long.MAX_VALUE);
        env.execute("inference " + args.model());
    }

    /**
     * Adds the job to {@code env}: {@code count} points ({@code Long.MAX_VALUE}: endless).
     *
     * @throws IllegalStateException if the model has no DEPLOYED version (checked now, so that a
     *         submission fails at once, and again whenever the operators open)
     */
    public static void build(StreamExecutionEnvironment env, Args args, long count) throws IOException {
        Registry registry = args.registry();
        String model = args.model();
        String predictions = args.required("predictions");
        double rate = args.getDouble("rate", 50, 0.001, 1_000_000);
        String modelFile = registry.enabled() ? null : args.required("model-file");
        Deployed.load(registry, model, modelFile);

        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.enableCheckpointing(5_000);
        // a failure (e.g. the platform unreachable at open) is retried a few times, not forever
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(5));
        env.configure(restarts);

        DataGeneratorSource<SamplePoint> points = new DataGeneratorSource<>(new Points(), count,
                RateLimiterStrategy.perSecond(rate), TypeInformation.of(SamplePoint.class));
        env.fromSource(points, WatermarkStrategy.noWatermarks(), "points").uid(SOURCE_UID).setParallelism(1)
                .map(new Predict(registry, model, modelFile)).name("predict " + model).uid(PREDICT_UID).setParallelism(1)
                .sinkTo(new AppendingLineSink(predictions)).name("predictions").uid(SINK_UID).setParallelism(1);
    }

    /** Point {@code n} of the sequence: a sample of the training distribution seeded by {@code n}. */
    public static final class Points implements GeneratorFunction<Long, SamplePoint> {
        private static final long serialVersionUID = 1L;

        @Override
        public SamplePoint map(Long index) {
            LabeledPoint p = DatasetGenerator.sample(new SplittableRandom(index * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L));
            return new SamplePoint(index, p.x1, p.x2);
        }
    }

    /** The line of one prediction: {@code sequence,x1,x2,probability,label,modelVersion}. */
    static String line(SamplePoint p, LogisticModel model, int version) {
        double probability = model.probability(p.x1, p.x2);
        return String.format(Locale.ROOT, "%d,%.4f,%.4f,%.6f,%d,%d", p.sequence, p.x1, p.x2, probability,
                LogisticModel.label(probability), version);
    }

    static final class Predict extends RichMapFunction<SamplePoint, String> {
        private static final long serialVersionUID = 1L;
        private final Registry registry;
        private final String model;
        private final String modelFile;
        private transient Deployed deployed;

        Predict(Registry registry, String model, String modelFile) {
            this.registry = registry;
            this.model = model;
            this.modelFile = modelFile;
        }

        @Override
        public void open(OpenContext context) throws Exception {
            deployed = Deployed.load(registry, model, modelFile);
            System.out.println("InferenceJob: predicting with model " + model
                    + (deployed.version() > 0 ? " version " + deployed.version() : " from " + modelFile));
        }

        @Override
        public String map(SamplePoint p) {
            return line(p, deployed.model(), deployed.version());
        }
    }

    /** The model to predict with and its version (0 for a {@code --model-file}). */
    record Deployed(LogisticModel model, int version) {
        static Deployed load(Registry registry, String model, String modelFile) throws IOException {
            if (!registry.enabled()) {
                return new Deployed(LogisticModel.load(modelFile), 0);
            }
            ModelVersion v = registry.latest(model, ModelStage.DEPLOYED).orElseThrow(() -> new IllegalStateException(
                    "InferenceJob: model '" + model + "' has no DEPLOYED version (namespace " + registry.namespace()
                            + "): deploy one first"));
            return new Deployed(LogisticModel.load(v.uri()), v.version());
        }
    }
}
