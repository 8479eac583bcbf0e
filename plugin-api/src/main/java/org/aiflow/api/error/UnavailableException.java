package org.aiflow.api.error;

/**
 * A backing service (storage, runner) is not available right now; the call changed nothing and
 * may be retried. Code {@code unavailable}.
 */
public class UnavailableException extends AiflowException {
    private static final long serialVersionUID = 1L;

    public UnavailableException(String message, Throwable cause) {
        super("unavailable", message, cause);
    }
}
