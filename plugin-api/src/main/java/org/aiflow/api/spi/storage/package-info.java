/**
 * Storage SPIs implemented by storage backends (MyBatis over H2, MariaDB or PostgreSQL first-party). A backend registers one {@link org.aiflow.api.spi.storage.StorageBackend} that hands out all its stores together; the core services require it, and swapping a backend re-registers it and the core rebinds.
 */
@Export
@Version("1.7.0")
package org.aiflow.api.spi.storage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
