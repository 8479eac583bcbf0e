package org.aiflow.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.metadata.Dataset;
import org.aiflow.api.metadata.DatasetCatalog;
import org.aiflow.api.metadata.DatasetColumn;
import org.aiflow.api.metadata.DatasetDraft;
import org.aiflow.api.metadata.Model;
import org.aiflow.api.metadata.ModelStage;
import org.aiflow.api.metadata.ModelVersion;
import org.aiflow.api.metadata.ModelVersionDraft;
import org.aiflow.api.metadata.PromotionMode;
import org.aiflow.api.spi.storage.EventStore;
import org.aiflow.json.AiflowJson;
import org.aiflow.storage.jdbc.JdbcStorage;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The metadata service on each backend: stage rules, the outbox guarantee, concurrency, exact names, datasets. */
abstract class MetadataContractTest {
    private TestDatabase database;
    private FailingDataSource failing;
    private MetadataRegistry registry;
    private EventStore events;

    abstract TestDatabase createDatabase();

    @BeforeEach
    void open() throws Exception {
        database = createDatabase();
        failing = new FailingDataSource(database.dataSource());
        JdbcStorage storage = JdbcStorage.open(failing.dataSource());
        registry = new MetadataRegistry(storage.metadataStore());
        events = storage.eventStore();
    }

    @AfterEach
    void close() {
        database.close();
    }

    /** Events whose key is {@code key}: a model's or a dataset's. */
    private List<Event> modelEvents(String key) {
        return events.list(new EventQuery(null, List.of(key), null, null, 0, null, null, null, 1000));
    }

    private ModelVersion version(String model, ModelStage stage) {
        ModelVersion v = registry.createModelVersion("ml", model, new ModelVersionDraft("file:/models/" + model, "lr", null, null));
        if (stage == ModelStage.VALIDATED || stage == ModelStage.DEPLOYED) {
            v = registry.changeStage("ml", model, v.version(), ModelStage.VALIDATED, -1, PromotionMode.DEPRECATE_PREVIOUS);
        }
        if (stage == ModelStage.DEPLOYED) {
            v = registry.changeStage("ml", model, v.version(), ModelStage.DEPLOYED, -1, PromotionMode.DEPRECATE_PREVIOUS);
        }
        return v;
    }

    @Test
    void versionsAreNumberedPerModelAndEachChangeEmitsItsEvent() throws Exception {
        registry.createModel("ml", "churn", "predicts churn", Map.of("team", "growth"));
        ModelVersion v1 = version("churn", ModelStage.GENERATED);
        ModelVersion v2 = version("churn", ModelStage.GENERATED);
        assertThat(List.of(v1.version(), v2.version())).containsExactly(1, 2);
        assertThat(v1.stage()).isEqualTo(ModelStage.GENERATED);
        ModelVersion validated = registry.changeStage("ml", "churn", 1, ModelStage.VALIDATED, v1.revision(), PromotionMode.DEPRECATE_PREVIOUS);
        assertThat(validated.revision()).isEqualTo(v1.revision() + 1);
        List<Event> emitted = modelEvents("churn");
        assertThat(emitted).extracting(Event::type).containsExactly("MODEL_GENERATED", "MODEL_GENERATED", "MODEL_VALIDATED");
        assertThat(emitted).allMatch(e -> e.namespace().equals("ml") && e.sender().equals(MetadataRegistry.SENDER));
        ModelVersion inEvent = AiflowJson.newMapper().readValue(emitted.get(2).value(), ModelVersion.class);
        assertThat(inEvent).isEqualTo(validated);
        assertThat(registry.listModelVersions("ml", "churn", null, 0, 10)).hasSize(2);
        assertThat(registry.listModelVersions("ml", "churn", ModelStage.VALIDATED, 0, 10)).extracting(ModelVersion::version).containsExactly(1);
        assertThat(registry.latestVersion("ml", "churn", ModelStage.GENERATED)).map(ModelVersion::version).contains(2);
    }

    @Test
    void stageRulesAreEnforced() {
        registry.createModel("ml", "rules", null, null);
        ModelVersion v = version("rules", ModelStage.GENERATED);
        assertThatThrownBy(() -> registry.changeStage("ml", "rules", 1, ModelStage.DEPLOYED, -1, PromotionMode.DEPRECATE_PREVIOUS))
                .isInstanceOf(ConflictException.class).hasMessageContaining("cannot move from GENERATED to DEPLOYED");
        registry.changeStage("ml", "rules", 1, ModelStage.DELETED, -1, PromotionMode.DEPRECATE_PREVIOUS);
        assertThatThrownBy(() -> registry.changeStage("ml", "rules", 1, ModelStage.VALIDATED, -1, PromotionMode.DEPRECATE_PREVIOUS))
                .isInstanceOf(ConflictException.class).hasMessageContaining("allowed: []");
        assertThatThrownBy(() -> registry.changeStage("ml", "rules", 1, ModelStage.DELETED, v.revision(), PromotionMode.DEPRECATE_PREVIOUS))
                .as("a stale revision").isInstanceOf(ConflictException.class);
        assertThat(modelEvents("rules")).extracting(Event::type).containsExactly("MODEL_GENERATED", "MODEL_DELETED");
    }

