/**
 * Job runner SPI: a plugin that runs one kind of job (process, flink, ...). Runners are OSGi services bound dynamically by the scheduler.
 */
@Export
@Version("1.3.0")
package org.aiflow.api.spi.runner;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
