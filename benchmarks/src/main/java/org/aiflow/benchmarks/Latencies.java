package org.aiflow.benchmarks;

import java.util.Arrays;

/** Per-thread latency samples of a closed-loop measure, in nanoseconds, for {@link Results#percentileMillis}. */
final class Latencies {
    private final long[][] samples;
    private final int[] counts;

    Latencies(int threads) {
        samples = new long[threads][1 << 14];
        counts = new int[threads];
    }

    /** {@code op}, each call timed into its thread's samples (read them after the measure's threads joined). */
    Results.Operation timing(Results.Operation op) {
        return t -> {
            long start = System.nanoTime();
            int items = op.run(t);
            record(t, System.nanoTime() - start);
            return items;
        };
    }

    double percentileMillis(double percentile) {
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int t = 0; t < samples.length; t++) {
            System.arraycopy(samples[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        return all.length == 0 ? Double.NaN : Results.percentileMillis(all, all.length, percentile);
    }

    private void record(int thread, long nanos) {
        if (counts[thread] == samples[thread].length) {
            samples[thread] = Arrays.copyOf(samples[thread], counts[thread] * 2);
        }
        samples[thread][counts[thread]++] = nanos;
    }
}
