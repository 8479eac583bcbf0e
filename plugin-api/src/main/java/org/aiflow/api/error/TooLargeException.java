package org.aiflow.api.error;

/** Input is larger than a configured cap (an event value, a request body); nothing was changed. Code {@code too_large}. */
public class TooLargeException extends ValidationException {
    private static final long serialVersionUID = 1L;

    public TooLargeException(String message) {
        super("too_large", message);
    }
}
