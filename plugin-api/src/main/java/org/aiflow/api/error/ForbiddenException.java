package org.aiflow.api.error;

/** The caller is known but its roles do not allow the call. Code {@code forbidden} (HTTP 403). */
public class ForbiddenException extends AiflowException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(String message) {
        super("forbidden", message, null);
    }
}
