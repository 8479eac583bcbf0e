package org.aiflow.examples.ml;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The example's synthetic data: two Gaussian blobs, label 0 around (1.0, 1.0) and label 1 around
 * (3.0, 2.5), standard deviation 0.8 in both features — a linear boundary separates about 94% of
 * the points. Deterministic per seed. {@link #main} writes the files under {@code data/}:
 * {@code train.csv} (seed 1), {@code train-2.csv} (seed 2, the second training round) and
 * {@code validate.csv} (seed 3), 2,000 rows each; they are committed, so this only reruns by hand.
 */
public final class DatasetGenerator {
    public static final int ROWS = 2000;
    private static final double[][] CENTERS = {{1.0, 1.0}, {3.0, 2.5}};
    private static final double STD = 0.8;

    private DatasetGenerator() {
    }

    /** Writes the three files into the directory {@code args[0]} (default {@code data}). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "data");
        Files.createDirectories(dir);
        write(dir.resolve("train.csv"), 1, ROWS);
        write(dir.resolve("train-2.csv"), 2, ROWS);
        write(dir.resolve("validate.csv"), 3, ROWS);
    }

    /** Writes {@code rows} points of seed {@code seed} as CSV with the header {@code x1,x2,label}. */
    public static void write(Path file, long seed, int rows) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("x1,x2,label\n");
            for (int i = 0; i < rows; i++) {
                w.write(sample(random).toCsv());
                w.write('\n');
            }
        }
    }

    /** One point: a fair coin picks the label, then a Gaussian around its center; features rounded to 4 decimals. */
    public static LabeledPoint sample(SplittableRandom random) {
        int label = random.nextBoolean() ? 1 : 0;
        double x1 = round4(CENTERS[label][0] + STD * random.nextGaussian());
        double x2 = round4(CENTERS[label][1] + STD * random.nextGaussian());
        return new LabeledPoint(x1, x2, label);
    }

    /** {@code v} rounded to 4 decimals, so that printing it with {@code %.4f} and parsing it back gives it again. */
    static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
