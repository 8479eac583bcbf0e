package org.aiflow.api.scheduler;

import java.time.Instant;
import java.util.List;

/**
 * The platform nodes that share one database and which of them schedules, as this node sees it.
 *
 * @param self        the id of the node that answered
 * @param leader      the node holding the scheduling lease; null if nobody holds it (or it has expired)
 * @param epoch       the lease's epoch (raised each time it changes hands); 0 if never taken
 * @param leaseAgeMillis how long ago the lease was last renewed, by the database's clock; -1 if never taken
 * @param leaseExpiresInMillis how long until it lapses without renewal (negative: lapsed); 0 if never taken
 * @param leaseTimeoutMillis how long a lease lasts without renewal (the failover time after a leader dies)
 * @param nodes       the nodes seen recently, with their last heartbeat
 * @since 1.4
 */
public record ClusterStatus(String self, String leader, long epoch, long leaseAgeMillis, long leaseExpiresInMillis,
                            long leaseTimeoutMillis, List<Node> nodes) {

    public ClusterStatus {
        nodes = List.copyOf(nodes);
    }

    /**
     * @param id       the node's id
     * @param url      its REST base; may be empty
     * @param host     its host name
     * @param started  when its current incarnation started
     * @param lastSeen its last heartbeat
     * @param leader   whether it holds the scheduling lease
     */
    public record Node(String id, String url, String host, Instant started, Instant lastSeen, boolean leader) {
    }
}
