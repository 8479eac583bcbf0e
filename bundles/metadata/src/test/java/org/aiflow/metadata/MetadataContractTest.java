package org.aiflow.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
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
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.metadata.Artifact;
import org.aiflow.api.metadata.ArtifactDraft;
import org.aiflow.api.metadata.Dataset;
import org.aiflow.api.metadata.LineageDirection;
import org.aiflow.api.metadata.LineageEdge;
import org.aiflow.api.metadata.LineageEntity;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.api.metadata.MetricKind;
import org.aiflow.api.metadata.MetricMeta;
import org.aiflow.api.metadata.MetricMetaDraft;
import org.aiflow.api.metadata.MetricPoint;
import org.aiflow.api.metadata.MetricQuery;
import org.aiflow.api.metadata.MetricValue;
import org.aiflow.api.metadata.Project;
import org.aiflow.api.metadata.ProjectDraft;
import org.aiflow.api.metadata.DatasetCatalog;
import org.aiflow.api.metadata.DatasetColumn;
import org.aiflow.api.metadata.DatasetDraft;
import org.aiflow.api.metadata.Model;
import org.aiflow.api.metadata.ModelStage;
import org.aiflow.api.metadata.ModelVersion;
import org.aiflow.api.metadata.ModelVersionDraft;
import org.aiflow.api.metadata.PromotionMode;
import org.aiflow.api.spi.storage.EventStore;
import org.aiflow.api.spi.storage.NewTaskExecution;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
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
    private JdbcStorage storage;

    abstract TestDatabase createDatabase();

    @BeforeEach
    void open() throws Exception {
        database = createDatabase();
        failing = new FailingDataSource(database.dataSource());
        storage = JdbcStorage.open(failing.dataSource());
        registry = MetadataRegistry.of(storage.metadataStore());
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
        String name = "it's 100% _the_ [model] \"ü\" 模型 🚀";
        registry.createModel("ml", name, "d", null);
        registry.createModel("ml", name.toUpperCase(), "d", null);
        assertThat(registry.model("ml", name).name()).isEqualTo(name);
        assertThatThrownBy(() -> registry.model("ml", "it's 100%")).isInstanceOf(NotFoundException.class);
        assertThat(registry.listModels("ml", ListQuery.first(100))).extracting(Model::name).contains(name, name.toUpperCase());
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
        assertThat(registry.model("ml", "dup")).isEqualTo(m); // read before the update: on H2 the store now holds it in memory
        Model updated = registry.updateModel("ml", "dup", m.revision(), "second", Map.of("k", "v"));
        assertThat(updated.revision()).isEqualTo(m.revision() + 1);
        assertThat(registry.model("ml", "dup")).isEqualTo(updated);
        assertThatThrownBy(() -> registry.updateModel("ml", "dup", m.revision(), "third", null))
                .isInstanceOf(ConflictException.class).hasMessageContaining("read it again");
        assertThat(registry.model("ml", "dup").description()).isEqualTo("second");
        assertThatThrownBy(() -> registry.listModels("ml", new ListQuery(null, null, null, false, 0))).isInstanceOf(ValidationException.class);
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
        assertThat(registry.dataset("ml", "train.csv")).isEqualTo(updated);
        assertThatThrownBy(() -> registry.updateDataset("ml", "train.csv", created.revision(), dataset("train.csv", "y")))
                .isInstanceOf(ConflictException.class).hasMessageContaining("read it again");
        assertThatThrownBy(() -> registry.updateDataset("ml", "train.csv", updated.revision(), dataset("renamed", "y")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("cannot be renamed");

        Dataset deleted = registry.deleteDataset("ml", "train.csv", updated.revision());
        assertThat(deleted.deleted()).isTrue();
        assertThat(registry.dataset("ml", "train.csv").deleted()).isTrue();
        assertThat(registry.listDatasets("ml", ListQuery.first(10))).isEmpty();
        assertThat(registry.listDatasets("ml", new ListQuery(null, null, null, true, 10))).extracting(Dataset::name).containsExactly("train.csv");
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

    @Test
    void listsPageAndFilterByExactNamePrefix() {
        for (String name : List.of("a%b", "a_b", "axb", "a!b", "b")) {
            registry.createDataset("ml", dataset(name, "file:/" + name.length()));
            registry.createModel("ml", name, null, null);
        }
        registry.createDataset("ml", new DatasetDraft("a%parquet", "file:/p", "parquet", null, null, null, null));
        assertThat(registry.listDatasets("ml", new ListQuery("a%", null, null, false, 10))).extracting(Dataset::name)
                .containsExactly("a%b", "a%parquet");
        assertThat(registry.listDatasets("ml", new ListQuery("a_", null, null, false, 10))).extracting(Dataset::name)
                .containsExactly("a_b");
        assertThat(registry.listModels("ml", new ListQuery("a!", null, null, false, 10))).extracting(Model::name)
                .containsExactly("a!b");
        // a backslash is no name character (Names.name), but as a prefix it is still matched literally, not as LIKE's escape
        assertThat(registry.listModels("ml", new ListQuery("a\\", null, null, false, 10))).isEmpty();
        assertThat(registry.listDatasets("ml", new ListQuery(null, "parquet", null, false, 10))).extracting(Dataset::name)
                .containsExactly("a%parquet");

        List<String> paged = new ArrayList<>();
        ListQuery q = ListQuery.first(2);
        List<Model> page;
        do {
            page = registry.listModels("ml", q);
            page.forEach(m -> paged.add(m.name()));
            q = page.isEmpty() ? q : q.after(page.get(page.size() - 1).name());
        } while (page.size() == 2);
        assertThat(paged).containsExactly("a!b", "a%b", "a_b", "axb", "b");
    }

    @Test
    void projectsRecordNamespaces() {
        Project p = registry.createProject(new ProjectDraft("churn-ml", "predict churn", "git://repo", Map.of("owner", "growth")));
        assertThat(registry.project("churn-ml")).isEqualTo(p);
        assertThatThrownBy(() -> registry.createProject(new ProjectDraft("churn-ml", null, null, null)))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> new ProjectDraft("not a namespace", null, null, null)).isInstanceOf(ValidationException.class);
        Project updated = registry.updateProject("churn-ml", p.revision(), new ProjectDraft("churn-ml", "v2", null, null));
        assertThat(updated.description()).isEqualTo("v2");
        assertThatThrownBy(() -> registry.updateProject("churn-ml", p.revision(), new ProjectDraft("churn-ml", "v3", null, null)))
                .isInstanceOf(ConflictException.class);
        assertThat(registry.listProjects(ListQuery.first(10))).extracting(Project::name).containsExactly("churn-ml");
        assertThatThrownBy(() -> registry.project("nosuch")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void artifactsAreSoftDeletedAndEmitTheirEventsAtomically() throws Exception {
        Artifact a = registry.createArtifact("ml", new ArtifactDraft("vocab", "text", "file:/vocab.txt", null, null));
        assertThat(registry.artifact("ml", "vocab")).isEqualTo(a);
        assertThatThrownBy(() -> registry.createArtifact("ml", new ArtifactDraft("vocab", "text", "x", null, null)))
                .isInstanceOf(ConflictException.class);
        registry.createArtifact("ml", new ArtifactDraft("report", "html", "file:/r.html", null, null));
        assertThat(registry.listArtifacts("ml", new ListQuery(null, "html", null, false, 10))).extracting(Artifact::name)
                .containsExactly("report");

        long revision = a.revision();
        failing.failAt(3);
        assertThatThrownBy(() -> registry.updateArtifact("ml", "vocab", revision, new ArtifactDraft("vocab", "text", "file:/v2", null, null)));
        failing.failAt(0);
        assertThat(registry.artifact("ml", "vocab").uri()).isEqualTo("file:/vocab.txt");

        Artifact updated = registry.updateArtifact("ml", "vocab", revision, new ArtifactDraft("vocab", "text", "file:/v2", null, null));
        assertThatThrownBy(() -> registry.deleteArtifact("ml", "vocab", revision)).isInstanceOf(ConflictException.class);
        Artifact deleted = registry.deleteArtifact("ml", "vocab", updated.revision());
        assertThat(registry.listArtifacts("ml", ListQuery.first(10))).extracting(Artifact::name).containsExactly("report");
        assertThat(registry.artifact("ml", "vocab").deleted()).isTrue();
        List<Event> emitted = modelEvents("vocab");
        assertThat(emitted).extracting(Event::type).containsExactly("ARTIFACT_CREATED", "ARTIFACT_UPDATED", "ARTIFACT_DELETED");
        assertThat(AiflowJson.newMapper().readValue(emitted.get(2).value(), Artifact.class)).isEqualTo(deleted);
    }

    @Test
    void metricsAreDefinedForExistingRecordsAndLoggedInBatches() {
        registry.createModel("ml", "churn", null, null);
        registry.createDataset("ml", dataset("train.csv", "file:/t"));
        assertThatThrownBy(() -> registry.createMetric("ml", new MetricMetaDraft("auc", MetricKind.MODEL, null, "nosuch", null, null)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> new MetricMetaDraft("auc", MetricKind.MODEL, "train.csv", "churn", null, null))
                .isInstanceOf(ValidationException.class);
        MetricMeta auc = registry.createMetric("ml", new MetricMetaDraft("quality", MetricKind.MODEL, null, "churn", "eval", null));
        registry.createMetric("ml", new MetricMetaDraft("rows", MetricKind.DATASET, "train.csv", null, null, null));
        assertThat(registry.metric("ml", "quality")).isEqualTo(auc);
        assertThat(registry.listMetrics("ml", new ListQuery(null, "DATASET", null, false, 10))).extracting(MetricMeta::name)
                .containsExactly("rows");
        assertThatThrownBy(() -> registry.listMetrics("ml", new ListQuery(null, "OTHER", null, false, 10)))
                .isInstanceOf(ValidationException.class);

        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < 1_234; i++) {
            points.add(new MetricPoint(i % 2 == 0 ? "auc" : "loss", i / 1000.0, Instant.ofEpochMilli(1_000_000 + i), (long) i,
                    i < 1000 ? 1 : 2, null));
        }
        assertThat(registry.logMetrics("ml", "quality", points)).isEqualTo(1_234);
        assertThatThrownBy(() -> registry.logMetrics("ml", "nosuch", points)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> new MetricPoint("auc", Double.NaN, null, null, null, null)).isInstanceOf(ValidationException.class);

        List<MetricValue> v2 = registry.metricValues("ml", "quality", new MetricQuery(null, 2, null, null, null, 0, 10_000));
        assertThat(v2).hasSize(234);
        List<MetricValue> auc1 = registry.metricValues("ml", "quality", new MetricQuery("auc", 1, null, null, null, 0, 10_000));
        assertThat(auc1).hasSize(500).allMatch(v -> v.key().equals("auc") && v.modelVersion() == 1);
        assertThat(auc1.get(1).value()).isEqualTo(0.002);
        assertThat(auc1.get(1).step()).isEqualTo(2L);
        List<MetricValue> window = registry.metricValues("ml", "quality",
                new MetricQuery(null, null, null, Instant.ofEpochMilli(1_000_010), Instant.ofEpochMilli(1_000_020), 0, 100));
        assertThat(window).extracting(MetricValue::step).containsExactly(10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L);
        List<MetricValue> firstPage = registry.metricValues("ml", "quality", MetricQuery.all(1000));
        List<MetricValue> secondPage = registry.metricValues("ml", "quality", MetricQuery.all(1000).afterId(firstPage.get(999).id()));
        assertThat(secondPage).hasSize(234);
        assertThat(secondPage.get(0).step()).isEqualTo(1000L);
    }

    @Test
    void aFailedMetricBatchStoresNothing() {
        registry.createModel("ml", "churn", null, null);
        registry.createMetric("ml", new MetricMetaDraft("quality", MetricKind.MODEL, null, "churn", null, null));
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            points.add(new MetricPoint("auc", i, null, null, null, null));
        }
        for (int n = 1; n <= 3; n++) { // the metric's lookup, the JDBC batch of 1,200 INSERTs, the commit
            failing.failAt(n);
            assertThatThrownBy(() -> registry.logMetrics("ml", "quality", points));
            failing.failAt(0);
            assertThat(registry.metricValues("ml", "quality", MetricQuery.all(10))).isEmpty();
        }
    }

    @Test
    void lineageIsQueryableBothWaysAndRecordingIsIdempotent() {
        SchedulerStore scheduler = storage.schedulerStore();
        Workflow w = scheduler.saveWorkflow(new WorkflowDefinition("ml", "train-flow", null, List.of(new TaskDefinition("train",
                TaskKind.BATCH, new JobSpec("process", Map.of("command", "true")), List.of()))));
        WorkflowExecution e = scheduler.createExecution(w.id(), w.snapshotId());
        long task = scheduler.recordDecisions("test", 0, List.of(new NewTaskExecution(e.id(), "train-flow", "train", "process", "test")),
                List.of()).get(0).id();
        registry.createDataset("ml", dataset("train.csv", "file:/t"));
        registry.createModel("ml", "churn", null, null);
        version("churn", ModelStage.GENERATED);

        List<LineageEdge> read = registry.recordLineage("ml", task, LineageDirection.READ, List.of(LineageEntity.dataset("train.csv")));
        registry.recordLineage("ml", task, LineageDirection.WROTE, List.of(LineageEntity.modelVersion("churn", 1)));
        assertThat(registry.recordLineage("ml", task, LineageDirection.READ, List.of(LineageEntity.dataset("train.csv"))))
                .isEqualTo(read);
        assertThat(registry.lineageOfTask(task)).extracting(LineageEdge::direction, l -> l.entity().name())
                .containsExactly(tuple(LineageDirection.READ, "train.csv"), tuple(LineageDirection.WROTE, "churn"));
        assertThat(registry.lineageOfEntity("ml", LineageEntity.modelVersion("churn", 1))).extracting(LineageEdge::taskExecutionId)
                .containsExactly(task);
        assertThat(registry.lineageOfEntity("ml", LineageEntity.modelVersion("churn", 2))).isEmpty();

        assertThatThrownBy(() -> registry.recordLineage("ml", task + 1000, LineageDirection.READ,
                List.of(LineageEntity.dataset("train.csv")))).isInstanceOf(NotFoundException.class).hasMessageContaining("task execution");
        assertThatThrownBy(() -> registry.recordLineage("ml", task, LineageDirection.READ,
                List.of(LineageEntity.artifact("vocab"), LineageEntity.dataset("train.csv")))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> registry.recordLineage("ml", task, LineageDirection.WROTE,
                List.of(LineageEntity.dataset("train.csv"), LineageEntity.modelVersion("churn", 7)))).isInstanceOf(NotFoundException.class);
        assertThat(registry.lineageOfTask(task)).hasSize(2); // the refused calls stored nothing
        assertThatThrownBy(() -> LineageEntity.modelVersion("churn", 0)).isInstanceOf(ValidationException.class);
    }

    @Test
    void latestAndDeployedVersionsAreFoundDirectly() {
        registry.createModel("ml", "churn", null, null);
        for (int i = 0; i < 3; i++) {
            version("churn", ModelStage.VALIDATED);
        }
        assertThat(registry.latestVersion("ml", "churn", ModelStage.VALIDATED)).map(ModelVersion::version).contains(3);
        assertThat(registry.deployedVersion("ml", "churn")).isEmpty();
        registry.changeStage("ml", "churn", 2, ModelStage.DEPLOYED, -1, PromotionMode.REFUSE_IF_DEPLOYED);
        assertThat(registry.deployedVersion("ml", "churn")).map(ModelVersion::version).contains(2);
        assertThat(registry.latestVersion("ml", "churn", ModelStage.VALIDATED)).map(ModelVersion::version).contains(3);
    }
}
