package org.aiflow.api.error;

/** The request conflicts with the current state (duplicate, stale version, illegal transition). Code {@code conflict}. */
public class ConflictException extends AiflowException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super("conflict", message, null);
    }
}
