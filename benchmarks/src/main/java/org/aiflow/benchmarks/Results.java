package org.aiflow.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/** Measurement helpers and the one output format: {@code RESULT <measure> value=<n> baseline=<n> ratio=<r>}. */
final class Results {
    private Results() {
    }

    static void print(String measure, double value, double baseline) {
        double ratio = baseline == 0 ? Double.NaN : value / baseline;
        System.out.printf(Locale.ROOT, "RESULT %s value=%.2f baseline=%.2f ratio=%.3f%n", measure, value, baseline, ratio);
        System.out.flush();
    }

    static void progress(String what) {
        System.out.println("# " + what);
        System.out.flush();
    }

    /** Milliseconds at a percentile of nanosecond samples. */
    static double percentileMillis(long[] nanos, int count, double percentile) {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int index = (int) Math.min(count - 1, Math.ceil(percentile / 100.0 * count) - 1);
        return sorted[Math.max(0, index)] / 1_000_000.0;
    }

    /** Something done once per iteration by one thread. */
    interface Operation {
        /** @return how many items (events, rows) this call handled */
        int run(int thread) throws Exception;
    }

    /** Items per second of {@code threads} threads running {@code op} for {@code seconds}. */
    static double throughput(int threads, int seconds, Operation op) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long[] items = new long[threads];
        Thread[] workers = new Thread[threads];
        Exception[] failure = new Exception[1];
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers[t] = new Thread(() -> {
                try {
                    while (System.nanoTime() < deadline) {
                        items[thread] += op.run(thread);
                    }
                } catch (Exception e) {
                    failure[0] = e;
                }
            });
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return Arrays.stream(items).sum() / elapsed;
    }

    /** A step of a paced run. */
    interface Step {
        /** @param due when the step was scheduled: latency counts from here, so a stall delays every later sample too */
        void run(int i, long due) throws Exception;
    }

    /** Runs {@code n} steps at {@code rate} per second from one thread. */
    static void pace(int n, int rate, Step step) throws Exception {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            step.run(i, due);
        }
    }
}
