/**
 * Storage SPIs implemented by storage backends (MyBatis over H2 or MariaDB first-party). The core services require them; swapping a backend re-registers these services and the core rebinds.
 */
@Export
@Version("1.5.0")
package org.aiflow.api.spi.storage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
