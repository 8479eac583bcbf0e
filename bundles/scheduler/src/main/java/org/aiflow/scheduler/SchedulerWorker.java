package org.aiflow.scheduler;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.aiflow.api.error.FencedException;
import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.event.NotificationService.Subscription;
import org.aiflow.api.execution.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's one worker thread and what it does, in this order of truth: a decision (new task
 * executions, rule states and the consumed-event cursor) is committed before any runner is called;
 * runner calls then move task executions on with compare-and-set transitions.
 *
 * <p>Events arrive from the subscription into an inbox. The worker takes what has gathered there and
 * decides the events one after another, in version order, inside one transaction from the first
 * event that changes anything (group commit: under a burst, one commit carries the decisions of many
 * events, cursor included; each decision still sees the ones before it). Only after the commit are
 * runners called. If the transaction fails, nothing of it is stored: the state is read again and the
 * events are read again from the stored cursor.
 *
 * <p>A periodic tick polls running jobs, retries, fires schedules, dispatches queued tasks, ends
 * executions and stores the cursor. All of it happens only while this node is the scheduling
 * leader ({@link #lead} / {@link #stepDown}).
 */
final class SchedulerWorker {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerWorker.class);
    /** At most this many events per transaction: bounds the transaction's size and the wait of the events behind it. */
    static final int MAX_BATCH = 256;
    /** How long the starts of jobs wait for a decision to carry them before they are stored on their own. */
    static final long FLUSH_DELAY_MILLIS = 20;
    /** How often the retention subscription is told the cursor (a transaction of its own). */
    private static final long ACK_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** A change was asked of a node that does not lead. */
    static final class NotLeading extends UnavailableException {
        private static final long serialVersionUID = 1L;

        NotLeading() {
            super("this node is not the scheduling leader", null);
        }
    }

    private final NotificationService notifications;
    private final SchedulerState state;
    private final Recorder recorder;
    private final BatchDecision decision;
    private final JobMonitor monitor;
    private final Runnable periodic;
    private final ScheduledExecutorService worker;
    private final SchedulerStats stats;
    private final EventInbox inbox = new EventInbox();
    private volatile int generation;
    private volatile boolean leading;
    private Subscription subscription;
    /** Worker thread only. */
    private boolean flushScheduled;
    private long acknowledgedAt;
    /** Why deciding waits (a condition type is not installed), or null. */
    private String waitingFor;
    /** Told (on the worker) when a write was refused because another node took the lease. */
    private Consumer<String> fenced = why -> { };

    /** @param periodic what else a tick does while leading (schedules, finishing executions), after polling and retries */
    SchedulerWorker(NotificationService notifications, SchedulerState state, Recorder recorder, EventDecider decider, JobMonitor monitor,
                    Runnable periodic, SchedulerStats stats) {
        this.notifications = notifications;
        this.stats = stats;
        stats.countQueue(inbox.depth());
        this.state = state;
        this.recorder = recorder;
        this.decision = new BatchDecision(state, recorder, decider, monitor, stats);
        this.monitor = monitor;
        this.periodic = periodic;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aiflow-scheduler");
            t.setDaemon(true);
            return t;
        });
    }

    void onFenced(Consumer<String> listener) {
        this.fenced = listener;
    }

    boolean leading() {
        return leading;
    }

    void startTicks(long tickMillis) {
        worker.scheduleWithFixedDelay(this::tick, 0, tickMillis, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code poll} every {@code millis} while this node leads (the other nodes' commands). */
    void pollCommands(Runnable poll, long millis) {
        worker.scheduleWithFixedDelay(() -> asLeader("run the requests of other nodes", poll), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Ticks as soon as the worker is free (e.g. a runner came or went). */
    void tickSoon() {
        try {
            worker.execute(this::tick);
        } catch (RejectedExecutionException closing) {
            // closing
        }
    }

    /**
     * Starts scheduling on this node (it became the leader, or has no lease to share): reads the
     * state and the cursor from the store, re-issues the stops decided before, follows the events.
     * Runs on the worker; waits for it.
     */
    void lead(Runnable forgetAlso) {
        call(() -> {
            state.forget();
            forgetAlso.run();
            state.acknowledged = notifications.createSubscription(Scheduler.SUBSCRIPTION, state.cursor).cursor();
            state.lastStatusVersion = notifications.latestVersion();
            state.tasksIn(List.of(TaskStatus.STOPPING)).forEach(monitor::stopJob); // stops decided before a crash or failover
            leading = true;
            subscribe();
            return null;
        });
    }

    /** Stops scheduling on this node (another node leads now): no decision, dispatch or poll until {@link #lead}. */
    void stepDown() {
        leading = false;
        try {
            worker.execute(this::unsubscribe);
        } catch (RejectedExecutionException closing) {
            // closing
        }
    }

    void close() {
        stats.stopCounting(inbox.depth());
        try {
            call(() -> null); // what was handed to the worker before (the outcomes of the last submits) runs while leading
        } catch (UnavailableException stopping) {
            // closed already
        }
        leading = false;
        worker.execute(() -> {
            try {
                recorder.flushStarts();
            } catch (RuntimeException e) {
                LOG.warn("Could not store the handles of jobs just started; the next leader finds them: {}", e.getMessage());
            }
            unsubscribe();
        });
        worker.shutdown();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void unsubscribe() {
        generation++;
        inbox.clear();
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }

    // ---------------------------------------------------------------- events

    private void subscribe() {
        if (!leading) {
            return;
        }
        int gen = ++generation;
        subscription = notifications.subscribe(state.cursor, e -> {
            if (gen != generation) {
                return;
            }
            if (inbox.add(gen, e)) {
                try {
                    worker.execute(this::drain);
                } catch (RejectedExecutionException closing) {
                    // the scheduler is closing: the event is decided after the next start, from the cursor
                }
            }
        });
    }

    /** Decides the events that have gathered in the inbox, in order, in as few transactions as possible. */
    private void drain() {
        EventInbox.Batch batch = inbox.take(generation, state.cursor);
        List<Event> events = batch.events();
        if (inbox.moreToDrain()) {
            worker.execute(this::drain); // more than one batch waiting: the rest after this one
        }
        if (events.isEmpty() || !leading) {
            return;
        }
        inbox.deciding(events.size());
        try {
            EventDecider.ConditionTypeMissing missing = decision.decide(batch);
            if (missing != null) {
                waitFor(missing);
            } else {
                resumed();
            }
            if (inbox.isEmpty() && recorder.startsPending()) {
                flushSoon();
            }
        } catch (FencedException e) {
            lostLease(e);
        } catch (RuntimeException | LinkageError | AssertionError ex) {
            // nothing of the transaction was committed: read the state and the log again from the
            // stored cursor after a pause, ignoring whatever the subscription had queued. An Error
            // (a class missing at run time) would otherwise end this task unseen in the executor.
            if (ex instanceof RuntimeException) {
                LOG.warn("Scheduler could not decide events {}..{} ({}); retrying from the event log", events.get(0).version(),
                        events.get(events.size() - 1).version(), ex.getMessage());
            } else {
                LOG.error("Scheduler failed on events {}..{}; retrying from the event log", events.get(0).version(),
                        events.get(events.size() - 1).version(), ex);
            }
            restartFromStore();
        } finally {
            inbox.deciding(0);
        }
    }

    /**
     * An event reached a rule whose condition type is not installed: nothing from that event on is
     * decided (the events wait in the log, the cursor before them) until the type is installed again
     * or the workflow disabled; each tick tries again from the cursor. Jobs are still followed.
     */
    private void waitFor(EventDecider.ConditionTypeMissing missing) {
        if (!missing.getMessage().equals(waitingFor)) {
            LOG.warn("Scheduling waits: {}", missing.getMessage());
            waitingFor = missing.getMessage();
        }
        unsubscribe();
    }

    private void resumed() {
        if (waitingFor != null) {
            LOG.info("Scheduling goes on: the condition type it waited for is there (or the workflow is disabled)");
            waitingFor = null;
        }
    }

    /**
     * Stores the starts just made unless a decision carries them first: under a steady load the next
     * event's transaction does, within milliseconds, and a start costs no commit of its own (on
     * MariaDB a commit is the worker's largest cost); when nothing follows, they are stored after
     * {@link #FLUSH_DELAY_MILLIS}.
     */
    void flushSoon() {
        if (flushScheduled) {
            return;
        }
        flushScheduled = true;
        worker.schedule(() -> {
            flushScheduled = false;
            asLeader("store the jobs it started (it stores them with its next change)", recorder::flushStarts);
        }, FLUSH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void restartFromStore() {
        unsubscribe();
        try {
            state.forget();
            recorder.rolledBack();
        } catch (RuntimeException e) {
            LOG.warn("Scheduler could not read its state again: {}", e.getMessage());
        }
        worker.schedule(this::subscribe, 1, TimeUnit.SECONDS);
    }

    private void lostLease(FencedException e) {
        LOG.warn("Scheduler stops deciding: {}", e.getMessage());
        leading = false;
        unsubscribe();
        fenced.accept(e.getMessage());
    }

    // ---------------------------------------------------------------- tick

    private void tick() {
        asLeader("poll jobs, retry, fire schedules and dispatch", () -> {
            if (subscription == null && waitingFor != null) {
                subscribe(); // waiting for a condition type: try the held event again
            }
            if (state.liveReloadDue()) {
                recorder.flushStarts(); // the copy is read again as stored: the starts written behind first
                state.reloadLive();
            }
            monitor.pollAttached(); // the starts written behind ride with its changes (or with the cursor below)
            monitor.retryDue();
            periodic.run();
            monitor.dispatch();
            recorder.storeCursor();
            if (state.cursor > state.acknowledged && System.nanoTime() - acknowledgedAt > ACK_NANOS) {
                state.acknowledged = notifications.acknowledge(Scheduler.SUBSCRIPTION, state.cursor).cursor();
                acknowledgedAt = System.nanoTime();
            }
        });
    }

    /**
     * Runs periodic or delayed work of the leader (nothing while this node does not lead). A refused
     * write steps down; any other failure is logged, an Error too: thrown out of a task of the
     * executor it would end that task, and a periodic one for good, unseen.
     */
    private void asLeader(String what, Runnable work) {
        if (!leading) {
            return;
        }
        try {
            work.run();
        } catch (FencedException e) {
            lostLease(e);
        } catch (RuntimeException e) {
            LOG.warn("Scheduler could not {}: {}", what, e.getMessage(), e);
        } catch (LinkageError | AssertionError e) {
            LOG.error("Scheduler could not {}", what, e);
        }
    }

    /** Runs {@code work} on the worker thread if this node still leads by then (a refused write steps down). */
    void whileLeading(String what, Runnable work) {
        try {
            worker.execute(() -> asLeader(what, work));
        } catch (RejectedExecutionException closing) {
            // closing
        }
    }

    /** Runs {@code work} on the worker thread, leading or not (tests: a paused worker). */
    void execute(Runnable work) {
        worker.execute(work);
    }

    // ---------------------------------------------------------------- API calls

    /**
     * Runs state-changing work on the worker thread, so it never interleaves with deciding events.
     *
     * @throws UnavailableException if this node is not the scheduling leader
     */
    <T> T onWorker(Callable<T> work) {
        return call(() -> {
            if (!leading) {
                throw new NotLeading();
            }
            recorder.flushStarts(); // API calls read and change tasks as stored
            try {
                return work.call();
            } catch (FencedException e) {
                lostLease(e);
                throw e;
            }
        });
    }

    private <T> T call(Callable<T> work) {
        try {
            return worker.submit(work).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new UnavailableException("scheduler failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for the scheduler", e);
        } catch (RejectedExecutionException e) {
            throw new UnavailableException("the scheduler is stopping", e);
        }
    }
}