    @Test
    void promotingDeprecatesThePreviousDeploymentOrIsRefused() {
        registry.createModel("ml", "ranker", null, null);
        ModelVersion v1 = version("ranker", ModelStage.DEPLOYED);
        ModelVersion v2 = version("ranker", ModelStage.VALIDATED);
        assertThatThrownBy(() -> registry.changeStage("ml", "ranker", v2.version(), ModelStage.DEPLOYED, -1, PromotionMode.REFUSE_IF_DEPLOYED))
                .isInstanceOf(ConflictException.class).hasMessageContaining("already has v1 DEPLOYED");
        ModelVersion deployed = registry.changeStage("ml", "ranker", v2.version(), ModelStage.DEPLOYED, -1, PromotionMode.DEPRECATE_PREVIOUS);
        assertThat(deployed.stage()).isEqualTo(ModelStage.DEPLOYED);
        assertThat(registry.modelVersion("ml", "ranker", v1.version()).stage()).isEqualTo(ModelStage.DEPRECATED);
        assertThat(registry.deployedVersion("ml", "ranker")).map(ModelVersion::version).contains(2);
        List<String> types = modelEvents("ranker").stream().map(Event::type).toList();
        assertThat(types.subList(types.size() - 2, types.size())).containsExactly("MODEL_DEPRECATED", "MODEL_DEPLOYED");
        // roll back to v1
        registry.changeStage("ml", "ranker", v1.version(), ModelStage.DEPLOYED, -1, PromotionMode.DEPRECATE_PREVIOUS);
        assertThat(registry.deployedVersion("ml", "ranker")).map(ModelVersion::version).contains(1);
    }

