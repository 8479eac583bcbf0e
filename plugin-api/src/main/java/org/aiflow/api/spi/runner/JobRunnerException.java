package org.aiflow.api.spi.runner;

/**
 * A job could not be submitted or controlled: bad configuration, missing program, unreachable
 * cluster. The scheduler marks the task FAILED with this message.
 */
public class JobRunnerException extends Exception {
    private static final long serialVersionUID = 1L;

    public JobRunnerException(String message) {
        super(message);
    }

    public JobRunnerException(String message, Throwable cause) {
        super(message, cause);
    }
}
