package org.aiflow.api.spi.storage;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Leases and node heartbeats in the shared database: how several platform nodes on one database
 * agree on one scheduling leader. Every time is the database's clock. Thread-safe; each method is
 * one transaction.
 *
 * @since 1.5
 */
@ProviderType
public interface ClusterStore {

    /**
     * Takes the lease, or renews it if {@code owner} holds it. It is taken when nobody holds it,
     * when it has expired, or when its owner is an earlier incarnation of the same node (same part
     * before {@code #}: that process has gone, as a node runs once); taking raises the epoch by one.
     * Atomic: of nodes racing for a free lease exactly one gets it.
     *
     * @param owner {@code <node id>#<incarnation>}
     * @param ttl   how long the lease stays valid without another renewal
     * @return the lease as stored after the call: held by {@code owner} if it got or kept it, else by the other holder
     */
    Lease acquireOrRenew(String name, String owner, Duration ttl);

    /** The lease as stored, empty if it was never taken. */
    Optional<Lease> lease(String name);

    /** Gives the lease up at once (it expires now) if {@code owner} still holds it at {@code epoch}; else does nothing. */
    void release(String name, String owner, long epoch);

    /** Records that a node is alive (inserts it or updates its url, host, start time and last-seen time). */
    void heartbeat(String nodeId, String url, String host, java.time.Instant startTime);

    /** The nodes seen within {@code within}, by id. */
    List<ClusterNode> nodes(Duration within);
}
