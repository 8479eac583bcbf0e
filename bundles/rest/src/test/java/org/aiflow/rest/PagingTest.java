package org.aiflow.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import javax.ws.rs.core.UriBuilder;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.metadata.Dataset;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Grant;
import org.aiflow.api.execution.Workflow;
import org.junit.jupiter.api.Test;

/** One paging scheme on the lists: limit + opaque pageToken, nextPageToken and the Link header; the older cursors still work. */
class PagingTest {
    private static Callers.CallerContext as(String... grants) {
        Set<Grant> set = new HashSet<>();
        for (String g : grants) {
            set.add(Grant.parse(g));
        }
        return new Callers.CallerContext(new Caller("vera", Caller.Kind.USER, set), false, "BASIC");
    }

    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type, String method, Function<Object[], Object> answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.getName().equals(method)) {
                return answer.apply(args);
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    private static final List<String> NAMES = List.of("a", "b", "c", "d", "e");

    /** A metadata service holding the datasets a..e in namespace ns. */
    private static DatasetsResource datasets() {
        return new DatasetsResource(stub(MetadataService.class, "listDatasets", args -> {
            ListQuery q = (ListQuery) args[1];
            return NAMES.stream().filter(n -> q.afterName() == null || n.compareTo(q.afterName()) > 0).limit(q.limit())
                    .map(n -> new Dataset(1, "ns", n, "file:/" + n, null, null, null, null, null, false, 1, Instant.EPOCH, Instant.EPOCH))
                    .toList();
        }));
    }

    @Test
    void tokensWalkAListAndTheOlderCursorStillWorks() {
        DatasetsResource r = datasets();
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            DatasetsResource.Datasets page = r.list("ns", null, null, null, false, token, "2", as("viewer@ns"));
            page.datasets().forEach(d -> seen.add(d.name()));
            token = page.nextPageToken();
            assertThat(page.nextAfterName()).isEqualTo(page.datasets().size() < 2 ? null : page.datasets().get(1).name());
            pages++;
        } while (token != null);
        assertThat(seen).containsExactlyElementsOf(NAMES);
        assertThat(pages).isEqualTo(3);

        // the older form: afterName / nextAfterName
        assertThat(r.list("ns", null, null, "b", false, null, "2", as("viewer@ns")).datasets()).extracting(Dataset::name).containsExactly("c", "d");
        String first = r.list("ns", null, null, null, false, null, "2", as("viewer@ns")).nextPageToken();
        // opaque (base64url, not the name it goes on after) and the same for the same page
        assertThat(first).isNotEqualTo("b").matches("[A-Za-z0-9_-]+")
                .isEqualTo(r.list("ns", null, null, null, false, null, "2", as("viewer@ns")).nextPageToken());
        // a token of other filters, of another list, garbled, or with the older cursor: 400, never a 500
        assertThatThrownBy(() -> r.list("other", null, null, null, false, first, "2", as("viewer"))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("other filters");
        assertThatThrownBy(() -> r.list("ns", "a", null, null, false, first, "2", as("viewer"))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> r.list("ns", null, null, "b", false, first, "2", as("viewer"))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("exclude each other");
        String models = PageToken.encode("models", PageToken.filters("ns", null), "b");
        for (String bad : List.of(models, "%%%", "e30", first.substring(0, first.length() - 3), "bnVsbA")) {
            assertThatThrownBy(() -> r.list("ns", null, null, null, false, bad, "2", as("viewer"))).as(bad)
                    .isInstanceOf(ValidationException.class).hasMessageContaining("pageToken");
        }
    }

    @Test
    void theLinkHeaderIsTheFullUrlOfTheNextPageWithoutTheOlderCursors() {
        String link = PageLinks.link(UriBuilder.fromUri("http://node:8181/aiflow/v1/datasets?namespace=ns&afterName=b&limit=2"), "TOKEN");
        assertThat(link).isEqualTo("<http://node:8181/aiflow/v1/datasets?namespace=ns&limit=2&pageToken=TOKEN>; rel=\"next\"");
        String again = PageLinks.link(UriBuilder.fromUri("http://node:8181/aiflow/v1/tasks?pageToken=OLD&limit=5"), "NEW");
        assertThat(again).isEqualTo("<http://node:8181/aiflow/v1/tasks?pageToken=NEW&limit=5>; rel=\"next\"");
    }

    @Test
    void executionsPageByIdThroughTheStoreWithoutACeiling() {
        List<Long> asked = new ArrayList<>();
        SchedulerService scheduler = stub(SchedulerService.class, "listExecutions", args -> {
            Long before = (Long) args[2];
            asked.add(before);
            int limit = (int) args[3];
            List<WorkflowExecution> page = new ArrayList<>();
            for (long id = before == null ? 25_000 : before - 1; id >= 1 && page.size() < limit; id--) {
                page.add(new WorkflowExecution(id, 1, "ns", "wf", 1, ExecutionStatus.SUCCESS, Instant.EPOCH, Instant.EPOCH));
            }
            return page;
        });
        WorkflowsResource.ExecutionList r = new WorkflowsResource.ExecutionList(scheduler, null);
        long count = 0;
        String token = null;
        do {
            WorkflowsResource.Executions page = r.list("ns", null, null, token, "10000", as("viewer@ns"));
            count += page.executions().size();
            token = page.nextPageToken();
        } while (token != null);
        // 25,000 rows, more than the 10,000 a page holds, every one reached; the last page is short
        assertThat(count).isEqualTo(25_000);
        assertThat(asked).containsExactly(null, 15_001L, 5_001L);
        assertThat(r.list("ns", null, "101", null, "3", as("viewer@ns")).executions()).extracting(WorkflowExecution::id)
                .containsExactly(100L, 99L, 98L);
    }

    @Test
    void workflowsAreWholeWithoutLimitAndPagedWithIt() {
        List<Workflow> all = List.of(new Workflow(1, "a.b", "x", true, 1, Instant.EPOCH, Instant.EPOCH),
                new Workflow(2, "a", "z", true, 1, Instant.EPOCH, Instant.EPOCH), new Workflow(3, "a", "y", true, 1, Instant.EPOCH, Instant.EPOCH));
        WorkflowsResource.WorkflowList r = new WorkflowsResource.WorkflowList(stub(SchedulerService.class, "listWorkflows", args -> all), null);
        WorkflowsResource.Workflows whole = r.list(null, null, null, as("viewer"));
        assertThat(whole.workflows()).hasSize(3);
        assertThat(whole.nextPageToken()).isNull();
        WorkflowsResource.Workflows first = r.list(null, null, "2", as("viewer"));
        assertThat(first.workflows()).extracting(Workflow::id).containsExactly(3L, 2L); // by namespace, then name
        WorkflowsResource.Workflows last = r.list(null, first.nextPageToken(), "2", as("viewer"));
        assertThat(last.workflows()).extracting(Workflow::id).containsExactly(1L);
        assertThat(last.nextPageToken()).isNull();
    }
}
