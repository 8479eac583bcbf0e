package org.aiflow.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.aiflow.api.scheduler.ClusterService;
import org.aiflow.api.scheduler.ClusterStatus;
import org.aiflow.api.spi.storage.ClusterNode;
import org.aiflow.api.spi.storage.ClusterStore;
import org.aiflow.api.spi.storage.LeaderFence;
import org.aiflow.api.spi.storage.Lease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's claim on the scheduling lease. A thread of its own renews it about every second (so a
 * busy or paused scheduler worker does not lose it, and a paused process does); whoever holds it
 * leads. Taking it raises the epoch, and every write of the leader is fenced by its epoch (see
 * {@link Recorder}), so a leader that lost the lease without noticing (paused past its expiry)
 * cannot commit anything once another node has taken over.
 *
 * <p>The lease is given up at a graceful stop, so another node takes over at once; after a crash it
 * is taken when it expires ({@code leaseTimeout}, 10 s by default), or at once by the same node
 * restarted (same node id).
 */
final class Leadership implements ClusterService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    static final String LEASE = "scheduler";

    /** What follows the lease. */
    interface Listener {
        /** This node holds the lease at {@code fence}'s epoch now; called on the lease thread. */
        void lead(LeaderFence fence);

        /** This node no longer holds it (taken by another, or not renewed in time). */
        void stepDown(String why);
    }

    private final ClusterStore cluster;
    private final String nodeId;
    private final String owner;
    private final Duration ttl;
    private final Duration renewEvery;
    private final java.util.function.Supplier<String> url;
    private final String host;
    private final Instant started = Instant.now();
    private final Listener listener;
    private final ScheduledExecutorService thread;
    private volatile LeaderFence fence;
    /** System.nanoTime() when the last successful renewal was sent. */
    private volatile long renewedAt;
    private long heartbeatAt;

    /**
     * @param nodeId     this node's stable id (the same after a restart)
     * @param ttl        how long the lease lasts without renewal: the failover time after a crash
     * @param renewEvery how often it is renewed (well below {@code ttl})
     */
    Leadership(ClusterStore cluster, String nodeId, Duration ttl, Duration renewEvery, java.util.function.Supplier<String> url, String host,
               Listener listener) {
        this.cluster = cluster;
        this.nodeId = nodeId;
        this.owner = nodeId + "#" + Long.toHexString(Double.doubleToLongBits(Math.random()) ^ System.nanoTime());
        this.ttl = ttl;
        this.renewEvery = renewEvery;
        this.url = url;
        this.host = host;
        this.listener = listener;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aiflow-lease");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Tries for the lease once and waits for that (so a node that can lead at once has led, and
     * bootstrapped its workflows, before it offers its service), then keeps renewing it.
     */
    void start() {
        try {
            thread.submit(this::renew).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("The first try for the scheduling lease did not finish: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.scheduleWithFixedDelay(this::renew, renewEvery.toMillis(), renewEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The fence of the lease this node holds, null if it holds none. */
    LeaderFence fence() {
        return fence;
    }

    String owner() {
        return owner;
    }

    private void renew() {
        long sent = System.nanoTime();
        try {
            if (sent - heartbeatAt > TimeUnit.SECONDS.toNanos(2) || heartbeatAt == 0) {
                cluster.heartbeat(nodeId, url.get(), host, started);
                heartbeatAt = sent;
            }
            Lease lease = cluster.acquireOrRenew(LEASE, owner, ttl);
            if (lease.owner().equals(owner)) {
                renewedAt = sent;
                LeaderFence held = fence;
                if (held == null || held.epoch() != lease.epoch()) {
                    if (held != null) {
                        lose("the lease moved to epoch " + lease.epoch());
                    }
                    fence = new LeaderFence(LEASE, owner, lease.epoch());
                    LOG.info("This node ({}) leads the scheduling now (lease epoch {})", nodeId, lease.epoch());
                    listener.lead(fence);
                }
            } else {
                if (fence != null) {
                    lose("node " + lease.ownerNode() + " holds the lease now (epoch " + lease.epoch() + ")");
                }
                // try again the moment it lapses rather than up to a renewal period later: a failover then
                // takes at most the lease timeout after the holder's last renewal
                long lapsesIn = java.time.Duration.between(lease.now(), lease.expireTime()).toMillis();
                if (lapsesIn >= 0 && lapsesIn < renewEvery.toMillis() && !thread.isShutdown()) {
                    thread.schedule(this::renew, lapsesIn + 5, TimeUnit.MILLISECONDS);
                }
            }
        } catch (RuntimeException e) {
            if (fence != null && System.nanoTime() - renewedAt > ttl.toNanos()) {
                // another node may have taken it by now: stop before it does anything twice
                lose("the lease could not be renewed for " + ttl.toMillis() + " ms: " + e.getMessage());
            } else {
                LOG.warn("Could not renew the scheduling lease: {}", e.getMessage());
            }
        }
    }

    /**
     * Whether the lease this node holds is still certainly its own: renewed less than the lease
     * timeout ago (by this node's clock, from when the renewal was sent). A leader checks it before
     * it starts a job, so a leader that was paused past its lease does not start one that the new
     * leader may start too.
     */
    boolean holdsLease() {
        return fence != null && System.nanoTime() - renewedAt < ttl.toNanos();
    }

    /** Runs {@code work} on the lease thread (tests: a paused node). */
    void runOnLeaseThread(Runnable work) {
        thread.execute(work);
    }

    /** A write was refused by its fence: another node leads. */
    void fenced(String why) {
        thread.execute(() -> {
            if (fence != null) {
                lose(why);
            }
        });
    }

    private void lose(String why) {
        fence = null;
        LOG.warn("This node ({}) no longer leads the scheduling: {}", nodeId, why);
        listener.stepDown(why);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LeaderFence held = fence;
        fence = null;
        if (held != null) {
            listener.stepDown("the node stops");
            try {
                cluster.release(LEASE, owner, held.epoch());
                LOG.info("This node ({}) gave up the scheduling lease (epoch {})", nodeId, held.epoch());
            } catch (RuntimeException e) {
                LOG.warn("Could not give up the scheduling lease; it expires in {} ms: {}", ttl.toMillis(), e.getMessage());
            }
        }
    }

    @Override
    public ClusterStatus status() {
        Optional<Lease> lease = cluster.lease(LEASE);
        List<ClusterNode> nodes = cluster.nodes(ttl.multipliedBy(3).plusSeconds(5));
        String leader = lease.filter(l -> !l.expired()).map(Lease::ownerNode).orElse(null);
        List<ClusterStatus.Node> out = nodes.stream().map(n -> new ClusterStatus.Node(n.id(), n.url(), n.host(), n.startTime(),
                n.lastSeen(), n.id().equals(leader))).toList();
        return new ClusterStatus(nodeId, leader, lease.map(Lease::epoch).orElse(0L),
                lease.map(l -> l.age().toMillis()).orElse(-1L),
                lease.map(l -> Duration.between(l.now(), l.expireTime()).toMillis()).orElse(0L), ttl.toMillis(), out);
    }
}
