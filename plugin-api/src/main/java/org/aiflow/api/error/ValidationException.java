package org.aiflow.api.error;

/** Input broke a documented validation rule; nothing was changed. Code {@code invalid_argument}. */
public class ValidationException extends AiflowException {
    private static final long serialVersionUID = 1L;

    public ValidationException(String message) {
        super("invalid_argument", message, null);
    }

    protected ValidationException(String code, String message) {
        super(code, message, null);
    }
}
