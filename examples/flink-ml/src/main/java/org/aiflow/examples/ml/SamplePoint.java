package org.aiflow.examples.ml;

/** A point to predict: its index in the inference job's generated sequence and its features. A Flink POJO. */
public class SamplePoint {
    public long sequence;
    public double x1;
    public double x2;

    public SamplePoint() {
    }

    public SamplePoint(long sequence, double x1, double x2) {
        this.sequence = sequence;
        this.x1 = x1;
        this.x2 = x2;
    }
}
