/**
 * Metadata of what ML workflows produce and consume: datasets, models and model versions with their
 * stages. Records are immutable snapshots; {@code revision} is the optimistic-concurrency token an
 * update must quote.
 */
@Export
@Version("1.0.0")
package org.aiflow.api.metadata;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
