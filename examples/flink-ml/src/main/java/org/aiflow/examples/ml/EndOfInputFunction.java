package org.aiflow.examples.ml;

import org.apache.flink.api.common.functions.RichMapPartitionFunction;
import org.apache.flink.util.Collector;

/**
 * A function for {@code fullWindowPartition().mapPartition(...)} that fails the job — not the whole
 * task manager — when it throws.
 *
 * <p>Why: Flink 2.x runs a map-partition function on a thread of its own whose uncaught exceptions
 * are fatal ({@code FatalExitExceptionHandler}): an exception thrown by {@code mapPartition} (say, the
 * platform unreachable) halts the task manager's JVM — with a session MiniCluster, every job of the
 * cluster. So {@link #mapPartition} keeps the failure and {@link #close()}, which runs on the task
 * thread once the function has returned, throws it there: an ordinary task failure.
 */
public abstract class EndOfInputFunction<IN, OUT> extends RichMapPartitionFunction<IN, OUT> {
    private static final long serialVersionUID = 1L;
    private transient volatile Throwable failure;

    /** Processes all records of the partition once its input has ended; may throw. */
    protected abstract void process(Iterable<IN> records, Collector<OUT> out) throws Exception;

    @Override
    public final void mapPartition(Iterable<IN> records, Collector<OUT> out) {
        try {
            process(records, out);
        } catch (Throwable t) {
            failure = t;
            try {
                // the task thread may wait for the rest of the input to be consumed
                for (IN ignored : records) {
                    // drain
                }
            } catch (RuntimeException ignored) {
                // nothing more to consume
            }
        }
    }

    @Override
    public void close() throws Exception {
        Throwable t = failure;
        failure = null;
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new Exception(t);
        }
    }
}
