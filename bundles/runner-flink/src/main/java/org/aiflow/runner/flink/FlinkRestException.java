package org.aiflow.runner.flink;

/** A Flink REST call that failed: no answer at all ({@link #unreachable()}) or an HTTP error status. */
final class FlinkRestException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final boolean unreachable;

    FlinkRestException(String message, int status, boolean unreachable) {
        super(message);
        this.status = status;
        this.unreachable = unreachable;
    }

    int status() {
        return status;
    }

    boolean unreachable() {
        return unreachable;
    }

    /** The first line that says what went wrong: Flink's error lists put a summary before stack traces. */
    String summary() {
        String m = getMessage() == null ? "" : getMessage().strip();
        for (String line : m.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("at ") && !l.equals("Internal server error.") && !l.startsWith("<Exception on server side:")) {
                return l;
            }
        }
        return m;
    }
}
