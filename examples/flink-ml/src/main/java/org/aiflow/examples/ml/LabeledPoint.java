package org.aiflow.examples.ml;

import java.util.Locale;

/** One row of the example's CSV files: two features and a 0/1 label. A Flink POJO. */
public class LabeledPoint {
    public double x1;
    public double x2;
    public int label;

    public LabeledPoint() {
    }

    public LabeledPoint(double x1, double x2, int label) {
        this.x1 = x1;
        this.x2 = x2;
        this.label = label;
    }

    /** The CSV line of this row, as {@link #parse} reads it. */
    public String toCsv() {
        return String.format(Locale.ROOT, "%.4f,%.4f,%d", x1, x2, label);
    }

    /**
     * Parses {@code x1,x2,label}; null for the header line and blank lines.
     *
     * @throws IllegalArgumentException for any other line that is not three numbers with a 0/1 label
     */
    public static LabeledPoint parse(String line) {
        String s = line.strip();
        if (s.isEmpty() || s.toLowerCase(Locale.ROOT).startsWith("x1")) {
            return null;
        }
        String[] f = s.split(",");
        if (f.length != 3) {
            throw new IllegalArgumentException("not a CSV row x1,x2,label: '" + line + "'");
        }
        try {
            int label = Integer.parseInt(f[2].strip());
            if (label != 0 && label != 1) {
                throw new IllegalArgumentException("label must be 0 or 1: '" + line + "'");
            }
            return new LabeledPoint(Double.parseDouble(f[0].strip()), Double.parseDouble(f[1].strip()), label);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CSV row x1,x2,label: '" + line + "'", e);
        }
    }

    @Override
    public String toString() {
        return toCsv();
    }
}
