package org.aiflow.api.spi.storage;

import java.time.Instant;

/**
 * A change asked for on a node that does not lead (start an execution, stop a task, upload a
 * workflow, ...), stored for the leader to run and answer. Run at most once: the leader marks it
 * {@link State#TAKEN} (fenced by its lease) before it runs it; one taken by a leader that died is
 * answered {@link State#FAILED} by the next.
 *
 * @param id         its number, rising
 * @param node       the node that asked
 * @param command    what to do (the scheduler's command name)
 * @param arguments  its arguments (JSON)
 * @param state      where it is
 * @param result     the answer once DONE or FAILED (JSON), else null
 * @param createTime when it was asked (database clock)
 * @param updateTime when its state last changed (database clock)
 * @since 1.5
 */
public record ClusterCommand(long id, String node, String command, String arguments, State state, String result, Instant createTime,
                             Instant updateTime) {

    public enum State {
        NEW, TAKEN, DONE, FAILED
    }
}
