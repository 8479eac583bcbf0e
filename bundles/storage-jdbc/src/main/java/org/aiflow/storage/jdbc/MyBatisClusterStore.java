package org.aiflow.storage.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.spi.storage.ClusterCommand;
import org.aiflow.api.spi.storage.ClusterCommand.State;
import org.aiflow.api.spi.storage.ClusterNode;
import org.aiflow.api.spi.storage.ClusterStore;
import org.aiflow.api.spi.storage.Lease;
import org.aiflow.storage.jdbc.mapper.ClusterMapper;
import org.aiflow.storage.jdbc.mapper.Rows.CommandRow;
import org.aiflow.storage.jdbc.mapper.Rows.LeaseRow;
import org.apache.ibatis.exceptions.PersistenceException;

/**
 * Leases, node heartbeats and commands for the leader over MyBatis; each method one transaction (or
 * a part of the {@link org.aiflow.api.spi.storage.SchedulerStore#inTransaction} open on the calling
 * thread, see {@link JdbcStorage#inTransaction}), every time the database's.
 *
 * <p>A lease changes hands only by a compare-and-set on its owner and epoch (or, the first time, by
 * an insert the primary key lets only one node make), so of nodes racing for it exactly one gets it;
 * the others see the winner's lease. The update waits for transactions fenced by the lease (they
 * hold its row locked, see {@link JdbcStorage#checkFence}), so a deposed leader's open transaction
 * either commits before the takeover or fails.
 *
 * <p>A command changes state only by a compare-and-set on its state (NEW to TAKEN, TAKEN to DONE or
 * FAILED), so of leaders racing to take it exactly one does; taken within the leader's fenced
 * transaction, it stays NEW unless that transaction commits.
 */
final class MyBatisClusterStore implements ClusterStore {
    private final JdbcStorage storage;

    MyBatisClusterStore(JdbcStorage storage) {
        this.storage = storage;
    }

    private static long now(ClusterMapper m) {
        return m.now(); // the database's form, by its databaseId
    }

