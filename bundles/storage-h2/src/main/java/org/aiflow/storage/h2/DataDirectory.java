package org.aiflow.storage.h2;

import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The platform's data root ({@link org.aiflow.api.config.DataDirectory}), with this bundle's warning when it is not configured. */
final class DataDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);

    private DataDirectory() {
    }

    static Path root() {
        Path root = org.aiflow.api.config.DataDirectory.root();
        if (!org.aiflow.api.config.DataDirectory.configured()) {
            LOG.warn("Neither aiflow.data nor karaf.data is set: the platform's files go under {} (set -Daiflow.data=<directory> to keep them)", root);
        }
        return root;
    }
}
