package org.aiflow.api.stats;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the notification service measured while publishing on this node, since its bundle started
 * (a storage switch does not reset it). Registered by the notification bundle; read at scrape time.
 */
@ProviderType
public interface EventLogStatistics {

    /** Nanoseconds from a publish call (one event or a batch) to the commit that made it durable; successful calls only. */
    HistogramSnapshot publishNanos();

    /** Events per commit of the group committer (one commit may carry many publishers' events); committed ones only. */
    HistogramSnapshot commitBatchEvents();
}
