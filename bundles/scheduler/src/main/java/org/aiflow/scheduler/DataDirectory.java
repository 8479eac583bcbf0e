package org.aiflow.scheduler;

import java.nio.file.Path;
import java.nio.file.Paths;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root of the platform's own files when no path is configured: the system property
 * {@code aiflow.data}, else Karaf's {@code karaf.data}, else (a plain OSGi host that set neither)
 * {@code <java.io.tmpdir>/aiflow-data}, with a warning, rather than a {@code data/} folder relative
 * to whatever the working directory happens to be. The same rule in every bundle that stores files
 * (docs/embedding.md).
 */
final class DataDirectory {
    static final String PROPERTY = "aiflow.data";
    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);

    private DataDirectory() {
    }

    /** The root for the current system properties; warns when it falls back to the temporary directory. */
    static Path root() {
        Path root = root(System.getProperty(PROPERTY), System.getProperty("karaf.data"), System.getProperty("java.io.tmpdir"));
        if (isBlank(System.getProperty(PROPERTY)) && isBlank(System.getProperty("karaf.data"))) {
            LOG.warn("Neither {} nor karaf.data is set: the platform's files go under {} (set -D{}=<directory> to keep them)",
                    PROPERTY, root, PROPERTY);
        }
        return root;
    }

    static Path root(String aiflowData, String karafData, String tmpDir) {
        if (!isBlank(aiflowData)) {
            return Paths.get(aiflowData.trim()).toAbsolutePath();
        }
        if (!isBlank(karafData)) {
            return Paths.get(karafData.trim()).toAbsolutePath();
        }
        return Paths.get(isBlank(tmpDir) ? "." : tmpDir, "aiflow-data").toAbsolutePath();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
