package org.aiflow.api.spi.storage;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Leases, node heartbeats and commands for the leader in the shared database: how several
 * platform nodes on one database agree on one scheduling leader, and how the others ask it for
 * changes. Every time is the database's clock. Thread-safe; each method is one transaction, or
 * joins the {@link SchedulerStore#inTransaction} of the same storage open on the calling thread.
 *
 * @since 1.5
 *
 * <p><b>Threads.</b> The lease and heartbeats are renewed on the scheduler's lease thread
 * ({@code aiflow-lease}); commands are sent from request threads of any node and taken by the
 * leader's worker ({@code aiflow-scheduler}).
 *
 * <p><b>Idempotency and state.</b> Taking or renewing a lease is a compare-and-set on the lease row
 * (its epoch grows with each new holder, which fences a paused former leader's writes); commands are
 * rows the leader takes and answers. All of it is persisted by the backend in the shared database:
 * a node that restarts finds the lease and the pending commands there.
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

    /**
     * Stores a command for the leader, in state {@link ClusterCommand.State#NEW}; returns its id (ids rise).
     *
     * @param node      the node that asks
     * @param command   what to do (the scheduler's command name)
     * @param arguments its arguments (JSON; may be large)
     */
    long submitCommand(String node, String command, String arguments);

    /** At most {@code limit} commands in state NEW, oldest (lowest id) first. */
    List<ClusterCommand> newCommands(int limit);

    /**
     * NEW to TAKEN (compare-and-set); false if it was not NEW (or does not exist): of leaders racing
     * for it exactly one gets true. Joins an open {@link SchedulerStore#inTransaction} of the same
     * storage, so it is taken only if that (fenced) transaction commits.
     */
    boolean takeCommand(long id);

    /**
     * TAKEN to DONE or FAILED with its answer (JSON). Joins an open {@link SchedulerStore#inTransaction} of the same storage.
     *
     * @throws org.aiflow.api.error.NotFoundException if there is no such command
     * @throws org.aiflow.api.error.ConflictException if it is not TAKEN (e.g. already answered FAILED
     *                                                 by {@link #failTakenCommands}); a transaction it joined then rolls back
     */
    void finishCommand(long id, boolean succeeded, String result);

    /** The command as stored, empty if there is none (never submitted, or deleted). */
    Optional<ClusterCommand> command(long id);

    /** Answers every TAKEN command FAILED with {@code result} (taken by a leader that is gone); returns how many. */
    int failTakenCommands(String result);

    /** Deletes DONE and FAILED commands last changed before {@code before} (database clock); returns how many. NEW and TAKEN ones stay. */
    int deleteFinishedCommands(java.time.Instant before);
}
