package org.aiflow.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

import org.aiflow.api.error.AiflowException;
import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.FencedException;
import org.aiflow.api.error.ForbiddenException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.spi.storage.ClusterCommand;
import org.aiflow.api.spi.storage.ClusterStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * How a node that does not lead gets a change made: it stores the command ({@link ClusterStore}) and
 * waits for the leader's answer, polling it; the leader runs the new commands on its worker every
 * {@code pollMillis}. A command runs at most once: the leader marks it taken, fenced by its lease,
 * before running it; one taken by a leader that then died is answered as failed by the next leader
 * (the caller is told to check and retry), never run twice. The database is the only channel, so
 * nodes need no network path to each other.
 */
final class CommandRelay {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRelay.class);
    /** Answered commands are kept this long, for a caller that polls late. */
    private static final Duration KEEP = Duration.ofHours(1);
    static final String LOST = "the scheduling leader stopped while it ran this request; check whether it took effect before you retry";

    private final ClusterStore cluster;
    private final String node;
    private final Duration answerTimeout;

    /** @param answerTimeout how long a caller waits for the leader (at least a failover) */
    CommandRelay(ClusterStore cluster, String node, Duration answerTimeout) {
        this.cluster = cluster;
        this.node = node;
        this.answerTimeout = answerTimeout;
    }

    /** Has the leader run a command and returns its answer, or throws the error it answered. */
    String forward(SchedulerCommands.Name name, Map<String, String> arguments) {
        long id = cluster.submitCommand(node, name.name(), SchedulerJson.writeStrings(arguments));
        long deadline = System.nanoTime() + answerTimeout.toNanos();
        long pause = 5;
        while (System.nanoTime() < deadline) {
            Optional<ClusterCommand> c = cluster.command(id);
            if (c.isPresent() && c.get().state() == ClusterCommand.State.DONE) {
                return c.get().result();
            }
            if (c.isPresent() && c.get().state() == ClusterCommand.State.FAILED) {
                throw error(c.get().result());
            }
            try {
                Thread.sleep(pause); // polling the store: the leader answers within its command poll interval
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted while waiting for the scheduling leader", e);
            }
            pause = Math.min(50, pause * 2);
        }
        throw new UnavailableException("no scheduling leader answered request " + id + " within " + answerTimeout.toSeconds()
                + " s (is a node leading? see aiflow:cluster-status); it runs when one does", null);
    }

    /** On becoming the leader: what a gone leader had taken is answered as failed; old answers go. */
    void leading() {
        int lost = cluster.failTakenCommands(SchedulerJson.writeStrings(Map.of("code", "unavailable", "message", LOST)));
        if (lost > 0) {
            LOG.warn("{} request(s) of other nodes were being run by the previous scheduling leader and are answered as failed", lost);
        }
        cluster.deleteFinishedCommands(Instant.now().minus(KEEP));
    }

    /**
     * Runs the commands other nodes stored; the leader's worker thread only.
     *
     * @param run     runs one command, returns its answer
     * @param fenced  runs a write fenced by this node's lease (taking and answering a command)
     */
    void runNew(BiFunction<SchedulerCommands.Name, Map<String, String>, String> run,
                java.util.function.Function<java.util.function.Supplier<Boolean>, Boolean> fenced) {
        for (ClusterCommand c : cluster.newCommands(32)) {
            if (!fenced.apply(() -> cluster.takeCommand(c.id()))) {
                continue;
            }
            boolean ok;
            String answer;
            try {
                SchedulerCommands.Name name = SchedulerCommands.Name.valueOf(c.command());
                answer = run.apply(name, SchedulerJson.readStrings(c.arguments()));
                ok = true;
            } catch (FencedException e) {
                throw e; // not the leader any more: the next one answers it as failed
            } catch (AiflowException e) {
                answer = SchedulerJson.writeStrings(Map.of("code", e.code(), "message", e.getMessage()));
                ok = false;
            } catch (RuntimeException e) {
                LOG.error("Request {} of node {} ({}) failed", c.id(), c.node(), c.command(), e);
                answer = SchedulerJson.writeStrings(Map.of("code", "unavailable", "message", "the scheduling leader failed to run it: " + e));
                ok = false;
            }
            boolean succeeded = ok;
            String result = answer;
            fenced.apply(() -> {
                cluster.finishCommand(c.id(), succeeded, result);
                return true;
            });
        }
    }

    private static AiflowException error(String answer) {
        Map<String, String> problem;
        try {
            problem = SchedulerJson.readStrings(answer);
        } catch (RuntimeException e) {
            return new UnavailableException("the scheduling leader answered: " + answer, null);
        }
        String message = problem.getOrDefault("message", "");
        return switch (problem.getOrDefault("code", "")) {
            case "invalid_argument" -> new ValidationException(message);
            case "not_found" -> new NotFoundException(message);
            case "conflict" -> new ConflictException(message);
            case "forbidden" -> new ForbiddenException(message);
            default -> new UnavailableException(message, null);
        };
    }
}
