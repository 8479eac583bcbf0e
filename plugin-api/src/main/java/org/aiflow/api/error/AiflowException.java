package org.aiflow.api.error;

/**
 * Base of every error an AI Flow service reports to its caller.
 *
 * <p>{@link #code()} is stable across releases (clients may switch on it); the message is for
 * humans and may change. A service that throws one of these has changed nothing.
 */
public abstract class AiflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    protected AiflowException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** Stable machine-readable error code, e.g. {@code invalid_argument}. */
    public String code() {
        return code;
    }
}
