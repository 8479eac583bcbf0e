package org.aiflow.api.error;

/**
 * A transaction of a scheduling leader was refused because its lease has moved on: another node
 * took it (a higher epoch) after this one's expired. Nothing of the transaction was committed; the
 * node must stop deciding. Code {@code unavailable} (HTTP 503).
 *
 * @since 1.3
 */
public class FencedException extends UnavailableException {
    private static final long serialVersionUID = 1L;

    public FencedException(String message) {
        super(message, null);
    }
}
