package org.aiflow.sample.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.spi.policy.PolicyVerdict;
import org.aiflow.api.spi.policy.ProposedAction;
import org.aiflow.api.spi.policy.SchedulingView;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.junit.jupiter.api.Test;

class BusinessHoursPolicyTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final SchedulingView VIEW = new SchedulingView() {
        @Override
        public int runningTasks(String workflowName, String taskName) {
            return 0;
        }

        @Override
        public int runningExecutions(String workflowName) {
            return 0;
        }
    };

    /** The configuration as DS would pass it: the given values, the annotation's defaults for the rest. */
    private static BusinessHoursPolicy.Config config(Map<String, Object> values) {
        return (BusinessHoursPolicy.Config) Proxy.newProxyInstance(BusinessHoursPolicy.Config.class.getClassLoader(),
                new Class<?>[] {BusinessHoursPolicy.Config.class},
                (proxy, method, args) -> values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue());
    }

    private static BusinessHoursPolicy policyAt(LocalDateTime localTime, ZoneId zone, Map<String, Object> config) {
        BusinessHoursPolicy policy = new BusinessHoursPolicy(Clock.fixed(localTime.atZone(zone).toInstant(), ZoneOffset.UTC));
        policy.configure(config(config));
        return policy;
    }

    private static BusinessHoursPolicy berlinPolicyAt(LocalDateTime localTime) {
        return policyAt(localTime, BERLIN, Map.of("timeZone", "Europe/Berlin"));
    }

    private static ProposedAction start(Map<String, Object> taskOptions) {
        return new ProposedAction("wf", 7, "train", Action.START, 1, taskOptions, Map.of());
    }

    private static final ProposedAction OPTED_IN = start(Map.of("businessHoursOnly", true));

    // 2026-03-04 is a Wednesday, 2026-03-07 a Saturday
    private static final LocalDateTime WEDNESDAY_NOON = LocalDateTime.of(2026, 3, 4, 12, 0);

    @Test
    void tasksThatOptInStartOnlyWithinTheHours() {
        assertThat(berlinPolicyAt(WEDNESDAY_NOON).review(OPTED_IN, VIEW)).isEqualTo(PolicyVerdict.PROCEED);
        assertThat(berlinPolicyAt(WEDNESDAY_NOON.withHour(9)).review(OPTED_IN, VIEW)).isEqualTo(PolicyVerdict.PROCEED);
        assertThat(berlinPolicyAt(WEDNESDAY_NOON.withHour(16).withMinute(59)).review(OPTED_IN, VIEW)).isEqualTo(PolicyVerdict.PROCEED);

        PolicyVerdict evening = berlinPolicyAt(WEDNESDAY_NOON.withHour(17)).review(OPTED_IN, VIEW);
        assertThat(evening.kind()).isEqualTo(PolicyVerdict.Kind.DEFER);
        assertThat(evening.reason()).isEqualTo("outside business hours (Mon,Tue,Wed,Thu,Fri 09:00-17:00 Europe/Berlin); "
                + "task 'train' waits until 2026-03-05T09:00:00+01:00");
        assertThat(berlinPolicyAt(WEDNESDAY_NOON.withHour(8).withMinute(59)).review(OPTED_IN, VIEW).reason())
                .endsWith("waits until 2026-03-04T09:00:00+01:00");
    }

    @Test
    void theWeekendWaitsForMondayWithAStableReason() {
        PolicyVerdict saturday = berlinPolicyAt(LocalDateTime.of(2026, 3, 7, 10, 0)).review(OPTED_IN, VIEW);
        PolicyVerdict fridayNight = berlinPolicyAt(LocalDateTime.of(2026, 3, 6, 23, 30)).review(OPTED_IN, VIEW);
        assertThat(saturday.kind()).isEqualTo(PolicyVerdict.Kind.DEFER);
        assertThat(saturday.reason()).endsWith("waits until 2026-03-09T09:00:00+01:00");
        // the scheduler records each new reason: it must not change while the hours stay closed
        assertThat(fridayNight).isEqualTo(saturday);
    }

    @Test
    void everythingElseIsNeverHeldBack() {
        BusinessHoursPolicy sunday = berlinPolicyAt(LocalDateTime.of(2026, 3, 8, 3, 0));
        assertThat(sunday.review(start(Map.of()), VIEW)).isEqualTo(PolicyVerdict.PROCEED);
        assertThat(sunday.review(start(Map.of("businessHoursOnly", false, "retries", 2)), VIEW)).isEqualTo(PolicyVerdict.PROCEED);
        ProposedAction executionStart = new ProposedAction("wf", 0, null, Action.START, 1, Map.of(), Map.of("businessHoursOnly", true));
        assertThat(sunday.review(executionStart, VIEW)).isEqualTo(PolicyVerdict.PROCEED);
    }

    @Test
    void theDefaultsAreNineToFiveOnWeekdaysInTheJvmZone() {
        ZoneId jvm = ZoneId.systemDefault();
        assertThat(policyAt(WEDNESDAY_NOON, jvm, Map.of()).review(OPTED_IN, VIEW)).isEqualTo(PolicyVerdict.PROCEED);
        PolicyVerdict early = policyAt(WEDNESDAY_NOON.withHour(7), jvm, Map.of()).review(OPTED_IN, VIEW);
        assertThat(early.reason()).startsWith("outside business hours (Mon,Tue,Wed,Thu,Fri 09:00-17:00 " + jvm.getId() + ")");
    }

    @Test
    void hoursDaysAndZoneAreConfigurableAndChangeAtOnce() {
        Map<String, Object> weekendShift = new HashMap<>(Map.of("opens", "06:30", "closes", "22:00",
                "days", new String[] {"saturday, SUNDAY"}, "timeZone", "America/New_York"));
        LocalDateTime saturdayMorning = LocalDateTime.of(2026, 3, 7, 7, 0);
        BusinessHoursPolicy policy = policyAt(saturdayMorning, ZoneId.of("America/New_York"), weekendShift);
        assertThat(policy.review(OPTED_IN, VIEW)).isEqualTo(PolicyVerdict.PROCEED);

        weekendShift.put("opens", "08:00");
        policy.configure(config(weekendShift)); // as @Modified does
        assertThat(policy.review(OPTED_IN, VIEW).reason())
                .isEqualTo("outside business hours (Sat,Sun 08:00-22:00 America/New_York); task 'train' waits until 2026-03-07T08:00:00-05:00");
    }

    @Test
    void anInvalidConfigurationIsRefusedAndTheHoursInForceStay() {
        BusinessHoursPolicy policy = berlinPolicyAt(WEDNESDAY_NOON);
        assertThatThrownBy(() -> policy.configure(config(Map.of("opens", "18:00"))))
                .hasMessage("org.aiflow.sample.policy.businesshours: 'closes' (17:00) must be after 'opens' (18:00)");
        assertThatThrownBy(() -> policy.configure(config(Map.of("opens", "9am"))))
                .hasMessage("org.aiflow.sample.policy.businesshours: 'opens' must be a time of day as HH:mm, got '9am'");
        assertThatThrownBy(() -> policy.configure(config(Map.of("days", new String[] {"MONDAY", "Funday"}))))
                .hasMessage("org.aiflow.sample.policy.businesshours: 'Funday' in 'days' is not a day (MONDAY ... SUNDAY)");
        assertThatThrownBy(() -> policy.configure(config(Map.of("days", new String[0]))))
                .hasMessage("org.aiflow.sample.policy.businesshours: 'days' names no business day");
        assertThatThrownBy(() -> policy.configure(config(Map.of("timeZone", "Mars/Olympus"))))
                .hasMessage("org.aiflow.sample.policy.businesshours: 'timeZone' Mars/Olympus is not a time zone");
        assertThat(policy.review(OPTED_IN, VIEW)).isEqualTo(PolicyVerdict.PROCEED);
    }

    @Test
    void theOptionIsCheckedAtUpload() {
        BusinessHoursPolicy policy = berlinPolicyAt(WEDNESDAY_NOON);
        JobSpec job = new JobSpec("process", Map.of("command", "true"));
        policy.validate(new WorkflowDefinition(null, "wf", null, List.of(
                new TaskDefinition("a", null, job, null, null, Map.of("businessHoursOnly", true)),
                new TaskDefinition("b", null, job, null, null, Map.of("businessHoursOnly", false)),
                new TaskDefinition("c", null, job, null))));
        assertThatThrownBy(() -> policy.validate(new WorkflowDefinition(null, "wf", null, List.of(
                new TaskDefinition("a", null, job, null, null, Map.of("businessHoursOnly", "yes"))))))
                .isInstanceOf(ValidationException.class)
                .hasMessage("task 'a': option 'businessHoursOnly' must be true or false, got \"yes\"");
        assertThatThrownBy(() -> policy.validate(new WorkflowDefinition(null, "wf", null, List.of(
                new TaskDefinition("a", null, job, null, null, Map.of("businessHoursOnly", 1))))))
                .hasMessage("task 'a': option 'businessHoursOnly' must be true or false, got 1");
    }
}
