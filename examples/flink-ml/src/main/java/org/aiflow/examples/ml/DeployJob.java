package org.aiflow.examples.ml;

import java.util.Set;

import org.aiflow.api.metadata.LineageDirection;
import org.aiflow.api.metadata.LineageEntity;
import org.aiflow.api.metadata.ModelStage;
import org.aiflow.api.metadata.ModelVersion;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Batch job: promotes the newest VALIDATED version of a model to DEPLOYED; the previously deployed
 * version becomes DEPRECATED in the same step (the platform publishes {@code MODEL_DEPLOYED}).
 *
 * <p>Arguments: {@code --model} (required) and the common {@code --aiflow-url}, {@code --namespace},
 * {@code --task-execution-id}. Lineage: read the promoted model version. With {@code --aiflow-url
 * none} there is nothing to promote; the job only reports that.
 */
public final class DeployJob {
    static final Set<String> ARGS = Set.of();

    private DeployJob() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse("DeployJob", argv, ARGS);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, args).sinkTo(new DiscardingSink<>()).name("done");
        env.execute("deploy " + args.model());
    }

    /** Adds the job to {@code env}; the stream holds its one-line JSON summary. */
    public static DataStream<String> build(StreamExecutionEnvironment env, Args args) {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        return env.fromData(args.model()).name("model")
                .map(new Promote(args.registry(), args.taskExecutionId())).name("promote")
                .setParallelism(1);
    }

    static final class Promote implements MapFunction<String, String> {
        private static final long serialVersionUID = 1L;
        private final Registry registry;
        private final long taskExecutionId;

        Promote(Registry registry, long taskExecutionId) {
            this.registry = registry;
            this.taskExecutionId = taskExecutionId;
        }

        @Override
        public String map(String model) {
            if (!registry.enabled()) {
                System.out.println("DeployJob: model " + model + ": no platform (--aiflow-url none), nothing to promote");
                return Jobs.json("job", "deploy", "model", model, "version", 0, "previous", 0);
            }
            ModelVersion candidate = registry.latest(model, ModelStage.VALIDATED).orElseThrow(() -> new IllegalStateException(
                    "DeployJob: model '" + model + "' has no VALIDATED version to deploy (namespace " + registry.namespace() + ")"));
            int previous = registry.latest(model, ModelStage.DEPLOYED).map(ModelVersion::version).orElse(0);
            ModelVersion deployed = registry.changeStage(candidate, ModelStage.DEPLOYED);
            registry.lineage(taskExecutionId, LineageDirection.READ, LineageEntity.modelVersion(model, deployed.version()));
            System.out.println("DeployJob: model " + model + " version " + deployed.version() + " is DEPLOYED"
                    + (previous > 0 ? "; version " + previous + " is DEPRECATED" : ""));
            return Jobs.json("job", "deploy", "model", model, "version", deployed.version(), "previous", previous);
        }
    }
}
