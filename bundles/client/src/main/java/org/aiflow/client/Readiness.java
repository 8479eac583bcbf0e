package org.aiflow.client;

import java.util.List;

/**
 * One answer of {@code GET /aiflow/v1/health/ready}: ready (200), or what is missing (503:
 * {@code storage}, {@code notification}, {@code metadata}, {@code scheduler}, {@code rest}) and the
 * problem's message, which includes the reason the platform knows (e.g. why the storage is down).
 */
public record Readiness(boolean ready, List<String> missing, String message) {
    public Readiness {
        missing = missing == null ? List.of() : List.copyOf(missing);
    }
}
