package org.aiflow.api.spi.storage;

/**
 * The result of a change stored together with its outbox events.
 *
 * @param lastEventVersion the version of the last event appended with it; 0 if none
 */
public record Outboxed<T>(T value, long lastEventVersion) {
}
