/**
 * Scheduling policy SPI: plugins that review every proposed action before the scheduler executes it.
 */
@Export
@Version("2.0.0")
package org.aiflow.api.spi.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
