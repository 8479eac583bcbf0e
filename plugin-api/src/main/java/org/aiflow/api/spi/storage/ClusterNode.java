package org.aiflow.api.spi.storage;

import java.time.Instant;

/**
 * A platform node that shares the database, as it last reported itself (times by the database's clock).
 *
 * @param id        the node's stable id (configured, or derived from its host and installation)
 * @param url       its REST base, e.g. {@code http://host:8181/aiflow/v1}; may be empty
 * @param host      its host name
 * @param startTime when its current incarnation started
 * @param lastSeen  its last heartbeat
 * @since 1.5
 */
public record ClusterNode(String id, String url, String host, Instant startTime, Instant lastSeen) {
}
