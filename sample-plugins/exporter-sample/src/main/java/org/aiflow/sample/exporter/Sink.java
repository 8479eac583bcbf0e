package org.aiflow.sample.exporter;

import java.io.IOException;
import java.util.List;

import org.aiflow.api.event.Event;

/** Where events go. Called from the exporter's one thread. */
interface Sink extends AutoCloseable {

    /**
     * Hands a page of events over; returns once the destination has them for good (the exporter then
     * acknowledges them). Throws if it cannot tell: the page is handed over again later.
     */
    void export(List<Event> events) throws IOException, InterruptedException;

    /**
     * The highest version the destination is known to have, whatever was acknowledged; 0 if it cannot
     * tell. Asked at the start and after every failure: the exporter skips what the sink has.
     */
    default long lastExported() throws IOException {
        return 0;
    }

    @Override
    default void close() {
    }
}
