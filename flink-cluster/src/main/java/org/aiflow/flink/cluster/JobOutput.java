package org.aiflow.flink.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ForkJoinWorkerThread;

import org.apache.flink.util.MdcUtils;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.slf4j.MDC;

/**
 * Sends what a job prints, and Flink's log lines about it, to the job's own files ({@link JobLogs}).
 *
 * <p>Flink runs a job's code (its operators) in task threads whose logging context (MDC) holds the
 * job id under {@value MdcUtils#JOB_ID}; the JobMaster and the checkpointing of the job log with it
 * too. {@code System.out} and {@code System.err} become streams that look at the writing thread's job
 * id: with one whose job has a log directory the bytes go to its {@code stdout.log} / {@code stderr.log},
 * otherwise (the cluster's own output, a job's {@code main()} run by the REST handler, threads a job
 * starts itself) to the cluster's shared output as before. Log events with a job id are copied to the
 * job's {@code flink-job.log} by an appender added to the root logger; the cluster's log keeps them too.
 *
 * <p>Threads inherit the job id of the thread that created them ({@link #INHERITABLE}): Flink 2 runs a
 * {@code mapPartition} function on a thread of its own, without the job id, and jobs start threads too.
 * The price: a pool shared by all jobs but started lazily by one job's thread would carry that job's id;
 * the JVM's common {@code ForkJoinPool} (parallel streams) is such a pool, so its threads' output always
 * goes to the shared output.
 */
final class JobOutput extends OutputStream {
    /** Like the cluster log's layout, so both read alike. */
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n";
    /** Log4j's switch for an inheritable thread context (MDC); read once, when Log4j first uses the context. */
    static final String INHERITABLE = "log4j2.isThreadContextMapInheritable";

    private final JobLogs logs;
    private final String name;
    private final OutputStream shared;

    JobOutput(JobLogs logs, String name, OutputStream shared) {
        this.logs = logs;
        this.name = name;
        this.shared = shared;
    }

    /** Replaces {@code System.out}, {@code System.err} and adds the job log appender; the old streams become the shared output. */
    static void install(JobLogs logs) {
        // SLF4J bound now, so the MDC read by the first printed line is Log4j's, the one Flink's threads fill
        org.slf4j.LoggerFactory.getILoggerFactory();
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(new JobOutput(logs, JobLogs.STDOUT, out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new JobOutput(logs, JobLogs.STDERR, err), true, StandardCharsets.UTF_8));
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        Appender appender = new Appender(logs, PatternLayout.newBuilder().withPattern(PATTERN).withConfiguration(config)
                .withCharset(StandardCharsets.UTF_8).build());
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
        logs.startClosingIdleFiles();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        String job = jobOfThread(MDC.get(MdcUtils.JOB_ID));
        if (job == null || !logs.write(job, name, b, off, len)) {
            shared.write(b, off, len);
        }
    }

    /** The job id in the current thread's context, unless the thread is one of the common pool's (shared by all jobs). */
    static String jobOfThread(String contextJobId) {
        return contextJobId == null || Thread.currentThread() instanceof ForkJoinWorkerThread ? null : contextJobId;
    }

    @Override
    public void flush() throws IOException {
        shared.flush(); // the job files are unbuffered
    }

    /** Copies the log events of a job (those with a job id in their context) to the job's {@value JobLogs#FLINK_LOG}. */
    static final class Appender extends AbstractAppender {
        private final JobLogs logs;

        Appender(JobLogs logs, Layout<? extends Serializable> layout) {
            super("aiflow-job-logs", null, layout, true, Property.EMPTY_ARRAY);
            this.logs = logs;
        }

        @Override
        public void append(LogEvent event) {
            String job = jobOfThread(event.getContextData().getValue(MdcUtils.JOB_ID));
            if (job != null) {
                byte[] line = getLayout().toByteArray(event);
                logs.write(job, JobLogs.FLINK_LOG, line, 0, line.length);
            }
        }
    }
}
