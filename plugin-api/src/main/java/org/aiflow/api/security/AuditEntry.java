package org.aiflow.api.security;

import java.time.Instant;

/**
 * One change as the audit log recorded it.
 *
 * @param id        increasing
 * @param time      when it was recorded
 * @param principal who made it
 * @param action    what was done, e.g. {@code workflow.upload}, {@code execution.start}, {@code token.revoke}
 * @param namespace where; empty for changes outside namespaces (tokens, grants)
 * @param target    what it was done to (a workflow name, an execution id, a token id)
 * @param detail    more, for people (may be empty)
 */
public record AuditEntry(long id, Instant time, String principal, String action, String namespace, String target,
                         String detail) {
}
