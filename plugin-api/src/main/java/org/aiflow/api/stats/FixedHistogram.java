package org.aiflow.api.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of recorded values in fixed buckets, with their sum, since creation. {@link #record} takes
 * no lock and allocates nothing: a search over the bounds and two {@link LongAdder} adds, so the
 * threads that record (a publisher, the scheduler's worker) do not contend with each other or with
 * a reader. A {@link #snapshot} taken while values are recorded may see a value in its bucket but
 * not yet in the sum.
 */
public final class FixedHistogram {
    private final long[] upperBounds;
    /** One per bound, and a last one for values above every bound. */
    private final LongAdder[] buckets;
    private final LongAdder sum = new LongAdder();

    /** @param upperBounds inclusive upper bounds of the buckets, strictly ascending, at least one */
    public FixedHistogram(long... upperBounds) {
        if (upperBounds.length == 0) {
            throw new IllegalArgumentException("a histogram needs at least one bucket bound");
        }
        for (int i = 1; i < upperBounds.length; i++) {
            if (upperBounds[i] <= upperBounds[i - 1]) {
                throw new IllegalArgumentException("bucket bounds must be strictly ascending: " + upperBounds[i - 1] + ", " + upperBounds[i]);
            }
        }
        this.upperBounds = upperBounds.clone();
        this.buckets = new LongAdder[upperBounds.length + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** Counts one value (negative values count in the first bucket). */
    public void record(long value) {
        int low = 0;
        int high = upperBounds.length;
        // the first bound >= value; upperBounds.length when above all
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (upperBounds[mid] < value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        buckets[low].increment();
        sum.add(value);
    }

    /** The counts so far. */
    public HistogramSnapshot snapshot() {
        long[] counts = new long[buckets.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets[i].sum();
        }
        return new HistogramSnapshot(upperBounds.clone(), counts, sum.sum());
    }
}
