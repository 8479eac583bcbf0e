package org.aiflow.api.execution;

/**
 * A slice of a task execution's log file. Read on from {@code nextOffset} to follow a log that is
 * still being written.
 *
 * @param offset     where the slice starts, in bytes
 * @param nextOffset where the next read should start
 * @param size       the file's size when it was read
 * @param text       the slice as UTF-8 text (a character cut at the slice's edge shows as U+FFFD)
 */
public record TaskLog(long taskExecutionId, String file, long offset, long nextOffset, long size, String text) {
}
