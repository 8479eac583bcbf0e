package org.aiflow.examples.ml;

import static org.aiflow.api.workflow.Workflows.event;
import static org.aiflow.api.workflow.Workflows.workflow;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.aiflow.api.execution.Workflow;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.aiflow.client.AiflowClient;

/**
 * The ML lifecycle workflow in the Java DSL: the same definition as
 * {@code examples/workflows/ml-lifecycle.yaml} (a test keeps them equal), for projects that keep
 * their workflows in code. Run it to upload the workflow:
 *
 * <pre>java -cp examples/flink-ml/flink-ml-jobs.jar org.aiflow.examples.ml.MlLifecycleWorkflow [http://localhost:8181/aiflow/v1]</pre>
 */
public final class MlLifecycleWorkflow {
    static final String MODEL = "churn-lr";
    static final String DATASET = "churn-train";
    private static final String JAR = "${aiflow.home}/examples/flink-ml/flink-ml-jobs.jar";
    private static final String DATA = "${aiflow.home}/examples/flink-ml/data/";

    private MlLifecycleWorkflow() {
    }

    public static WorkflowDefinition definition() {
        return workflow("default", "ml-lifecycle")
                .description("Train a logistic regression with Flink, validate it, deploy it and serve predictions from a "
                        + "stream job; retrain when the training dataset changes. Model churn-lr.")
                .option("maxParallelExecutions", 1)
                .task("train", t -> t.batch().job("flink", job("TrainJob", training())))
                .task("retrain", t -> t.batch().job("flink", job("TrainJob", training()))
                        .startOn(event(DATASET).type("DATASET_UPDATED")))
                .task("validate", t -> t.batch().job("flink", job("ValidateJob", List.of("--dataset-name", "churn-validate",
                                "--dataset", DATA + "validate.csv", "--threshold", "0.9")))
                        .startOn(event(MODEL).type("MODEL_GENERATED")))
                .task("deploy", t -> t.batch().job("flink", job("DeployJob", List.of()))
                        .startOn(event(MODEL).type("MODEL_VALIDATED")))
                .task("inference", t -> t.stream().job("flink", job("InferenceJob", List.of("--rate", "50",
                                "--predictions", "${aiflow.home}/data/ml/predictions.csv")))
                        .restartOn(event(MODEL).type("MODEL_DEPLOYED")))
                .build();
    }

    private static List<String> training() {
        return List.of("--dataset-name", DATASET, "--dataset", DATA + "train.csv", "--model-dir", "${aiflow.home}/data/ml/models");
    }

    /**
     * A flink job of this jar with the task context the jobs read ({@code TaskContext}: where the
     * platform is, the task's own token, namespace and task execution; the flink runner fills in the
     * placeholders), then the job's own.
     */
    private static Map<String, Object> job(String entryClass, List<String> own) {
        List<String> args = new ArrayList<>(List.of("--aiflow-url", "${aiflow.url}", "--aiflow-token", "${aiflow.token}",
                "--aiflow-namespace", "${aiflow.namespace}", "--aiflow-task-execution-id", "${aiflow.task_execution_id}", "--model", MODEL));
        args.addAll(own);
        return Map.of("jar", JAR, "entryClass", "org.aiflow.examples.ml." + entryClass, "args", args, "parallelism", 1);
    }

    public static void main(String[] args) {
        URI api = URI.create(args.length > 0 ? args[0] : "http://localhost:8181/aiflow/v1");
        Workflow uploaded = AiflowClient.connect(api).scheduler().upload(definition());
        System.out.println("uploaded " + uploaded.namespace() + "/" + uploaded.name() + " as snapshot " + uploaded.snapshotId()
                + "; start it with aiflow:execution-start ml-lifecycle");
    }
}
