package org.aiflow.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.aiflow.api.error.ValidationException;
import org.junit.jupiter.api.Test;

class TimesTest {
    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

    @Test
    void durationsCountFromNow() {
        assertThat(Times.instant("--expires", "30d", NOW, true)).isEqualTo(NOW.plus(Duration.ofDays(30)));
        assertThat(Times.instant("--expires", "12h", NOW, true)).isEqualTo(NOW.plus(Duration.ofHours(12)));
        assertThat(Times.instant("--expires", "90m", NOW, true)).isEqualTo(NOW.plus(Duration.ofMinutes(90)));
        assertThat(Times.instant("--expires", "2w", NOW, true)).isEqualTo(NOW.plus(Duration.ofDays(14)));
        assertThat(Times.instant("--expires", "P1DT2H", NOW, true)).isEqualTo(NOW.plus(Duration.ofHours(26)));
        assertThat(Times.instant("--from", "1h", NOW, false)).isEqualTo(NOW.minus(Duration.ofHours(1)));
    }

    @Test
    void instantsAndDates() {
        assertThat(Times.instant("--to", "2027-06-30T00:00:00Z", NOW, false)).isEqualTo(Instant.parse("2027-06-30T00:00:00Z"));
        assertThat(Times.instant("--to", "2027-06-30", NOW, false)).isEqualTo(Instant.parse("2027-06-30T00:00:00Z"));
    }

    @Test
    void nonsenseIsRefusedWithTheOption() {
        assertThatThrownBy(() -> Times.instant("--expires", "soon", NOW, true)).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("--expires 'soon' is neither");
        assertThatThrownBy(() -> Times.instant("--expires", "0d", NOW, true)).isInstanceOf(ValidationException.class)
                .hasMessage("--expires '0d' must be a positive duration");
        assertThatThrownBy(() -> Times.instant("--expires", "999999999w", NOW, true)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("outside the years 0000-9999");
        assertThatThrownBy(() -> Times.instant("--expires", "2027-13-01", NOW, true)).isInstanceOf(ValidationException.class);
    }
}
