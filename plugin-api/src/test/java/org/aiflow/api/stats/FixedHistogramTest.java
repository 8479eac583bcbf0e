package org.aiflow.api.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

class FixedHistogramTest {

    @Test
    void valuesLandInTheFirstBucketWhoseBoundHoldsThem() {
        FixedHistogram h = new FixedHistogram(1, 10, 100);
        for (long v : new long[]{-5, 0, 1, 2, 10, 11, 100, 101, 5_000}) {
            h.record(v);
        }
        HistogramSnapshot s = h.snapshot();
        assertThat(s.upperBounds()).containsExactly(1, 10, 100);
        assertThat(s.bucketCounts()).containsExactly(3, 2, 2, 2);
        assertThat(s.count()).isEqualTo(9);
        assertThat(s.sum()).isEqualTo(-5 + 0 + 1 + 2 + 10 + 11 + 100 + 101 + 5_000);
    }

    @Test
    void concurrentRecordsAreAllCounted() throws Exception {
        FixedHistogram h = new FixedHistogram(10, 20);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    h.record(i % 30);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(h.snapshot().count()).isEqualTo(400_000);
        assertThat(h.snapshot().bucketCounts()).containsExactly(4 * 36_673, 4 * 33_330, 4 * 29_997); // 0..10, 11..20, 21..29 of i % 30
    }

    @Test
    void recordingAllocatesNothing() {
        FixedHistogram h = new FixedHistogram(1_000, 10_000, 100_000, 1_000_000);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int i = 0; i < 200_000; i++) {
            h.record(i); // warm up: JIT, and the adders' cells exist already
        }
        long before = threads.getThreadAllocatedBytes(id);
        long start = System.nanoTime();
        for (int i = 0; i < 1_000_000; i++) {
            h.record(i);
        }
        long nanos = System.nanoTime() - start;
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        System.out.printf("FixedHistogram.record: %.1f ns each, %d bytes allocated over 1,000,000 records%n", nanos / 1e6, allocated);
        assertThat(allocated).isLessThan(64 * 1024); // the clock and the test's own bookkeeping, not 1M records' worth
    }

    @Test
    void boundsMustAscend() {
        assertThatThrownBy(() -> new FixedHistogram(5, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(FixedHistogram::new).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HistogramSnapshot(new long[]{1}, new long[]{1}, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
