package org.aiflow.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.ws.rs.core.Response;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.metadata.Dataset;
import org.aiflow.api.metadata.DatasetDraft;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.Project;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Grant;
import org.junit.jupiter.api.Test;

/** ETag on records with a revision, If-Match on their changes: a mismatch is a 412 and changes nothing. */
class ConditionalTest {
    private static final Dataset AT_3 = new Dataset(1, "ns", "d", "file:/d", null, null, null, null, null, false, 3,
            Instant.EPOCH, Instant.EPOCH);

    private static Callers.CallerContext as(String... grants) {
        Set<Grant> set = new HashSet<>();
        for (String g : grants) {
            set.add(Grant.parse(g));
        }
        return new Callers.CallerContext(new Caller("vera", Caller.Kind.USER, set), false, "BASIC");
    }

    @Test
    void recordsWithARevisionCarryItsETag() {
        assertThat(Conditional.revisionOf(AT_3)).isEqualTo(3L);
        assertThat(Conditional.revisionOf(new Project(1, "p", "", null, null, 7, Instant.EPOCH, Instant.EPOCH))).isEqualTo(7L);
        assertThat(Conditional.revisionOf(new DatasetsResource.Datasets(List.of(AT_3), null, null))).isNull();
        assertThat(Conditional.revisionOf("text")).isNull();
        assertThat(Conditional.etag(3)).isEqualTo("\"3\"");
    }

    @Test
    void ifMatchStandsInForTheRevisionAndAMismatchIs412() {
        assertThat(Conditional.revision(2L, null, () -> 9, "x")).isEqualTo(2);
        assertThat(Conditional.revision(null, "\"3\"", () -> 3, "x")).isEqualTo(3);
        assertThat(Conditional.revision(null, "W/\"3\"", () -> 3, "x")).isEqualTo(3);
        assertThat(Conditional.revision(3L, "\"3\"", () -> 3, "x")).isEqualTo(3);
        assertThat(Conditional.revision(null, "*", () -> 5, "x")).isEqualTo(5);
        assertThatThrownBy(() -> Conditional.revision(null, null, () -> 3, "field 'revision' is required"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("If-Match");
        assertThatThrownBy(() -> Conditional.revision(2L, "\"3\"", () -> 3, "x")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("disagree");
        for (String bad : List.of("3", "\"x\"", "\"-1\"", "\"\"", "\"3", "W/3")) {
            assertThatThrownBy(() -> Conditional.revision(null, bad, () -> 3, "x")).as(bad).isInstanceOf(ValidationException.class);
        }
        Throwable stale = org.assertj.core.api.Assertions.catchThrowable(() -> Conditional.revision(null, "\"2\"", () -> 3, "x"));
        Response r = new ErrorMappers.AiflowExceptionMapper().toResponse((Conditional.PreconditionFailedException) stale);
        assertThat(r.getStatus()).isEqualTo(412);
        assertThat(((Problem) r.getEntity()).code()).isEqualTo("precondition_failed");
        assertThat(((Problem) r.getEntity()).title()).isEqualTo("Precondition Failed");
        assertThat(((Problem) r.getEntity()).detail()).contains("revision 3").contains("\"2\"");
    }

    @Test
    void aDatasetChangeWithAStaleIfMatchChangesNothing() {
        List<Long> updates = new ArrayList<>();
        MetadataService metadata = (MetadataService) Proxy.newProxyInstance(MetadataService.class.getClassLoader(),
                new Class<?>[] {MetadataService.class}, (p, m, a) -> switch (m.getName()) {
                    case "dataset" -> AT_3;
                    case "updateDataset", "deleteDataset" -> {
                        updates.add((Long) a[2]);
                        yield AT_3;
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        DatasetsResource r = new DatasetsResource(metadata);
        DatasetDraft draft = new DatasetDraft("d", "file:/d", null, null, null, null, null);
        assertThatThrownBy(() -> r.update("d", "ns", new DatasetsResource.Update(null, draft), "\"2\"", as("operator@ns")))
                .isInstanceOf(Conditional.PreconditionFailedException.class);
        assertThatThrownBy(() -> r.delete("d", "ns", null, "\"2\"", as("operator@ns")))
                .isInstanceOf(Conditional.PreconditionFailedException.class);
        assertThat(updates).isEmpty();
        r.update("d", "ns", new DatasetsResource.Update(null, draft), "\"3\"", as("operator@ns"));
        r.delete("d", "ns", null, "\"3\"", as("operator@ns"));
        r.update("d", "ns", new DatasetsResource.Update(3L, draft), null, as("operator@ns"));
        assertThat(updates).containsExactly(3L, 3L, 3L);
        assertThatThrownBy(() -> r.update("d", "ns", new DatasetsResource.Update(null, draft), null, as("operator@ns")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("revision");
    }
}
