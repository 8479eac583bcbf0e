package org.aiflow.client;

import java.util.List;

import org.aiflow.api.error.UnavailableException;

/**
 * The platform did not become ready in time ({@link AiflowClient#awaitReady}): the message is the
 * last answer's (what is missing and why), or why the platform could not be reached.
 */
public class NotReadyException extends UnavailableException {
    private static final long serialVersionUID = 1L;

    private final List<String> missing;

    public NotReadyException(String message, List<String> missing, Throwable cause) {
        super(message, cause);
        this.missing = missing == null ? List.of() : List.copyOf(missing);
    }

    /** What the last answer named as missing; empty if the platform never answered. */
    public List<String> missing() {
        return missing;
    }
}
