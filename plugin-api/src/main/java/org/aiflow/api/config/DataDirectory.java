package org.aiflow.api.config;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The root of the platform's own files when no path is configured: the system property
 * {@code aiflow.data}, else Karaf's {@code karaf.data}, else (a plain OSGi host that set neither)
 * {@code <java.io.tmpdir>/aiflow-data} rather than a {@code data/} folder relative to whatever the
 * working directory happens to be (docs/embedding.md). Callers warn when {@link #configured()} is
 * false, in their own log.
 */
public final class DataDirectory {
    /** The system property that names the root. */
    public static final String PROPERTY = "aiflow.data";

    private DataDirectory() {
    }

    /** The root for the current system properties. */
    public static Path root() {
        return root(System.getProperty(PROPERTY), System.getProperty("karaf.data"), System.getProperty("java.io.tmpdir"));
    }

    /** Whether {@code aiflow.data} or {@code karaf.data} is set (else {@link #root()} is under the temporary directory). */
    public static boolean configured() {
        return !isBlank(System.getProperty(PROPERTY)) || !isBlank(System.getProperty("karaf.data"));
    }

    /** The root for these values of {@code aiflow.data}, {@code karaf.data} and {@code java.io.tmpdir} (each may be null). */
    public static Path root(String aiflowData, String karafData, String tmpDir) {
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