    @Override
    public Lease acquireOrRenew(String name, String owner, Duration ttl) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(owner, "owner");
        if (ttl == null || ttl.toMillis() <= 0) {
            throw new ValidationException("a lease's ttl must be positive, got " + ttl);
        }
        long ttlMillis = ttl.toMillis();
        Lease got = storage.inTransaction(session -> {
            ClusterMapper m = session.getMapper(ClusterMapper.class);
            long now = now(m);
            LeaseRow row = m.findLease(name);
            if (row == null) {
                LeaseRow fresh = new LeaseRow();
                fresh.name = name;
                fresh.owner = owner;
                fresh.epoch = 1;
                fresh.acquireTime = now;
                fresh.renewTime = now;
                fresh.expireTime = now + ttlMillis;
                try {
                    if (m.insertLease(fresh) == 0) {
                        return null; // PostgreSQL: another node inserted it first
                    }
                } catch (PersistenceException e) {
                    if (JdbcStorage.isDuplicate(e.getCause())) {
                        return null; // another node inserted it first: it holds the lease
                    }
                    throw e;
                }
                return toLease(fresh, now);
            }
            if (row.owner.equals(owner)) {
                if (m.renewLease(name, owner, row.epoch, now, now + ttlMillis) == 0) {
                    return null; // taken from us meanwhile
                }
                row.renewTime = now;
                row.expireTime = now + ttlMillis;
                return toLease(row, now);
            }
            boolean takeable = row.expireTime <= now || sameNode(row.owner, owner);
            if (!takeable) {
                return toLease(row, now);
            }
            if (m.takeLease(name, row.owner, row.epoch, owner, now, now + ttlMillis) == 0) {
                return null; // another node took it first
            }
            LeaseRow taken = new LeaseRow();
            taken.name = name;
            taken.owner = owner;
            taken.epoch = row.epoch + 1;
            taken.acquireTime = now;
            taken.renewTime = now;
            taken.expireTime = now + ttlMillis;
            return toLease(taken, now);
        });
        if (got != null) {
            return got;
        }
        // lost a race: the lease as the winner stored it (read in a new transaction, so it is visible)
        return lease(name).orElseThrow(() -> new IllegalStateException("lease '" + name + "' vanished during a race for it"));
    }

    /** Whether {@code stored} is an earlier (or other) incarnation of the node {@code owner} belongs to. */
    static boolean sameNode(String stored, String owner) {
        return nodeOf(stored).equals(nodeOf(owner));
    }

    private static String nodeOf(String owner) {
        int hash = owner.lastIndexOf('#');
        return hash < 0 ? owner : owner.substring(0, hash);
    }

    @Override
    public Optional<Lease> lease(String name) {
        return storage.inTransaction(session -> {
            ClusterMapper m = session.getMapper(ClusterMapper.class);
            long now = now(m);
            return Optional.ofNullable(m.findLease(name)).map(r -> toLease(r, now));
        });
    }

    @Override
    public void release(String name, String owner, long epoch) {
        storage.inTransaction(session -> {
            ClusterMapper m = session.getMapper(ClusterMapper.class);
            return m.releaseLease(name, owner, epoch, now(m));
        });
    }

    @Override
    public void heartbeat(String nodeId, String url, String host, Instant startTime) {
        Objects.requireNonNull(nodeId, "nodeId");
        storage.inTransaction(session -> {
            ClusterMapper m = session.getMapper(ClusterMapper.class);
            return m.heartbeat(nodeId, url == null ? "" : url, host == null ? "" : host,
                    startTime == null ? 0L : startTime.toEpochMilli(), now(m));
        });
    }

    @Override
    public List<ClusterNode> nodes(Duration within) {
        return storage.inTransaction(session -> {
            ClusterMapper m = session.getMapper(ClusterMapper.class);
            long since = now(m) - within.toMillis();
            return m.nodesSeenSince(since).stream().map(r -> new ClusterNode(r.id, r.url, r.host, Instant.ofEpochMilli(r.startTime),
                    Instant.ofEpochMilli(r.lastSeen))).toList();
        });
    }

    /** Longest node id and command name the table holds. */
    static final int MAX_NODE = 255;
    static final int MAX_COMMAND = 128;

    @Override
    public long submitCommand(String node, String command, String arguments) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(arguments, "arguments");
        if (node.length() > MAX_NODE) {
            throw new ValidationException("a node id has at most " + MAX_NODE + " characters, got " + node.length());
        }
        if (command.isBlank() || command.length() > MAX_COMMAND) {
            throw new ValidationException("a command name has 1 to " + MAX_COMMAND + " characters, got '" + command + "'");
        }
        return storage.inTransaction(session -> {
            ClusterMapper m = session.getMapper(ClusterMapper.class);
            long now = now(m);
            CommandRow row = new CommandRow();
            row.node = node;
            row.command = command;
            row.arguments = arguments;
            row.state = State.NEW.name();
            row.createTime = now;
            row.updateTime = now;
            m.insertCommand(row);
            return row.id;
        });
    }

    @Override
    public List<ClusterCommand> newCommands(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return storage.inTransaction(session -> session.getMapper(ClusterMapper.class).commandsIn(State.NEW.name(), limit).stream()
                .map(MyBatisClusterStore::toCommand).toList());
    }

    @Override
    public boolean takeCommand(long id) {
        return storage.inTransaction(session -> {
            ClusterMapper m = session.getMapper(ClusterMapper.class);
            return m.moveCommand(id, State.NEW.name(), State.TAKEN.name(), now(m)) == 1;
        });
    }

    /**
     * @throws NotFoundException if there is no such command
     * @throws ConflictException if it is not TAKEN (e.g. already answered FAILED by a later leader);
     *                           within a {@code SchedulerStore.inTransaction} that transaction then rolls back
     */
    @Override
    public void finishCommand(long id, boolean succeeded, String result) {
        State to = succeeded ? State.DONE : State.FAILED;
        storage.inTransaction(session -> {
            ClusterMapper m = session.getMapper(ClusterMapper.class);
            if (m.answerCommand(id, State.TAKEN.name(), to.name(), result, now(m)) == 1) {
                return null;
            }
            CommandRow row = m.findCommand(id);
            if (row == null) {
                throw new NotFoundException("cluster command", Long.toString(id));
            }
            throw new ConflictException("cluster command " + id + " is " + row.state + ", not TAKEN: it cannot be answered " + to);
        });
    }

    @Override
    public Optional<ClusterCommand> command(long id) {
        return storage.inTransaction(session -> Optional.ofNullable(session.getMapper(ClusterMapper.class).findCommand(id))
                .map(MyBatisClusterStore::toCommand));
    }

    @Override
    public int failTakenCommands(String result) {
        return storage.inTransaction(session -> {
            ClusterMapper m = session.getMapper(ClusterMapper.class);
            return m.answerAllCommands(State.TAKEN.name(), State.FAILED.name(), result, now(m));
        });
    }

    @Override
    public int deleteFinishedCommands(Instant before) {
        Objects.requireNonNull(before, "before");
        return storage.inTransaction(session -> session.getMapper(ClusterMapper.class).deleteFinishedCommands(before.toEpochMilli()));
    }

    private static ClusterCommand toCommand(CommandRow r) {
        return new ClusterCommand(r.id, r.node, r.command, r.arguments, State.valueOf(r.state), r.result,
                Instant.ofEpochMilli(r.createTime), Instant.ofEpochMilli(r.updateTime));
    }

    private static Lease toLease(LeaseRow r, long now) {
        return new Lease(r.name, r.owner, r.epoch, Instant.ofEpochMilli(r.acquireTime), Instant.ofEpochMilli(r.renewTime),
                Instant.ofEpochMilli(r.expireTime), Instant.ofEpochMilli(now));
    }
}
