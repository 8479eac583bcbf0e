package org.aiflow.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.aiflow.api.error.ValidationException;
import org.junit.jupiter.api.Test;

/** Numbers in query parameters are decimal digits, nothing around them (docs/rest-api.md, Strict input). */
class QueryNumbersTest {
    @Test
    void onlyDecimalDigitsInRange() {
        assertThat(Rest.longParam("2", "limit", 100, 1, 1000)).isEqualTo(2);
        assertThat(Rest.longParam("-3", "offset", 0, -10, 10)).isEqualTo(-3);
        assertThat(Rest.longParam(null, "limit", 100, 1, 1000)).isEqualTo(100);
        assertThat(Rest.longParam("", "limit", 100, 1, 1000)).isEqualTo(100);
        for (String bad : List.of(" 2", "2 ", "+2", "1e3", "1.5", "0x10", "abc", "٣", "99999999999999999999")) {
            assertThatThrownBy(() -> Rest.longParam(bad, "limit", 100, 1, 1000)).as(bad).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("query parameter 'limit' must be an integer");
        }
        assertThatThrownBy(() -> Rest.longParam("1001", "limit", 100, 1, 1000)).hasMessageContaining("between 1 and 1000");
    }
}
