/**
 * Configuration rules shared by the bundles that keep files or expire data: where the platform's
 * files live when no path is configured ({@link org.aiflow.api.config.DataDirectory}), and the
 * grammar of per-namespace rules such as event and task-log retention
 * ({@link org.aiflow.api.config.NamespaceRuleSpec}). One copy, so every bundle and plugin reads
 * them the same way.
 */
@Export
@Version("1.0.0")
package org.aiflow.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
