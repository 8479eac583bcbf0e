package org.aiflow.sample.policy;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.spi.policy.PolicyVerdict;
import org.aiflow.api.spi.policy.ProposedAction;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.policy.SchedulingView;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A sample scheduling policy, the template for writing your own: copy this module, rename the
 * policy, and replace the business-hours rule with yours.
 *
 * <p>What makes it a policy: it implements {@link SchedulingPolicy} and is registered as an OSGi
 * service with the {@value SchedulingPolicy#NAME_PROPERTY} property. Drop the bundle into Karaf's
 * {@code deploy/} folder (or install the {@code aiflow-sample-policy} feature) and the scheduler
 * consults it before every task start; {@code aiflow:policy-list} shows it.
 *
 * <p>The rule: a task whose task option {@code businessHoursOnly} is {@code true} starts only within
 * business hours; outside them it stays QUEUED with the reason, and starts on the first tick after
 * they open. Tasks without the option, stops and execution starts are never held back. The hours
 * are configuration PID {@value #PID} ({@code etc/org.aiflow.sample.policy.businesshours.cfg}):
 * {@code opens} and {@code closes} ({@code HH:mm}, default 09:00 and 17:00, closing exclusive),
 * {@code days} (default MONDAY to FRIDAY) and {@code timeZone} (default: the JVM's). A changed
 * configuration applies at once; an invalid one is refused with its reason in the log (at
 * activation the policy then does not start; later, the previous hours stay in force). At upload
 * it refuses a {@code businessHoursOnly} that is not a boolean.
 *
 * <p>As the SPI asks, {@link #review} is fast and free of side effects, and its DEFER reason stays
 * the same while the hours stay closed (the scheduler records a new reason as a status change), so
 * it names the next opening rather than the current time. The clock is injectable for tests.
 */
@Component(configurationPid = BusinessHoursPolicy.PID, property = SchedulingPolicy.NAME_PROPERTY + "=" + BusinessHoursPolicy.NAME)
@Designate(ocd = BusinessHoursPolicy.Config.class)
public class BusinessHoursPolicy implements SchedulingPolicy {
    static final String NAME = "business-hours";
    static final String PID = "org.aiflow.sample.policy.businesshours";
    /** The task option this policy reads. */
    static final String OPTION = "businessHoursOnly";

    @ObjectClassDefinition(name = "AI Flow sample policy: business hours",
            description = "Tasks with the task option businessHoursOnly=true start only within these hours")
    public @interface Config {
        @AttributeDefinition(name = "Opens", description = "Start of business hours, HH:mm (inclusive)")
        String opens() default "09:00";

        @AttributeDefinition(name = "Closes", description = "End of business hours, HH:mm (exclusive); after opens")
        String closes() default "17:00";

        @AttributeDefinition(name = "Days", description = "Business days: MONDAY ... SUNDAY")
        String[] days() default {"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"};

        @AttributeDefinition(name = "Time zone", description = "Zone of the hours, e.g. Europe/Berlin; empty: the JVM's default")
        String timeZone() default "";
    }

    private final Clock clock;
    private volatile Hours hours;

    /** For OSGi: the system clock; the hours come with {@link #configure}. */
    public BusinessHoursPolicy() {
        this(Clock.systemUTC());
    }

    BusinessHoursPolicy(Clock clock) {
        this.clock = clock;
    }

    @Activate
    @Modified
    void configure(Config config) {
        hours = Hours.of(config);
    }

    @Override
    public PolicyVerdict review(ProposedAction action, SchedulingView view) {
        if (action.isExecutionStart() || !Boolean.TRUE.equals(action.taskOptions().get(OPTION))) {
            return PolicyVerdict.PROCEED;
        }
        Hours h = hours;
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(h.zone()));
        if (h.isOpen(now)) {
            return PolicyVerdict.PROCEED;
        }
        return PolicyVerdict.defer("outside business hours (" + h + "); task '" + action.taskName() + "' waits until "
                + h.nextOpening(now).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    @Override
    public void validate(WorkflowDefinition workflow) {
        for (TaskDefinition task : workflow.tasks()) {
            Object value = task.options().get(OPTION);
            if (value != null && !(value instanceof Boolean)) {
                throw new ValidationException("task '" + task.name() + "': option '" + OPTION + "' must be true or false, got "
                        + (value instanceof String ? "\"" + value + "\"" : value));
            }
        }
    }

    /** The configured hours, checked. */
    record Hours(LocalTime opens, LocalTime closes, Set<DayOfWeek> days, ZoneId zone) {
        static Hours of(Config config) {
            LocalTime opens = time("opens", config.opens());
            LocalTime closes = time("closes", config.closes());
            if (!opens.isBefore(closes)) {
                throw new IllegalArgumentException(PID + ": 'closes' (" + closes + ") must be after 'opens' (" + opens + ")");
            }
            Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
            for (String entry : config.days()) {
                for (String day : entry.split("[,\\s]+")) { // a .cfg file may give one comma-separated string
                    if (!day.isEmpty()) {
                        try {
                            days.add(DayOfWeek.valueOf(day.trim().toUpperCase(Locale.ROOT)));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException(PID + ": '" + day + "' in 'days' is not a day (MONDAY ... SUNDAY)");
                        }
                    }
                }
            }
            if (days.isEmpty()) {
                throw new IllegalArgumentException(PID + ": 'days' names no business day");
            }
            ZoneId zone;
            try {
                zone = config.timeZone().isBlank() ? ZoneId.systemDefault() : ZoneId.of(config.timeZone().trim());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException(PID + ": 'timeZone' " + config.timeZone() + " is not a time zone");
            }
            return new Hours(opens, closes, Set.copyOf(days), zone);
        }

        private static LocalTime time(String field, String value) {
            try {
                return LocalTime.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(PID + ": '" + field + "' must be a time of day as HH:mm, got '" + value + "'");
            }
        }

        boolean isOpen(ZonedDateTime now) {
            LocalTime time = now.toLocalTime();
            return days.contains(now.getDayOfWeek()) && !time.isBefore(opens) && time.isBefore(closes);
        }

        /** The next time the hours open after {@code now} (within a week, since at least one day is a business day). */
        ZonedDateTime nextOpening(ZonedDateTime now) {
            LocalDate today = now.toLocalDate();
            for (int i = 0; i <= 7; i++) {
                LocalDate day = today.plusDays(i);
                ZonedDateTime opening = ZonedDateTime.of(day, opens, zone);
                if (days.contains(day.getDayOfWeek()) && opening.isAfter(now)) {
                    return opening;
                }
            }
            throw new IllegalStateException("no business day in a week: " + this);
        }

        @Override
        public String toString() {
            String dayNames = days.stream().sorted().map(d -> d.getDisplayName(TextStyle.SHORT, Locale.ROOT)).collect(Collectors.joining(","));
            return dayNames + " " + opens + "-" + closes + " " + zone;
        }
    }
}
