package org.aiflow.api.error;

/** The named entity does not exist. Code {@code not_found}. */
public class NotFoundException extends AiflowException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String what, Object id) {
        super("not_found", what + " '" + id + "' does not exist", null);
    }

    /** With a message as it came, e.g. from a remote platform. */
    public NotFoundException(String message) {
        super("not_found", message, null);
    }
}
