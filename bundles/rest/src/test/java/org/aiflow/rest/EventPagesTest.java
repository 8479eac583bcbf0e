package org.aiflow.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventQuery;
import org.junit.jupiter.api.Test;

/** {@code GET /events}'s {@code order} parameter and the newest-first page it answers. */
class EventPagesTest {

    private static List<Event> versions(long... versions) {
        return LongStream.of(versions).mapToObj(v -> new Event(v, "default", "k", "", "", "", null, Instant.EPOCH)).toList();
    }

    @Test
    void orderIsAscOrDesc() {
        assertThat(EventsResource.descending(null)).isFalse();
        assertThat(EventsResource.descending("")).isFalse();
        assertThat(EventsResource.descending("asc")).isFalse();
        assertThat(EventsResource.descending("desc")).isTrue();
        for (String bad : List.of("DESC", "descending", "up", " desc")) {
            assertThatThrownBy(() -> EventsResource.descending(bad)).as(bad).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("'order' must be 'asc' or 'desc'");
        }
    }

    @Test
    void aFullPageNamesTheUntilVersionOfTheOlderOne() throws Exception {
        EventQuery newest3 = EventQuery.after(0, 3).withDescending(true);
        EventsResource.NewestFirstPage full = EventsResource.newestFirst(versions(90, 70, 41), newest3);
        assertThat(full.lastVersion()).isEqualTo(90);
        assertThat(full.nextUntilVersion()).isEqualTo(40);
        assertThat(JsonProvider.MAPPER.writeValueAsString(full)).contains("\"lastVersion\":90,\"nextUntilVersion\":40");

        // not full, or nothing older in the range: no older page
        assertThat(EventsResource.newestFirst(versions(90, 70), newest3).nextUntilVersion()).isNull();
        assertThat(EventsResource.newestFirst(versions(12, 11, 10), newest3.withAfterVersion(9)).nextUntilVersion()).isNull();
        assertThat(EventsResource.newestFirst(versions(12, 11, 10), newest3.withAfterVersion(8)).nextUntilVersion()).isEqualTo(9);
        EventsResource.NewestFirstPage empty = EventsResource.newestFirst(List.of(), newest3.withAfterVersion(5));
        assertThat(empty.lastVersion()).isEqualTo(5);
        assertThat(JsonProvider.MAPPER.writeValueAsString(empty)).isEqualTo("{\"events\":[],\"lastVersion\":5,\"nextUntilVersion\":null}");
    }
}
