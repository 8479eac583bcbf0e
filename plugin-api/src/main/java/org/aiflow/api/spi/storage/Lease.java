package org.aiflow.api.spi.storage;

import java.time.Duration;
import java.time.Instant;

/**
 * A lease as stored: who holds it, since which epoch, until when. All times are the database's
 * clock, so the nodes' clocks need not agree.
 *
 * @param name        the lease, e.g. {@code scheduler}
 * @param owner       the holder, {@code <node id>#<incarnation>}
 * @param epoch       raised by one each time the lease changes hands (or is taken again after a restart)
 * @param acquireTime when the current owner took it
 * @param renewTime   when it was last renewed
 * @param expireTime  when it lapses unless renewed
 * @param now         the database's time when this was read
 * @since 1.5
 */
public record Lease(String name, String owner, long epoch, Instant acquireTime, Instant renewTime, Instant expireTime, Instant now) {

    /** The node part of {@link #owner()}. */
    public String ownerNode() {
        int hash = owner.lastIndexOf('#');
        return hash < 0 ? owner : owner.substring(0, hash);
    }

    public boolean expired() {
        return !expireTime.isAfter(now);
    }

    /** How long ago it was last renewed, by the database's clock. */
    public Duration age() {
        return Duration.between(renewTime, now);
    }
}
