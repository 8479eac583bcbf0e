package org.aiflow.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A Content-Type charset CXF cannot load made it answer 500 before any filter ran (found from outside): the guard answers 415. */
class CharsetTest {
    @Test
    void unknownCharsetsAreNamedKnownOnesPass() {
        assertThat(ApiGuard.unknownCharset(null)).isNull();
        assertThat(ApiGuard.unknownCharset("application/json")).isNull();
        assertThat(ApiGuard.unknownCharset("application/json; charset=UTF-8")).isNull();
        assertThat(ApiGuard.unknownCharset("application/json;Charset=\"utf-8\"")).isNull();
        assertThat(ApiGuard.unknownCharset("text/plain; charset=bogus")).isEqualTo("bogus");
        assertThat(ApiGuard.unknownCharset("text/plain; charset=a/b")).isEqualTo("a/b");
        assertThat(ApiGuard.unknownCharset("text/plain; charset=${x}")).isEqualTo("${x}");
        assertThat(ApiGuard.unknownCharset("text/plain; charset=")).isEqualTo("");
        assertThat(ApiGuard.unknownCharset("text/plain; charset=utf-99")).isEqualTo("utf-99");
    }
}
