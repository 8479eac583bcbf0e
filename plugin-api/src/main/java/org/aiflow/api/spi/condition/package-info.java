/**
 * Condition type SPI: named evaluators that decide whether a rule fires for an event.
 */
@Export
@Version("1.1.0")
package org.aiflow.api.spi.condition;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
