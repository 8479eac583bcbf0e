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

    /** Every record change of the API: a stale If-Match is a 412 before the service is asked to change anything. */
    @Test
    void everyRecordChangeChecksIfMatchFirst() {
        List<String> changes = new ArrayList<>();
        MetadataService metadata = (MetadataService) Proxy.newProxyInstance(MetadataService.class.getClassLoader(),
                new Class<?>[] {MetadataService.class}, (p, m, a) -> switch (m.getName()) {
                    case "project" -> new Project(1, "p", "", null, null, 3, Instant.EPOCH, Instant.EPOCH);
                    case "model" -> new org.aiflow.api.metadata.Model(1, "ns", "m", "", null, 3, Instant.EPOCH, Instant.EPOCH);
                    case "artifact" -> new org.aiflow.api.metadata.Artifact(1, "ns", "a", "t", "file:/a", "", null, false, 3,
                            Instant.EPOCH, Instant.EPOCH);
                    case "modelVersion" -> new org.aiflow.api.metadata.ModelVersion(1, "ns", "m", 1, "file:/v", "", "",
                            org.aiflow.api.metadata.ModelStage.GENERATED, null, 3, Instant.EPOCH, Instant.EPOCH);
                    default -> {
                        changes.add(m.getName() + " " + a[m.getName().equals("updateProject") ? 1 : m.getName().equals("changeStage") ? 4 : 2]);
                        yield m.getName().equals("changeStage") ? new org.aiflow.api.metadata.ModelVersion(1, "ns", "m", 1, "file:/v", "", "",
                                org.aiflow.api.metadata.ModelStage.VALIDATED, null, 4, Instant.EPOCH, Instant.EPOCH) : null;
                    }
                });
        Callers.CallerContext admin = as("admin");
        org.aiflow.api.metadata.ProjectDraft project = new org.aiflow.api.metadata.ProjectDraft("p", "", null, null);
        org.aiflow.api.metadata.ArtifactDraft artifact = new org.aiflow.api.metadata.ArtifactDraft("a", "t", "file:/a", "", null);
        org.aiflow.api.security.AuditLog audit = (org.aiflow.api.security.AuditLog) Proxy.newProxyInstance(
                ConditionalTest.class.getClassLoader(), new Class<?>[] {org.aiflow.api.security.AuditLog.class}, (p, m, a) -> null);
        ModelVersionsResource versions = new ModelVersionsResource(metadata, audit);
        List<java.util.function.Function<String, Object>> calls = List.of(
                tag -> new ProjectsResource(metadata).update("p", new ProjectsResource.Update(null, project), tag, admin),
                tag -> new ModelsResource(metadata).update("m", "ns", new ModelsResource.UpdateModel(null, "d", null), tag, admin),
                tag -> new ArtifactsResource(metadata).update("a", "ns", new ArtifactsResource.Update(null, artifact), tag, admin),
                tag -> new ArtifactsResource(metadata).delete("a", "ns", null, tag, admin),
                tag -> versions.changeStage("m", "1", "ns", new ModelVersionsResource.StageChange(
                        org.aiflow.api.metadata.ModelStage.VALIDATED, null, null), tag, admin));
        for (java.util.function.Function<String, Object> call : calls) {
            assertThatThrownBy(() -> call.apply("\"2\"")).isInstanceOf(Conditional.PreconditionFailedException.class);
        }
        assertThat(changes).isEmpty();
        calls.forEach(call -> call.apply("\"3\""));
        assertThat(changes).containsExactly("updateProject 3", "updateModel 3", "updateArtifact 3", "deleteArtifact 3", "changeStage 3");
    }
}
