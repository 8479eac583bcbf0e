package org.aiflow.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.aiflow.api.error.ForbiddenException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.execution.SnapshotInfo;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Grant;
import org.aiflow.api.security.Role;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /workflows/{name}/snapshots} without a JAX-RS runtime: the resource method over a
 * scheduler that knows one workflow, {@code team/wf}, with snapshots 1 to 5.
 */
class SnapshotHistoryTest {
    /** What the resource asked the scheduler: namespace, name, beforeId, limit. */
    private final List<List<Object>> asked = new ArrayList<>();

    private final SchedulerService scheduler = (SchedulerService) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {SchedulerService.class}, (proxy, method, args) -> {
                if (!method.getName().equals("snapshots") || args.length != 4) {
                    throw new UnsupportedOperationException(method.getName());
                }
                asked.add(java.util.Arrays.asList(args));
                if (!args[0].equals("team") || !args[1].equals("wf")) {
                    throw new NotFoundException("workflow", args[0] + "/" + args[1]);
                }
                Long beforeId = (Long) args[2];
                int limit = (Integer) args[3];
                List<SnapshotInfo> page = new ArrayList<>();
                for (long id = 5; id >= 1 && page.size() < limit; id--) {
                    if (beforeId == null || id < beforeId) {
                        page.add(new SnapshotInfo(id, 9, Instant.ofEpochSecond(1_000 + id)));
                    }
                }
                return page;
            });

    private final WorkflowsResource.WorkflowList resource = new WorkflowsResource.WorkflowList(scheduler, null);

    private static Callers.CallerContext as(String... grants) {
        Set<Grant> set = new java.util.HashSet<>();
        for (String g : grants) {
            set.add(Grant.parse(g));
        }
        return new Callers.CallerContext(new Caller("vera", Caller.Kind.USER, set), false, "BASIC");
    }

    @Test
    void pagesNewestFirstAndNamesTheNextPageOnlyAfterAFullOne() throws Exception {
        WorkflowsResource.Snapshots first = resource.snapshots("wf", "team", "2", null, null, as("viewer@team"));
        assertThat(first.snapshots()).extracting(SnapshotInfo::id).containsExactly(5L, 4L);
        assertThat(first.nextBeforeId()).isEqualTo(4L);
        WorkflowsResource.Snapshots second = resource.snapshots("wf", "team", "2", "4", null, as("viewer@team"));
        assertThat(second.snapshots()).extracting(SnapshotInfo::id).containsExactly(3L, 2L);
        WorkflowsResource.Snapshots last = resource.snapshots("wf", "team", "2", "2", null, as("viewer@team"));
        assertThat(last.snapshots()).extracting(SnapshotInfo::id).containsExactly(1L);
        assertThat(last.nextBeforeId()).isNull();
        // defaults: the newest 100, no beforeId
        WorkflowsResource.Snapshots all = resource.snapshots("wf", "team", null, "", null, as("viewer"));
        assertThat(all.snapshots()).hasSize(5);
        assertThat(all.nextBeforeId()).isNull();
        assertThat(asked.get(asked.size() - 1)).containsExactly("team", "wf", null, 100);

        // the answer: ids and times, no definitions; nextBeforeId null after the last page
        assertThat(JsonProvider.MAPPER.writeValueAsString(last)).isEqualTo(
                "{\"snapshots\":[{\"id\":1,\"workflowId\":9,\"createTime\":\"1970-01-01T00:16:41Z\"}],\"nextPageToken\":null,\"nextBeforeId\":null}");
    }

    @Test
    void pageTokensWalkTheSameHistoryAndBelongToIt() {
        WorkflowsResource.Snapshots first = resource.snapshots("wf", "team", "2", null, null, as("viewer@team"));
        assertThat(first.nextPageToken()).isNotNull().doesNotContain("4");
        WorkflowsResource.Snapshots second = resource.snapshots("wf", "team", "2", null, first.nextPageToken(), as("viewer@team"));
        assertThat(second.snapshots()).extracting(SnapshotInfo::id).containsExactly(3L, 2L);
        WorkflowsResource.Snapshots last = resource.snapshots("wf", "team", "2", null, second.nextPageToken(), as("viewer@team"));
        assertThat(last.snapshots()).extracting(SnapshotInfo::id).containsExactly(1L);
        assertThat(last.nextPageToken()).isNull();
        // another workflow's list, a garbled token, and both cursor forms at once are 400s
        for (String[] bad : new String[][] {{"other", first.nextPageToken()}, {"wf", "garbage!"}, {"wf", first.nextPageToken() + "x"},
                {"wf", java.util.Base64.getUrlEncoder().encodeToString("{\"l\":\"snapshots\"}".getBytes())}}) {
            assertThatThrownBy(() -> resource.snapshots(bad[0], "team", "2", null, bad[1], as("viewer@team")))
                    .as(bad[1]).isInstanceOf(ValidationException.class).hasMessageContaining("pageToken");
        }
        assertThatThrownBy(() -> resource.snapshots("wf", "team", "2", "4", first.nextPageToken(), as("viewer@team")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("exclude each other");
    }

    @Test
    void badNumbersAre400sBeforeTheSchedulerIsAsked() {
        for (String[] bad : new String[][] {{"0", null}, {"1001", null}, {"abc", null}, {"1.5", null}, {"-1", null},
                {null, "abc"}, {null, "-1"}, {null, "99999999999999999999"}}) {
            assertThatThrownBy(() -> resource.snapshots("wf", "team", bad[0], bad[1], null, as("viewer@team")))
                    .as(bad[0] + " " + bad[1]).isInstanceOf(ValidationException.class)
                    .hasMessageContaining(bad[0] != null ? "'limit'" : "'beforeId'");
        }
        assertThat(asked).isEmpty();
        assertThat(resource.snapshots("wf", "team", "1000", "0", null, as("viewer@team")).snapshots()).isEmpty();
    }

    @Test
    void aViewerOfTheNamespaceReadsItAndAnUnknownWorkflowIs404() {
        assertThatThrownBy(() -> resource.snapshots("wf", "team", null, null, null, as("viewer@other")))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining(Role.VIEWER.id());
        assertThatThrownBy(() -> resource.snapshots("wf", null, null, null, null, as("viewer@team")))
                .as("no namespace means default").isInstanceOf(ForbiddenException.class);
        assertThat(asked).isEmpty();
        assertThatThrownBy(() -> resource.snapshots("nosuch", "team", null, null, null, as("viewer@team")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("team/nosuch");
        assertThatThrownBy(() -> resource.snapshots("wf", null, null, null, null, as("viewer")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("default/wf");
    }
}