    @Test
    void concurrentPromotionsLeaveExactlyOneDeployedVersion() throws Exception {
        registry.createModel("ml", "race", null, null);
        List<ModelVersion> candidates = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            candidates.add(version("race", ModelStage.VALIDATED));
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (ModelVersion c : candidates) {
                futures.add(pool.submit(() -> {
                    try {
                        registry.changeStage("ml", "race", c.version(), ModelStage.DEPLOYED, -1, PromotionMode.DEPRECATE_PREVIOUS);
                    } catch (ConflictException lostTheRace) {
                        // acceptable: another promotion went first
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(registry.listModelVersions("ml", "race", ModelStage.DEPLOYED, 0, 10)).hasSize(1);
        long deployedEvents = modelEvents("race").stream().filter(e -> e.type().equals("MODEL_DEPLOYED")).count();
        long deprecatedEvents = modelEvents("race").stream().filter(e -> e.type().equals("MODEL_DEPRECATED")).count();
        assertThat(deployedEvents - deprecatedEvents).as("every deployment but the current one was deprecated, with its event").isEqualTo(1);
    }

    /**
     * The outbox guarantee: a failure at any database call of a change — the model lock, the
     * version insert, the event sequence lock, the event insert, the sequence update, the commit —
     * leaves neither the change nor its event; without a failure both are there.
     */
    @Test
    void noFailurePointLeavesAChangeWithoutItsEventOrAnEventWithoutItsChange() {
        registry.createModel("ml", "atomic", null, null);
        failing.failAt(0);
        int callsOfOneChange;
        {
            int before = failing.calls();
            version("atomic", ModelStage.GENERATED);
            callsOfOneChange = failing.calls() - before;
        }
        assertThat(callsOfOneChange).as("database calls of one registration").isGreaterThanOrEqualTo(5);
        for (int n = 1; n <= callsOfOneChange; n++) {
            failing.failAt(n);
            int point = n;
            assertThatThrownBy(() -> version("atomic", ModelStage.GENERATED)).as("failure at call %d", point).isNotNull();
            failing.failAt(0);
            assertThat(registry.listModelVersions("ml", "atomic", null, 0, 100)).as("versions after a failure at call %d", point).hasSize(1);
            assertThat(modelEvents("atomic")).as("events after a failure at call %d", point).hasSize(1);
        }
        ModelVersion v2 = version("atomic", ModelStage.GENERATED);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(modelEvents("atomic")).hasSize(2);
        // the same for a stage change
        for (int n = 1; n <= 4; n++) {
            failing.failAt(n);
            assertThatThrownBy(() -> registry.changeStage("ml", "atomic", 2, ModelStage.VALIDATED, -1, PromotionMode.DEPRECATE_PREVIOUS));
            failing.failAt(0);
            assertThat(registry.modelVersion("ml", "atomic", 2).stage()).isEqualTo(ModelStage.GENERATED);
            assertThat(modelEvents("atomic")).hasSize(2);
        }
    }

    @Test
    void awkwardNamesAreStoredAndFoundExactly() {
        String name = "it's 100% _the_ \\model\\ \"ü\" 模型 🚀";
        registry.createModel("ml", name, "d", null);
        registry.createModel("ml", name.toUpperCase(), "d", null);
        assertThat(registry.model("ml", name).name()).isEqualTo(name);
        assertThatThrownBy(() -> registry.model("ml", "it's 100%")).isInstanceOf(NotFoundException.class);
        assertThat(registry.listModels("ml", null, 100)).extracting(Model::name).contains(name, name.toUpperCase());
        version(name, ModelStage.GENERATED);
        assertThat(modelEvents(name)).hasSize(1);
    }

    @Test
    void badInputAndStaleUpdatesAreRefused() {
        Model m = registry.createModel("ml", "dup", "first", null);
        assertThatThrownBy(() -> registry.createModel("ml", "dup", null, null)).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> registry.createModel("bad ns", "x", null, null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> registry.createModel("ml", "", null, null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> registry.createModelVersion("ml", "nosuch", new ModelVersionDraft("u", null, null, null)))
                .isInstanceOf(NotFoundException.class);
        Model updated = registry.updateModel("ml", "dup", m.revision(), "second", Map.of("k", "v"));
        assertThat(updated.revision()).isEqualTo(m.revision() + 1);
        assertThatThrownBy(() -> registry.updateModel("ml", "dup", m.revision(), "third", null))
                .isInstanceOf(ConflictException.class).hasMessageContaining("read it again");
        assertThat(registry.model("ml", "dup").description()).isEqualTo("second");
        assertThatThrownBy(() -> registry.listModels("ml", null, 0)).isInstanceOf(ValidationException.class);
    }

    private static DatasetDraft dataset(String name, String uri) {
        return new DatasetDraft(name, uri, "csv", List.of(new DatasetColumn("age", "INT"), new DatasetColumn("label", "DOUBLE")),
                "training data", new DatasetCatalog("hive", "HIVE", "ml", "train", null), Map.of("owner", "data-team"));
    }

    @Test
    void datasetsAreVersionedSoftDeletedAndEmitTheirEvents() throws Exception {
        Dataset created = registry.createDataset("ml", dataset("train.csv", "file:/data/train.csv"));
        assertThat(created.schema()).extracting(DatasetColumn::name).containsExactly("age", "label");
        assertThat(created.catalog().table()).isEqualTo("train");
        assertThat(registry.dataset("ml", "train.csv")).isEqualTo(created);
        assertThatThrownBy(() -> registry.createDataset("ml", dataset("train.csv", "x"))).isInstanceOf(ConflictException.class);

        Dataset updated = registry.updateDataset("ml", "train.csv", created.revision(), dataset("train.csv", "file:/data/train-v2.csv"));
        assertThat(updated.uri()).isEqualTo("file:/data/train-v2.csv");
        assertThat(updated.revision()).isEqualTo(created.revision() + 1);
        assertThatThrownBy(() -> registry.updateDataset("ml", "train.csv", created.revision(), dataset("train.csv", "y")))
                .isInstanceOf(ConflictException.class).hasMessageContaining("read it again");
        assertThatThrownBy(() -> registry.updateDataset("ml", "train.csv", updated.revision(), dataset("renamed", "y")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("cannot be renamed");

        Dataset deleted = registry.deleteDataset("ml", "train.csv", updated.revision());
        assertThat(deleted.deleted()).isTrue();
        assertThat(registry.listDatasets("ml", null, false, 10)).isEmpty();
        assertThat(registry.listDatasets("ml", null, true, 10)).extracting(Dataset::name).containsExactly("train.csv");
        assertThatThrownBy(() -> registry.updateDataset("ml", "train.csv", deleted.revision(), dataset("train.csv", "z")))
                .isInstanceOf(ConflictException.class).hasMessageContaining("is deleted");

        List<Event> emitted = modelEvents("train.csv");
        assertThat(emitted).extracting(Event::type).containsExactly("DATASET_CREATED", "DATASET_UPDATED", "DATASET_DELETED");
        assertThat(AiflowJson.newMapper().readValue(emitted.get(2).value(), Dataset.class)).isEqualTo(deleted);
    }

    @Test
    void aFailedDatasetChangeLeavesNeitherTheChangeNorItsEvent() {
        registry.createDataset("ml", dataset("atomic.csv", "file:/a"));
        for (int n = 1; n <= 5; n++) {
            long revision = registry.dataset("ml", "atomic.csv").revision();
            failing.failAt(n);
            assertThatThrownBy(() -> registry.updateDataset("ml", "atomic.csv", revision, dataset("atomic.csv", "file:/b")));
            failing.failAt(0);
            assertThat(registry.dataset("ml", "atomic.csv").uri()).isEqualTo("file:/a");
            assertThat(modelEvents("atomic.csv")).hasSize(1);
        }
        assertThatThrownBy(() -> new DatasetDraft("d", "u", null, List.of(new DatasetColumn("a", "INT"), new DatasetColumn("a", "INT")),
                null, null, null)).hasMessageContaining("two columns named 'a'");
        assertThatThrownBy(() -> registry.dataset("ml", "nosuch")).isInstanceOf(NotFoundException.class);
    }
}
