package org.aiflow.api.spi.storage;

import java.util.Objects;

/**
 * What a transaction of a lease holder proves: the lease {@code name} is still held by
 * {@code owner} at {@code epoch}. A transaction fenced by it fails with
 * {@link org.aiflow.api.error.FencedException} and commits nothing once another owner has taken the
 * lease (which raises the epoch), so a deposed leader's late commit cannot land.
 *
 * @since 1.5
 */
public record LeaderFence(String lease, String owner, long epoch) {
    public LeaderFence {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(owner, "owner");
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be positive, got " + epoch);
        }
    }
}
