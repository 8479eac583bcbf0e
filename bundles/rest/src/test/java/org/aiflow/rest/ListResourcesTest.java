package org.aiflow.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.event.SubscriptionInfo;
import org.aiflow.api.metadata.Artifact;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.MetricKind;
import org.aiflow.api.metadata.MetricMeta;
import org.aiflow.api.metadata.MetricQuery;
import org.aiflow.api.metadata.MetricValue;
import org.aiflow.api.metadata.Model;
import org.aiflow.api.metadata.ModelStage;
import org.aiflow.api.metadata.ModelVersion;
import org.aiflow.api.metadata.Project;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Grant;
import org.junit.jupiter.api.Test;

/** Each list resource walks its whole list by nextPageToken, 2 a page, and refuses the tokens of the others. */
class ListResourcesTest {
    private static final List<String> NAMES = List.of("a", "b", "c", "d", "e");
    private static final Instant T = Instant.EPOCH;

    private static Callers.CallerContext admin() {
        Set<Grant> set = new HashSet<>();
        set.add(Grant.parse("admin"));
        return new Callers.CallerContext(new Caller("ada", Caller.Kind.USER, set), false, "BASIC");
    }

    private static List<String> after(String afterName, int limit) {
        return NAMES.stream().filter(n -> afterName == null || n.compareTo(afterName) > 0).limit(limit).toList();
    }

    /** A metadata service holding five of each record, a..e (versions and value ids 1..5). */
    private static final MetadataService METADATA = (MetadataService) Proxy.newProxyInstance(MetadataService.class.getClassLoader(),
            new Class<?>[] {MetadataService.class}, (p, m, a) -> switch (m.getName()) {
                case "listProjects" -> after(((ListQuery) a[0]).afterName(), ((ListQuery) a[0]).limit()).stream()
                        .map(n -> new Project(1, n, "", null, null, 1, T, T)).toList();
                case "listModels" -> after(((ListQuery) a[1]).afterName(), ((ListQuery) a[1]).limit()).stream()
                        .map(n -> new Model(1, "ns", n, "", null, 1, T, T)).toList();
                case "listArtifacts" -> after(((ListQuery) a[1]).afterName(), ((ListQuery) a[1]).limit()).stream()
                        .map(n -> new Artifact(1, "ns", n, "t", "file:/" + n, "", null, false, 1, T, T)).toList();
                case "listMetrics" -> after(((ListQuery) a[1]).afterName(), ((ListQuery) a[1]).limit()).stream()
                        .map(n -> new MetricMeta(1, "ns", n, MetricKind.MODEL, null, "m", "", null, 1, T, T)).toList();
                case "listModelVersions" -> java.util.stream.IntStream.rangeClosed(1, 5).filter(v -> v > (int) a[3]).limit((int) a[4])
                        .mapToObj(v -> new ModelVersion(v, "ns", "m", v, "file:/v", "", "", ModelStage.GENERATED, null, 1, T, T)).toList();
                case "metricValues" -> java.util.stream.LongStream.rangeClosed(1, 5).filter(id -> id > ((MetricQuery) a[2]).afterId())
                        .limit(((MetricQuery) a[2]).limit()).mapToObj(id -> new MetricValue(id, "ns", "q", "auc", 0.5, T, null, null, null)).toList();
                default -> throw new UnsupportedOperationException(m.getName());
            });

    /** Walks a list: {@code page} answers a page for a token (null: the first); returns the items' keys in order. */
    private static List<String> walk(Function<String, Paged> page, Function<Paged, List<String>> keys) {
        List<String> seen = new ArrayList<>();
        String token = null;
        for (int i = 0; i < 10; i++) {
            Paged p = page.apply(token);
            seen.addAll(keys.apply(p));
            token = p.nextPageToken();
            if (token == null) {
                return seen;
            }
        }
        throw new AssertionError("no last page: " + seen);
    }

    @Test
    void everyListWalksWhole() {
        Map<String, Function<String, Paged>> lists = new LinkedHashMap<>();
        Map<String, Function<Paged, List<String>>> keys = new LinkedHashMap<>();
        ProjectsResource projects = new ProjectsResource(METADATA);
        lists.put("projects", t -> projects.list(null, null, t, "2", admin()));
        keys.put("projects", p -> ((ProjectsResource.Projects) p).projects().stream().map(Project::name).toList());
        ModelsResource models = new ModelsResource(METADATA);
        lists.put("models", t -> models.list("ns", null, null, t, "2", admin()));
        keys.put("models", p -> ((ModelsResource.Models) p).models().stream().map(Model::name).toList());
        ArtifactsResource artifacts = new ArtifactsResource(METADATA);
        lists.put("artifacts", t -> artifacts.list("ns", null, null, null, false, t, "2", admin()));
        keys.put("artifacts", p -> ((ArtifactsResource.Artifacts) p).artifacts().stream().map(Artifact::name).toList());
        MetricsResource metrics = new MetricsResource(METADATA);
        lists.put("metrics", t -> (Paged) metrics.list("ns", null, null, null, t, "2", admin(), null).getEntity());
        keys.put("metrics", p -> ((MetricsResource.Metrics) p).metrics().stream().map(MetricMeta::name).toList());
        ModelVersionsResource versions = new ModelVersionsResource(METADATA, null);
        lists.put("versions", t -> versions.versions("m", "ns", null, null, t, "2", admin()));
        keys.put("versions", p -> ((ModelVersionsResource.Versions) p).versions().stream().map(v -> String.valueOf(v.version())).toList());
        lists.put("values", t -> metrics.values("q", "ns", "auc", null, null, null, null, null, t, "2", admin()));
        keys.put("values", p -> ((MetricsResource.Values) p).values().stream().map(v -> String.valueOf(v.id())).toList());

        for (String list : lists.keySet()) {
            List<String> expected = list.equals("versions") || list.equals("values") ? List.of("1", "2", "3", "4", "5") : NAMES;
            assertThat(walk(lists.get(list), keys.get(list))).as(list).containsExactlyElementsOf(expected);
            // this list's second-page token is no other list's
            String token = lists.get(list).apply(null).nextPageToken();
            for (String other : lists.keySet()) {
                if (!other.equals(list)) {
                    assertThatThrownBy(() -> lists.get(other).apply(token)).as(list + " token on " + other)
                            .isInstanceOf(ValidationException.class).hasMessageContaining("pageToken");
                }
            }
        }
    }

    @Test
    void subscriptionsAreWholeWithoutLimitAndPagedByNameWithIt() {
        List<SubscriptionInfo> all = List.of("e", "c", "a", "d", "b").stream().map(n -> new SubscriptionInfo(n, 0, 0, T, T)).toList();
        NotificationService notifications = (NotificationService) Proxy.newProxyInstance(NotificationService.class.getClassLoader(),
                new Class<?>[] {NotificationService.class}, (p, m, a) -> {
                    if (m.getName().equals("subscriptions")) {
                        return all;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        SubscriptionsResource r = new SubscriptionsResource(notifications, null);
        assertThat(r.list(null, null, admin()).subscriptions()).hasSize(5);
        assertThat(walk(t -> r.list(t, "2", admin()), p -> ((SubscriptionsResource.Subscriptions) p).subscriptions().stream()
                .map(SubscriptionInfo::name).toList())).containsExactlyElementsOf(NAMES);
        // an exact last page: nothing more, no token
        assertThat(r.list(null, "5", admin()).nextPageToken()).isNull();
    }
}
