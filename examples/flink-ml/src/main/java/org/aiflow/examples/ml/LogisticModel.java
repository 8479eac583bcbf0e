package org.aiflow.examples.ml;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * A logistic regression over two standardised features, and how it is trained (full-batch gradient
 * descent), evaluated, stored (a small JSON file) and loaded. The JSON holds everything predicting
 * needs: weights and bias over the standardised features and the means and standard deviations
 * that standardise them.
 *
 * @param type         always {@link #TYPE}
 * @param weights      one weight per standardised feature
 * @param means        the training set's feature means
 * @param stds         the training set's feature standard deviations (1 where a feature is constant)
 * @param rows         how many rows it was trained on
 * @param trainingLoss the mean log loss on the training set after the last epoch
 * @param trainedAt    when training finished (ISO-8601 instant)
 */
public record LogisticModel(String type, double[] weights, double bias, double[] means, double[] stds, long rows,
                            double trainingLoss, int epochs, double learningRate, String trainedAt) implements Serializable {

    /** The model version type registered on the platform. */
    public static final String TYPE = "logistic-regression";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.INDENT_OUTPUT, true);
    private static final double EPS = 1e-15;

    /** The quality of a model on a labelled dataset. */
    public record Evaluation(long rows, double accuracy, double logLoss) implements Serializable {
    }

    /**
     * Trains on {@code data}: standardises both features, then runs {@code epochs} steps of
     * full-batch gradient descent on the mean log loss from all-zero weights. Deterministic.
     *
     * @throws IllegalArgumentException if {@code data} is empty
     */
    public static LogisticModel train(List<LabeledPoint> data, int epochs, double learningRate) {
        int n = data.size();
        if (n == 0) {
            throw new IllegalArgumentException("the training dataset has no rows");
        }
        double[] means = new double[2];
        double[] stds = new double[2];
        for (LabeledPoint p : data) {
            means[0] += p.x1;
            means[1] += p.x2;
        }
        means[0] /= n;
        means[1] /= n;
        for (LabeledPoint p : data) {
            stds[0] += (p.x1 - means[0]) * (p.x1 - means[0]);
            stds[1] += (p.x2 - means[1]) * (p.x2 - means[1]);
        }
        for (int j = 0; j < 2; j++) {
            stds[j] = Math.sqrt(stds[j] / n);
            if (stds[j] < 1e-12) {
                stds[j] = 1;
            }
        }
        double[][] z = new double[n][2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            LabeledPoint p = data.get(i);
            z[i][0] = (p.x1 - means[0]) / stds[0];
            z[i][1] = (p.x2 - means[1]) / stds[1];
            y[i] = p.label;
        }
        double[] w = new double[2];
        double b = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            double g0 = 0;
            double g1 = 0;
            double gb = 0;
            for (int i = 0; i < n; i++) {
                double err = sigmoid(w[0] * z[i][0] + w[1] * z[i][1] + b) - y[i];
                g0 += err * z[i][0];
                g1 += err * z[i][1];
                gb += err;
            }
            w[0] -= learningRate * g0 / n;
            w[1] -= learningRate * g1 / n;
            b -= learningRate * gb / n;
        }
        double loss = 0;
        for (int i = 0; i < n; i++) {
            loss += logLoss(sigmoid(w[0] * z[i][0] + w[1] * z[i][1] + b), y[i]);
        }
        return new LogisticModel(TYPE, w, b, means, stds, n, loss / n, epochs, learningRate, Instant.now().toString());
    }

    /** The probability of label 1 at {@code (x1, x2)}. */
    public double probability(double x1, double x2) {
        return sigmoid(weights[0] * (x1 - means[0]) / stds[0] + weights[1] * (x2 - means[1]) / stds[1] + bias);
    }

    /** The label predicted for a probability: 1 from 0.5 on. */
    public static int label(double probability) {
        return probability >= 0.5 ? 1 : 0;
    }

    /** Accuracy and mean log loss on {@code data}. @throws IllegalArgumentException if it is empty */
    public Evaluation evaluate(Iterable<LabeledPoint> data) {
        long n = 0;
        long correct = 0;
        double loss = 0;
        for (LabeledPoint p : data) {
            double prob = probability(p.x1, p.x2);
            n++;
            correct += label(prob) == p.label ? 1 : 0;
            loss += logLoss(prob, p.label);
        }
        if (n == 0) {
            throw new IllegalArgumentException("the validation dataset has no rows");
        }
        return new Evaluation(n, (double) correct / n, loss / n);
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static double logLoss(double p, int y) {
        double q = Math.min(Math.max(p, EPS), 1 - EPS);
        return y == 1 ? -Math.log(q) : -Math.log(1 - q);
    }

    // ------------------------------------------------------------------ storage

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the model as JSON", e);
        }
    }

    /** @throws IllegalArgumentException if the text is not a model of this type */
    public static LogisticModel fromJson(String json) {
        LogisticModel m;
        try {
            m = JSON.readValue(json, LogisticModel.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a model file: " + e.getMessage(), e);
        }
        if (!TYPE.equals(m.type()) || m.weights() == null || m.weights().length != 2 || m.means() == null
                || m.means().length != 2 || m.stds() == null || m.stds().length != 2) {
            throw new IllegalArgumentException("not a " + TYPE + " model over two features");
        }
        return m;
    }

    /**
     * Writes the model as {@code <dir>/<name>-<epoch millis>.json} through Flink's file systems
     * (a local path or any URI a Flink file system serves) and returns the file's absolute URI.
     */
    public URI write(String dir, String name) throws IOException {
        Path directory = new Path(dir);
        FileSystem fs = directory.getFileSystem();
        fs.mkdirs(directory);
        Path file = new Path(directory, name + "-" + Instant.parse(trainedAt).toEpochMilli() + ".json");
        try (OutputStream out = fs.create(file, FileSystem.WriteMode.NO_OVERWRITE)) {
            out.write(toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return URI.create(Jobs.uri(file.makeQualified(fs)));
    }

    /** Reads a model file written by {@link #write}: a URI ({@code file:/...}) or a path. */
    public static LogisticModel load(String uriOrPath) throws IOException {
        Path file = new Path(uriOrPath);
        try (InputStream in = file.getFileSystem().open(file)) {
            return fromJson(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(uriOrPath + ": " + e.getMessage(), e);
        }
    }
}
