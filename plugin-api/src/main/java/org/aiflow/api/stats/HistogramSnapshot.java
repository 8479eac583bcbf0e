package org.aiflow.api.stats;

/**
 * The counts of a {@link FixedHistogram} at one moment. The arrays belong to the snapshot (copies):
 * do not change them.
 *
 * @param upperBounds  inclusive upper bounds of the buckets, ascending, in the unit the source names
 * @param bucketCounts values per bucket (not cumulative); one more than the bounds, the last for values above every bound
 * @param sum          the sum of the values recorded
 */
public record HistogramSnapshot(long[] upperBounds, long[] bucketCounts, long sum) {

    public HistogramSnapshot {
        if (bucketCounts.length != upperBounds.length + 1) {
            throw new IllegalArgumentException("a histogram has one count more than bounds, got " + upperBounds.length + " bounds and "
                    + bucketCounts.length + " counts");
        }
    }

    /** How many values were recorded. */
    public long count() {
        long n = 0;
        for (long c : bucketCounts) {
            n += c;
        }
        return n;
    }
}
