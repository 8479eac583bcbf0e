package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.execution.ScheduleInfo;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.scheduler.ScheduleEvents;
import org.aiflow.api.spi.storage.ScheduleState;
import org.aiflow.api.workflow.CatchUp;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.Schedule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.junit.jupiter.api.Test;

/** The schedule firer against an in-memory host and a clock the test moves; no database, no worker thread. */
class ScheduleFirerTest {

    /** A clock the test sets. */
    static final class TestClock extends Clock {
        Instant now;

        TestClock(String now) {
            this.now = Instant.parse(now);
        }

        void set(String instant) {
            now = Instant.parse(instant);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** The scheduler's side, in memory: workflows and snapshots, published events and stored states. */
    static final class FakeHost implements ScheduleFirer.Host {
        final Map<Long, Workflow> workflows = new LinkedHashMap<>();
        final Map<Long, WorkflowDefinition> snapshots = new HashMap<>();
        final List<EventDraft> published = new ArrayList<>();
        final Map<String, ScheduleState> stored = new HashMap<>();
        int loads;
        int saves;

        Workflow put(long id, boolean enabled, long snapshotId, WorkflowDefinition def) {
            Workflow w = new Workflow(id, def.namespace(), def.name(), enabled, snapshotId, Instant.EPOCH, Instant.EPOCH);
            workflows.put(id, w);
            snapshots.put(snapshotId, def);
            return w;
        }

        @Override
        public Collection<Workflow> workflows() {
            return workflows.values();
        }

        @Override
        public WorkflowDefinition definition(long snapshotId) {
            return snapshots.get(snapshotId);
        }

        @Override
        public void publish(EventDraft fired) {
            published.add(fired);
        }

        @Override
        public Optional<ScheduleState> loadState(long workflowId, String scheduleName) {
            loads++;
            return Optional.ofNullable(stored.get(workflowId + "/" + scheduleName));
        }

        @Override
        public void saveState(ScheduleState state) {
            saves++;
            stored.put(state.workflowId() + "/" + state.scheduleName(), state);
        }

        ScheduleState state(long workflowId, String name) {
            return stored.get(workflowId + "/" + name);
        }

        List<String> firedValues() {
            return published.stream().map(EventDraft::value).toList();
        }
    }

    private final TestClock clock = new TestClock("2026-03-11T10:00:30Z");
    private final FakeHost host = new FakeHost();
    private final ScheduleFirer firer = new ScheduleFirer(host, clock);

    private static WorkflowDefinition workflow(Schedule... schedules) {
        TaskDefinition task = new TaskDefinition("t", TaskKind.BATCH, new JobSpec("process", Map.of("command", "true")), List.of());
        return new WorkflowDefinition("team", "wf", null, List.of(task), null, null, List.of(schedules));
    }

    private static Schedule every(long seconds, CatchUp catchUp) {
        return new Schedule("s", null, seconds, null, null, catchUp);
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    @Test
    void aNewScheduleFirstStoresItsNextFireTimeAndFiresNothing() {
        host.put(7, true, 1, workflow(every(60, null)));
        firer.fire();
        assertThat(host.published).isEmpty();
        assertThat(host.state(7, "s")).isEqualTo(new ScheduleState(7, "s", at("2026-03-11T10:01:00Z"), false));
    }

    @Test
    void anIntervalScheduleFiresAtEachFireTimeWithTheScheduleEventSchema() {
        host.put(7, true, 1, workflow(every(60, null)));
        firer.fire();
        clock.set("2026-03-11T10:00:59.999Z");
        firer.fire();
        assertThat(host.published).isEmpty();
        clock.set("2026-03-11T10:01:00Z");
        firer.fire();
        assertThat(host.published).containsExactly(new EventDraft(ScheduleEvents.NAMESPACE, "wf/s", "2026-03-11T10:01:00Z",
                ScheduleEvents.TYPE, ScheduleEvents.SENDER, Map.of(ScheduleEvents.CONTEXT_WORKFLOW_ID, "7",
                ScheduleEvents.CONTEXT_SCHEDULE, "s", ScheduleEvents.CONTEXT_WORKFLOW_NAMESPACE, "team"),
                "schedule:7:s:" + at("2026-03-11T10:01:00Z").toEpochMilli()));
        assertThat(host.state(7, "s").nextFireTime()).isEqualTo(at("2026-03-11T10:02:00Z"));
        clock.set("2026-03-11T10:01:30Z");
        firer.fire();
        clock.set("2026-03-11T10:02:00.5Z");
        firer.fire();
        assertThat(host.firedValues()).containsExactly("2026-03-11T10:01:00Z", "2026-03-11T10:02:00Z");
    }

    @Test
    void aCronScheduleFiresInItsTimeZoneAcrossADaylightSavingChange() {
        host.put(7, true, 1, workflow(new Schedule("daily", "0 9 * * *", null, "Europe/Berlin", "t", null)));
        clock.set("2026-03-28T07:30:00Z");
        firer.fire();
        assertThat(host.state(7, "daily").nextFireTime()).as("09:00 CET").isEqualTo(at("2026-03-28T08:00:00Z"));
        clock.set("2026-03-28T08:00:00Z");
        firer.fire();
        assertThat(host.state(7, "daily").nextFireTime()).as("09:00 CEST").isEqualTo(at("2026-03-29T07:00:00Z"));
        clock.set("2026-03-29T07:00:01Z");
        firer.fire();
        assertThat(host.firedValues()).containsExactly("2026-03-28T08:00:00Z", "2026-03-29T07:00:00Z");
    }

    @Test
    void catchUpAllFiresEveryMissedTimeOldestFirst() {
        host.put(7, true, 1, workflow(every(60, CatchUp.ALL)));
        firer.fire();
        clock.set("2026-03-11T10:05:30Z");
        firer.fire();
        assertThat(host.firedValues()).containsExactly("2026-03-11T10:01:00Z", "2026-03-11T10:02:00Z", "2026-03-11T10:03:00Z",
                "2026-03-11T10:04:00Z", "2026-03-11T10:05:00Z");
        assertThat(host.state(7, "s").nextFireTime()).isEqualTo(at("2026-03-11T10:06:00Z"));
    }

    @Test
    void catchUpAllFiresAtMostAThousandAndThenGoesOnFromNow() {
        host.put(7, true, 1, workflow(every(1, CatchUp.ALL)));
        firer.fire();
        clock.set("2026-03-11T11:00:30.5Z");
        firer.fire();
        assertThat(host.published).hasSize(ScheduleFirer.MAX_CATCH_UP);
        assertThat(host.published.get(0).value()).isEqualTo("2026-03-11T10:00:31Z");
        assertThat(host.published.get(999).value()).isEqualTo("2026-03-11T10:17:10Z");
        assertThat(host.state(7, "s").nextFireTime()).isEqualTo(at("2026-03-11T11:00:31Z"));
    }

    @Test
    void catchUpLatestFiresOnceForTheNewestMissedTime() {
        host.put(7, true, 1, workflow(every(60, null)));
        firer.fire();
        clock.set("2026-03-11T10:05:30Z");
        firer.fire();
        assertThat(host.firedValues()).containsExactly("2026-03-11T10:05:00Z");
        assertThat(host.state(7, "s").nextFireTime()).isEqualTo(at("2026-03-11T10:06:00Z"));
    }

    @Test
    void catchUpNoneSkipsMissedTimesExceptOneMissedByLessThanAMinute() {
        host.put(7, true, 1, workflow(every(3600, CatchUp.NONE)));
        firer.fire();
        assertThat(host.state(7, "s").nextFireTime()).isEqualTo(at("2026-03-11T11:00:00Z"));
        clock.set("2026-03-11T12:30:00Z");
        firer.fire();
        assertThat(host.published).as("11:00 and 12:00 missed by more than a minute").isEmpty();
        assertThat(host.state(7, "s").nextFireTime()).isEqualTo(at("2026-03-11T13:00:00Z"));
        clock.set("2026-03-11T13:00:59Z");
        firer.fire();
        assertThat(host.firedValues()).containsExactly("2026-03-11T13:00:00Z");
        clock.set("2026-03-11T14:01:00Z");
        firer.fire();
        assertThat(host.firedValues()).as("missed by exactly a minute").containsExactly("2026-03-11T13:00:00Z");
    }

    @Test
    void aDisabledWorkflowDoesNotFireAndCatchesUpWhenEnabledAgain() {
        WorkflowDefinition def = workflow(every(60, null));
        host.put(7, true, 1, def);
        firer.fire();
        host.put(7, false, 1, def);
        clock.set("2026-03-11T10:03:30Z");
        firer.fire();
        assertThat(host.published).isEmpty();
        assertThat(host.state(7, "s").nextFireTime()).isEqualTo(at("2026-03-11T10:01:00Z"));
        host.put(7, true, 1, def);
        firer.fire();
        assertThat(host.firedValues()).containsExactly("2026-03-11T10:03:00Z");
    }

    @Test
    void aPausedScheduleDoesNotFireAndResumesAtTheNextTimeAfterNow() {
        Workflow w = host.put(7, true, 1, workflow(every(60, CatchUp.ALL)));
        firer.fire();
        ScheduleInfo paused = firer.pause(w, firer.schedule(w, "s"), true);
        assertThat(paused.paused()).isTrue();
        assertThat(paused.nextFireTime()).isNull();
        assertThat(host.state(7, "s")).as("persisted").isEqualTo(new ScheduleState(7, "s", null, true));
        clock.set("2026-03-11T10:10:30Z");
        firer.fire();
        assertThat(host.published).isEmpty();
        ScheduleInfo resumed = firer.pause(w, firer.schedule(w, "s"), false);
        assertThat(resumed.paused()).isFalse();
        assertThat(resumed.nextFireTime()).isEqualTo(at("2026-03-11T10:11:00Z"));
        firer.fire();
        assertThat(host.published).as("no catch-up of the paused time").isEmpty();
        clock.set("2026-03-11T10:11:00Z");
        firer.fire();
        assertThat(host.firedValues()).containsExactly("2026-03-11T10:11:00Z");
    }

    @Test
    void reUploadWithAChangedTimingReschedulesFromNowAndKeepsPausing() {
        WorkflowDefinition daily = workflow(new Schedule("s", "0 0 * * *", null, null, null, null),
                new Schedule("p", "0 0 * * *", null, null, null, null));
        Workflow w = host.put(7, true, 1, daily);
        firer.fire();
        firer.pause(w, firer.schedule(w, "p"), true);
        assertThat(host.state(7, "s").nextFireTime()).isEqualTo(at("2026-03-12T00:00:00Z"));
        clock.set("2026-03-11T10:20:00Z");
        WorkflowDefinition hourly = workflow(new Schedule("s", "0 * * * *", null, null, null, null),
                new Schedule("p", "0 * * * *", null, null, null, null), new Schedule("s2", null, 60L, null, null, null));
        Workflow w2 = host.put(7, true, 2, hourly);
        firer.rescheduleChanged(w2, daily, hourly);
        assertThat(host.state(7, "s")).isEqualTo(new ScheduleState(7, "s", at("2026-03-11T11:00:00Z"), false));
        assertThat(host.state(7, "p")).isEqualTo(new ScheduleState(7, "p", null, true));
        assertThat(host.state(7, "s2")).isNull();
        clock.set("2026-03-11T11:00:00Z");
        firer.fire();
        assertThat(host.firedValues()).containsExactly("2026-03-11T11:00:00Z");
    }

    @Test
    void reUploadWithTheSameTimingKeepsTheState() {
        WorkflowDefinition before = workflow(new Schedule("s", "0 0 * * *", null, "UTC", null, null));
        host.put(7, true, 1, before);
        firer.fire();
        ScheduleState state = host.state(7, "s");
        int saves = host.saves;
        clock.set("2026-03-11T10:20:00Z");
        WorkflowDefinition after = workflow(new Schedule("s", "0 0 * * *", null, null, "t", CatchUp.ALL));
        firer.rescheduleChanged(host.put(7, true, 2, after), before, after);
        assertThat(host.saves).isEqualTo(saves);
        assertThat(host.state(7, "s")).isEqualTo(state);
    }

    @Test
    void statesAreCachedUntilForgottenThenReadAgain() {
        host.put(7, true, 1, workflow(every(60, null)));
        firer.fire();
        firer.fire();
        firer.fire();
        assertThat(host.loads).as("read once, then kept").isEqualTo(1);
        host.stored.put("7/s", new ScheduleState(7, "s", null, true)); // an operator's edit
        clock.set("2026-03-11T10:01:00Z");
        firer.fire();
        assertThat(host.published).hasSize(1);
        host.stored.put("7/s", new ScheduleState(7, "s", null, true));
        firer.forget(7);
        clock.set("2026-03-11T10:02:00Z");
        firer.fire();
        assertThat(host.published).hasSize(1);
        assertThat(host.loads).isEqualTo(2);
    }

    @Test
    void infoShowsTheExpressionAndTheStoredState() {
        Workflow w = host.put(7, true, 1, workflow(new Schedule("c", "*/5 * * * *", null, "Europe/Berlin", "t", CatchUp.NONE),
                every(90, null)));
        assertThat(firer.infos(w)).containsExactly(
                new ScheduleInfo("team", "wf", "c", "*/5 * * * * (Europe/Berlin)", "t", CatchUp.NONE, null, false),
                new ScheduleInfo("team", "wf", "s", "every 90 s", null, CatchUp.LATEST, null, false));
        firer.fire();
        assertThat(firer.infos(w)).extracting(ScheduleInfo::nextFireTime)
                .containsExactly(at("2026-03-11T10:05:00Z"), at("2026-03-11T10:01:30Z"));
        assertThatThrownBy(() -> firer.schedule(w, "nosuch")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("workflow 'team/wf' has no schedule 'nosuch'");
    }

    @Test
    void aScheduleEventNamesItsWorkflowAndSchedule() {
        WorkflowDefinition def = workflow(every(60, null));
        Workflow w = host.put(7, true, 1, def);
        Workflow other = host.put(8, true, 2, def);
        clock.set("2026-03-11T10:00:00Z");
        firer.fire();
        clock.set("2026-03-11T10:01:00Z");
        firer.fire();
        EventDraft d = host.published.get(0);
        Event e = new Event(1, d.namespace(), d.key(), d.value(), d.type(), d.sender(), d.context(), Instant.EPOCH, "");
        assertThat(ScheduleFirer.isFire(e, w)).isTrue();
        assertThat(ScheduleFirer.fired(e, w, def)).contains(def.schedules().get(0));
        assertThat(ScheduleFirer.isFire(e, other)).isFalse();
        assertThat(ScheduleFirer.fired(e, other, def)).isEmpty();
        assertThat(ScheduleFirer.fired(e, w, workflow(new Schedule("renamed", null, 60L, null, null, null)))).isEmpty();
        Event plain = new Event(2, "default", "wf/s", "x", "SCHEDULE_FIRED", "someone", d.context(), Instant.EPOCH, "");
        assertThat(ScheduleFirer.isFire(plain, w)).as("not sent by the scheduler").isFalse();
    }
}
