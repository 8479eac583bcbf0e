package org.aiflow.api.event;

import java.time.Instant;

/**
 * A named durable subscription as the server keeps it.
 *
 * @param name       the subscriber's name
 * @param cursor     the last version the subscriber acknowledged; it resumes after it
 * @param head       the latest committed version when this snapshot was taken
 * @param createTime when the subscription was created
 * @param updateTime when it was last acknowledged
 */
public record SubscriptionInfo(String name, long cursor, long head, Instant createTime, Instant updateTime) {

    /** How many versions the subscriber is behind: {@code head - cursor}, never negative. */
    public long lag() {
        return Math.max(0, head - cursor);
    }
}
