package org.aiflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.aiflow.client.AiflowClient;
import org.aiflow.itests.BadInputCases.Case;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Promise 4, table-driven over every resource: each bad request gets its 4xx as a JSON problem
 * body ({@code status}, {@code code}, {@code message}), stores nothing (every listing reads the
 * same before and after) and leaves the server answering. One distribution start for the class;
 * raw sockets, so the requests are exactly the bytes of the table.
 */
public class BadInputIT {
    /** Every listing a wrongly accepted request could change, read together as the stored state. */
    private static final String[] STATE = {"events/latest", "events/count", "subscriptions", "projects", "datasets?includeDeleted=true",
        "datasets?namespace=bi&includeDeleted=true", "models", "models?namespace=bi", "models/m/versions?namespace=bi", "artifacts",
        "artifacts?namespace=bi", "metrics", "metrics?namespace=bi", "metrics/met/values?namespace=bi", "lineage?taskExecutionId=1",
        "lineage?namespace=bi&kind=DATASET&name=ds", "workflows", "executions", "tasks", "workflows/wf/schedules?namespace=bi",
        "datasets/ds?namespace=bi", "projects/bi", "artifacts/art?namespace=bi", "models/m/versions/1?namespace=bi"};

    private static Process karaf;

    @BeforeClass
    public static void start() throws Exception {
        Path home = Distribution.unpack("bad-input");
        karaf = Distribution.start(home, Distribution.client(5, Duration.ofSeconds(30)));
        created("POST", "projects", "{\"name\":\"bi\"}");
        created("POST", "datasets?namespace=bi", "{\"name\":\"ds\",\"uri\":\"file:/ds\",\"format\":\"csv\"}");
        created("POST", "models?namespace=bi", "{\"name\":\"m\"}");
        created("POST", "models/m/versions?namespace=bi", "{\"uri\":\"file:/m/1\"}");
        created("POST", "artifacts?namespace=bi", "{\"name\":\"art\",\"type\":\"text\",\"uri\":\"file:/art\"}");
        created("POST", "metrics?namespace=bi", "{\"name\":\"met\",\"kind\":\"DATASET\",\"datasetName\":\"ds\"}");
        created("POST", "subscriptions", "{\"name\":\"sub\"}");
        created("POST", "workflows", "{\"namespace\":\"bi\",\"name\":\"wf\",\"tasks\":[{\"name\":\"t\",\"job\":{\"runnerType\":\"process\","
                + "\"config\":{\"command\":\"echo t\"}}}],\"schedules\":[{\"name\":\"daily\",\"cron\":\"0 3 29 2 *\"}]}");
        // a good JSON body under a +json type is taken like application/json
        RawHttp.Response vendor = RawHttp.send("POST", BadInputCases.API + "events", "{\"namespace\":\"bi\",\"key\":\"vendor\"}",
                "Content-Type: application/vnd.aiflow+json; charset=utf-8", "Accept: */*");
        assertEquals(vendor.body(), 201, vendor.status());
        // the sample workflow ml-pipeline runs its five tasks at first boot: let it finish, or its
        // status changes would count as changes made by a bad request
        Poll.until(Duration.ofSeconds(90), "the sample workflows' first runs have finished", () -> {
            String executions = RawHttp.send("GET", BadInputCases.API + "executions", null, BadInputCases.JSON).body();
            String tasks = RawHttp.send("GET", BadInputCases.API + "tasks", null, BadInputCases.JSON).body();
            return !executions.contains("\"workflowName\":\"ml-pipeline\",\"snapshotId\":1,\"status\":\"RUNNING\"")
                    && !tasks.contains("\"status\":\"RUNNING\"") && !tasks.contains("\"status\":\"QUEUED\"");
        });
    }

    private static void created(String method, String path, String json) throws Exception {
        RawHttp.Response r = RawHttp.send(method, BadInputCases.API + path, json, BadInputCases.JSON);
        assertTrue(path + ": " + r.body(), r.status() == 201 || r.status() == 200);
    }

    @AfterClass
    public static void stop() {
        if (karaf != null) {
            Distribution.kill(karaf);
        }
    }

    @Test
    public void everyBadRequestGetsItsJsonProblemAndChangesNothing() throws Exception {
        assertAll(BadInputCases.application());
    }

    /** Cases the servlet container answers before the REST layer (the org.aiflow.jetty fragment's JSON problems). */
    @Test
    public void containerLevelBadRequestsGetJsonProblemsToo() throws Exception {
        assertAll(BadInputCases.container());
    }

    private static void assertAll(List<Case> cases) throws Exception {
        String before = state();
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            RawHttp.Response r;
            try {
                r = RawHttp.send(c.method(), c.target(), c.body(), c.headers());
            } catch (Exception e) {
                failures.add(c + ": no answer: " + e);
                continue;
            }
            String problem = problemMismatch(c, r);
            if (problem != null) {
                failures.add(c + ": " + problem);
            }
            String after = state(); // also proves the server still answers
            if (!after.equals(before)) {
                failures.add(c + ": changed what is stored:\n  before " + before + "\n  after  " + after);
                before = after;
            }
        }
        assertTrue(failures.size() + " of " + cases.size() + " cases failed:\n" + String.join("\n", failures), failures.isEmpty());
    }

    /** What is wrong with the answer, or null: the status (0: any 4xx), JSON, and the problem's fields. */
    private static String problemMismatch(Case c, RawHttp.Response r) {
        boolean statusOk = c.status() == 0 ? r.status() >= 400 && r.status() < 500 : r.status() == c.status();
        String type = r.header("Content-Type").split(";")[0].trim();
        String body = r.body();
        String shortBody = body.length() > 300 ? body.substring(0, 300) + "..." : body;
        if (!statusOk || !type.equals("application/problem+json") || !body.startsWith("{") || !body.contains("\"status\":" + r.status())
                || !body.contains("\"message\":\"") || !body.contains("\"code\":\"" + (c.code() == null ? "" : c.code() + "\""))) {
            return "expected " + (c.status() == 0 ? "4xx" : c.status()) + " " + (c.code() == null ? "" : c.code()) + " as a JSON problem, got "
                    + r.status() + " " + type + " " + shortBody;
        }
        return null;
    }

    /** The stored state as every listing shows it; each must answer 200 (the server is alive and well). */
    private static String state() throws Exception {
        StringBuilder all = new StringBuilder();
        for (String path : STATE) {
            RawHttp.Response r = RawHttp.send("GET", (BadInputCases.API + path).getBytes(StandardCharsets.UTF_8), null);
            if (r.status() != 200) {
                throw new AssertionError("GET " + path + " answered " + r.status() + " " + r.body());
            }
            // the scheduler's own subscription follows the log on its own time: not state a request changes
            all.append(path).append('=').append(r.body().replaceAll("\\{\"name\":\"aiflow-scheduler\"[^}]*}", "")).append(' ');
        }
        return all.toString();
    }
}
