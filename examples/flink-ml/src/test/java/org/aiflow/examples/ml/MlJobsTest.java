package org.aiflow.examples.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the jobs for real, each on an in-process MiniCluster, without the platform ({@code --aiflow-url none}). */
class MlJobsTest {
    private static final String TRAIN = "data/train.csv";
    private static final String VALIDATE = "data/validate.csv";

    @TempDir
    Path tmp;

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> TrainJob.main(new String[] {"--aiflow-url", "none", "--model", "m", "--dataset", TRAIN,
                "--model-dir", tmp.toString(), "--epoch", "3"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown argument --epoch");
        assertThatThrownBy(() -> TrainJob.main(new String[] {"--aiflow-url", "none", "--dataset", TRAIN, "--model-dir", "x"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("TrainJob: argument --model is required");
        assertThatThrownBy(() -> ValidateJob.main(new String[] {"--aiflow-url", "none", "--model", "m", "--dataset", VALIDATE}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ValidateJob: argument --model-file is required");
        assertThatThrownBy(() -> InferenceJob.main(new String[] {"--aiflow-url", "none", "--model", "m", "--rate"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("InferenceJob: argument --rate needs a value");
        assertThatThrownBy(() -> InferenceJob.main(new String[] {"--aiflow-url", "none", "--model", "m",
                "--predictions", "p.csv", "--model-file", "m.json", "--rate", "fast"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rate must be a number");
        assertThatThrownBy(() -> DeployJob.main(new String[] {"--aiflow-url", "ftp://x", "--model", "m"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--aiflow-url must be an http(s) URL or 'none'");
    }

    @Test
    void trainedModelValidatesAbove90Percent() throws Exception {
        Path models = tmp.resolve("models");
        TrainJob.main(new String[] {"--aiflow-url", "none", "--model", "churn-lr", "--dataset", TRAIN,
                "--model-dir", models.toString()});

        List<Path> files;
        try (Stream<Path> s = Files.list(models)) {
            files = s.toList();
        }
        assertThat(files).hasSize(1);
        assertThat(files.get(0).getFileName().toString()).matches("churn-lr-\\d{13}\\.json");
        LogisticModel model = LogisticModel.load(files.get(0).toUri().toString());
        assertThat(model.rows()).isEqualTo(2000);
        assertThat(model.epochs()).isEqualTo(300);
        assertThat(model.trainingLoss()).isBetween(0.05, 0.3);
        assertThat(LogisticModel.fromJson(model.toJson())).usingRecursiveComparison().isEqualTo(model);
        assertThat(LogisticModel.load(files.get(0).toString())).usingRecursiveComparison().isEqualTo(model);

        double accuracy = model.evaluate(rows(VALIDATE)).accuracy();
        assertThat(accuracy).isGreaterThanOrEqualTo(0.9);

        // the validate job, in the Flink pipeline, computes the same accuracy
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        List<String> summary = ValidateJob.build(env, Args.parse("ValidateJob", new String[] {"--aiflow-url", "none",
                "--model", "churn-lr", "--dataset", VALIDATE, "--model-file", files.get(0).toString(), "--threshold", "0.9"},
                ValidateJob.ARGS)).executeAndCollect(10);
        assertThat(summary).hasSize(1);
        Map<String, Object> result = Jobs.parseJson(summary.get(0));
        assertThat(((Number) result.get("accuracy")).doubleValue()).isCloseTo(accuracy, within(1e-12));
        assertThat(result).containsEntry("rows", 2000).containsEntry("passed", true).containsEntry("dataset", "validate");

        // and its main runs as submitted
        ValidateJob.main(new String[] {"--aiflow-url", "none", "--model", "churn-lr", "--dataset", VALIDATE,
                "--model-file", files.get(0).toString()});
    }

    @Test
    void aFailureAtTheEndOfInputFailsTheJobNotTheProcess() throws Exception {
        // Flink runs map-partition functions on a thread whose uncaught exceptions halt the JVM
        Path notADirectory = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> TrainJob.main(new String[] {"--aiflow-url", "none", "--model", "churn-lr", "--dataset", TRAIN,
                "--model-dir", notADirectory.resolve("models").toString()}))
                .hasStackTraceContaining("TrainJob: cannot write the model into --model-dir " + notADirectory.resolve("models"));
        Path empty = Files.writeString(tmp.resolve("empty.csv"), "x1,x2,label\n");
        assertThatThrownBy(() -> TrainJob.main(new String[] {"--aiflow-url", "none", "--model", "churn-lr",
                "--dataset", empty.toString(), "--model-dir", tmp.resolve("models").toString()}))
                .hasStackTraceContaining("TrainJob: dataset 'empty'").hasStackTraceContaining("has no rows");
    }

    @Test
    void deployWithoutPlatformOnlyReports() throws Exception {
        DeployJob.main(new String[] {"--aiflow-url", "none", "--model", "churn-lr", "--task-execution-id", "7"});
    }

    @Test
    void inferenceNeedsAModel() {
        assertThatThrownBy(() -> InferenceJob.main(new String[] {"--aiflow-url", "none", "--model", "m",
                "--predictions", tmp.resolve("p.csv").toString(), "--model-file", tmp.resolve("missing.json").toString()}))
                .isInstanceOf(IOException.class).hasMessageContaining("missing.json");
    }

    @Test
    void inferencePredictsASequenceThatContinuesAfterASavepoint() throws Exception {
        LogisticModel model = LogisticModel.train(rows(TRAIN), 300, 0.1);
        String modelFile = model.write(tmp.resolve("models").toString(), "churn-lr").toString();
        Path predictions = tmp.resolve("out/predictions.csv");
        String[] argv = {"--aiflow-url", "none", "--model", "churn-lr", "--model-file", modelFile,
                "--predictions", predictions.toString(), "--rate", "200"};

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        InferenceJob.build(env, Args.parse("InferenceJob", argv, InferenceJob.ARGS), Long.MAX_VALUE);
        JobClient first = env.executeAsync("inference");
        awaitLines(predictions, 100);
        String savepoint = first.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
        int stoppedAt = completeLines(predictions).size();

        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        StreamExecutionEnvironment again = StreamExecutionEnvironment.getExecutionEnvironment(restore);
        InferenceJob.build(again, Args.parse("InferenceJob", argv, InferenceJob.ARGS), Long.MAX_VALUE);
        JobClient second = again.executeAsync("inference");
        try {
            awaitLines(predictions, stoppedAt + 100);
        } finally {
            second.cancel().get(60, TimeUnit.SECONDS);
        }
        awaitTerminal(second);

        List<String> lines = completeLines(predictions);
        assertThat(lines.size()).isGreaterThanOrEqualTo(stoppedAt + 100);
        int ones = 0;
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            assertThat(f).as(lines.get(i)).hasSize(6);
            // one sequence: no gap and no repeat across the stop and the restore
            assertThat(Long.parseLong(f[0])).as("line %d", i).isEqualTo(i);
            double x1 = Double.parseDouble(f[1]);
            double x2 = Double.parseDouble(f[2]);
            double p = model.probability(x1, x2);
            assertThat(Double.parseDouble(f[3])).isCloseTo(p, within(1e-6));
            assertThat(Integer.parseInt(f[4])).as(lines.get(i)).isEqualTo(LogisticModel.label(p));
            assertThat(f[5]).isEqualTo("0");
            ones += Integer.parseInt(f[4]);
        }
        // the points are deterministic in their index and come from both classes
        assertThat(lines.get(0)).startsWith(InferenceJob.line(new InferenceJob.Points().map(0L), model, 0));
        assertThat(ones).isBetween(lines.size() / 4, lines.size() * 3 / 4);
    }

    private static List<LabeledPoint> rows(String csv) throws IOException {
        List<LabeledPoint> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(csv))) {
            LabeledPoint p = LabeledPoint.parse(line);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    /** The lines that end with a newline (a line being written is left out). */
    private static List<String> completeLines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }

    private static void awaitLines(Path file, int n) {
        Awaitility.await(file + " has " + n + " lines").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> completeLines(file).size() >= n);
    }

    private static void awaitTerminal(JobClient job) {
        Awaitility.await("the job ends").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            try {
                return job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState();
            } catch (Exception e) {
                return true; // the mini cluster is gone with the job
            }
        });
    }
}
