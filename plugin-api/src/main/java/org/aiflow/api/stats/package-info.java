/**
 * Cumulative figures the core services keep about themselves (publish latency, group-commit sizes,
 * the scheduler's decision latency, backlog and failed submits), for a monitoring bundle to read at
 * scrape time. Recording costs an add to a {@link java.util.concurrent.atomic.LongAdder} and no
 * allocation, so it stays on the hot path; nothing here depends on a metrics library.
 */
@Export
@Version("1.0.0")
package org.aiflow.api.stats;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
