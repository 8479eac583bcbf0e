package org.aiflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.aiflow.api.error.ForbiddenException;
import org.aiflow.api.error.UnauthenticatedException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.metadata.ModelVersionDraft;
import org.aiflow.client.AiflowClient;
import org.aiflow.storage.h2.EmbeddedH2;
import org.aiflow.storage.jdbc.JdbcStorage;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The security model on the real distribution, signed in as users do: 401 without credentials on
 * every resource, a table of calls x roles x namespaces, API tokens (create, use, revoke, expiry),
 * a task's own token (its namespace only, dead when the task ends), the two-request attack, who
 * did it, cross-site requests and the console's command ACLs. One platform for the class.
 */
public class SecurityIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String BASE = Distribution.API + "/";
    /** user, password, roles as written in etc/users.properties. */
    private static final String[][] USERS = {
            {"vera", "vera-pw", "viewer, ssh"},
            {"carol", "carol-pw", "viewer, operator@churn"},
            {"dave", "dave-pw", "viewer@churn"},
            {"ann", "ann-pw", "author"},
            {"erin", "erin-pw", "viewer, author@churn"},
            {"nobody", "nobody-pw", "manager"},
    };

    private static Path home;
    private static Process karaf;

    @BeforeClass
    public static void start() throws Exception {
        home = Distribution.unpack("security");
        // as docs/security.md tells scripts: the admin first, then further users
        ProcessBuilder admin = new ProcessBuilder(home.resolve("bin/aiflow-admin").toString());
        admin.environment().put("AIFLOW_ADMIN_PASSWORD", Distribution.ADMIN_PASSWORD);
        Distribution.run(admin);
        StringBuilder users = new StringBuilder("\n");
        for (String[] u : USERS) {
            users.append(u[0]).append(" = ").append(u[1]).append(", ").append(u[2]).append('\n');
        }
        Files.writeString(home.resolve("etc/users.properties"), users.toString(), StandardOpenOption.APPEND);
        try {
            karaf = Distribution.start(home, Distribution.adminClient());
        } catch (Exception | AssertionError e) {
            // a start that failed half-way leaves no platform behind for the next test class
            new ProcessBuilder("pkill", "-9", "-f", home.toString()).start().waitFor();
            throw e;
        }
    }

    @AfterClass
    public static void stop() {
        if (karaf != null) {
            Distribution.kill(karaf);
        }
    }

    // ------------------------------------------------------------------ authentication

    @Test
    public void everyResourceAnswers401WithoutCredentials() throws Exception {
        String[][] calls = {
                {"GET", "events"}, {"POST", "events"}, {"GET", "events/count"}, {"GET", "events/latest"},
                {"GET", "events/stream"}, {"GET", "subscriptions"}, {"POST", "subscriptions"}, {"GET", "projects"},
                {"GET", "datasets"}, {"GET", "models"}, {"GET", "models/m/versions"}, {"GET", "artifacts"},
                {"GET", "metrics"}, {"GET", "lineage?taskExecutionId=1"}, {"GET", "workflows"}, {"POST", "workflows"},
                {"DELETE", "workflows/hello-world"}, {"POST", "workflows/hello-world/executions"}, {"GET", "executions"},
                {"GET", "executions/1"}, {"POST", "executions/1/stop"}, {"GET", "tasks"}, {"GET", "tasks/1/logs"},
                {"POST", "tasks/1/stop"}, {"GET", "snapshots/1"}, {"GET", "plugins"}, {"GET", "tokens"}, {"POST", "tokens"},
                {"GET", "grants"}, {"GET", "audit"}, {"GET", "whoami"}, {"GET", "cluster"}, {"GET", "no/such/path"},
        };
        for (String[] c : calls) {
            boolean bodyless = c[0].equals("GET") || c[0].equals("DELETE");
            HttpResponse<String> r = send(c[0], c[1], bodyless ? null : "{}", (String) null);
            assertEquals(c[0] + " " + c[1] + ": " + r.body(), 401, r.statusCode());
            assertProblem(r, "unauthenticated");
            // send() adds X-Requested-By to calls without a body: those are challenged for Bearer only, so that a
            // browser page's own sign-in (which sends the header) never meets the browser's password dialog
            assertChallenges(c[0] + " " + c[1], r, !bodyless);
        }
        // what a browser sends by itself (no X-Requested-By) is challenged for Basic too; a page's fetch with wrong
        // credentials and the header for Bearer only
        HttpResponse<String> plain = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "workflows")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(plain.body(), 401, plain.statusCode());
        assertProblem(plain, "unauthenticated");
        assertChallenges("GET without X-Requested-By", plain, true);
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "workflows")).header("X-Requested-By", "aiflow-web")
                .header("Authorization", "Basic " + b64("ghost:ghost")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(page.body(), 401, page.statusCode());
        assertProblem(page, "unauthenticated");
        assertChallenges("GET with X-Requested-By and unknown credentials", page, false);
        assertEquals(200, send("GET", "health", null, (String) null).statusCode());
        assertEquals(200, send("GET", "health/ready", null, (String) null).statusCode());
    }

    /** A Bearer challenge always, a Basic one only if {@code basic}. */
    private static void assertChallenges(String what, HttpResponse<String> r, boolean basic) {
        String challenges = String.join(", ", r.headers().allValues("WWW-Authenticate"));
        assertTrue(what + " challenges " + challenges, challenges.contains("Bearer realm=\"aiflow\""));
        assertEquals(what + " challenges " + challenges, basic, challenges.contains("Basic realm=\"aiflow\""));
    }

    @Test
    public void malformedOrUnknownCredentialsAre401NeverAServerError() throws Exception {
        String[] headers = {
                "Basic", "Basic ", "Basic !!!not-base64!!!", "Basic " + b64("no-colon"), "Basic " + b64(":no-user"),
                "Basic " + b64("vera:wrong"), "Basic " + b64("ghost:ghost"), "Basic " + b64("ve\u0000ra:x"),
                "Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xC0, (byte) 0xAF, ':', 'x'}),
                "Bearer", "Bearer ", "Bearer aif_unknownunknownunknownunknownunknown1234567", "Bearer not-ours",
                "Bearer " + "a".repeat(5000), "Digest username=\"vera\"", "Basic " + "x".repeat(6000), "Negotiate abc",
        };
        for (String h : headers) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "workflows")).header("Authorization", h)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(abbreviate(h) + ": " + r.body(), 401, r.statusCode());
            assertProblem(r, "unauthenticated");
        }
        // past Jetty's 8 KiB of headers the container answers itself, still with the problem body
        HttpResponse<String> huge = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "workflows"))
                .header("Authorization", "Basic " + "x".repeat(10_000)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(huge.body(), 431, huge.statusCode());
        assertProblem(huge, "header_too_large");
    }

    @Test
    public void theJavaClientSurfaces401And403AsTypedErrors() throws Exception {
        AiflowClient wrong = AiflowClient.connect(Distribution.API, "vera", "not-her-password");
        try {
            wrong.scheduler().listWorkflows();
            fail("a wrong password was accepted");
        } catch (UnauthenticatedException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("wrong"));
        }
        AiflowClient vera = AiflowClient.connect(Distribution.API, "vera", "vera-pw");
        assertFalse(vera.scheduler().listWorkflows().isEmpty());
        try {
            vera.scheduler().upload("x.json", workflow("default", "vera-wf", "echo hi"));
            fail("a viewer uploaded a workflow");
        } catch (ForbiddenException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("author"));
        }
    }

    // ------------------------------------------------------------------ authorization

    @Test
    public void callsByRoleAndNamespace() throws Exception {
        admin("POST", "workflows", workflow("churn", "churn-wf", "true"));
        admin("POST", "workflows", workflow("default", "default-wf", "true"));
        // {user, method, path, body, expected status}
        Object[][] table = {
                {"vera", "GET", "events?namespace=churn", null, 200},
                {"vera", "POST", "events", event("churn", "k"), 403},
                {"vera", "POST", "workflows/churn-wf/executions?namespace=churn", "", 403},
                {"vera", "GET", "tokens", null, 403},
                {"vera", "POST", "workflows", "{\"name\":\"no tasks\",\"tasks\":7}", 403},
                {"carol", "POST", "events", event("churn", "k"), 201},
                {"carol", "POST", "events", event("default", "k"), 403},
                {"carol", "POST", "events/batch", "{\"events\":[" + event("churn", "a") + "," + event("default", "b") + "]}", 403},
                {"carol", "POST", "workflows/churn-wf/executions?namespace=churn", "", 201},
                {"carol", "POST", "workflows/default-wf/executions", "", 403},
                {"carol", "POST", "workflows", workflow("churn", "carol-wf", "id"), 403},
                {"carol", "POST", "workflows/churn-wf/disable?namespace=churn", "", 403},
                {"carol", "POST", "datasets?namespace=churn", "{\"name\":\"d1\",\"uri\":\"file:///d1\"}", 201},
                {"carol", "POST", "datasets?namespace=default", "{\"name\":\"d1\",\"uri\":\"file:///d1\"}", 403},
                {"carol", "GET", "grants", null, 403},
                {"dave", "GET", "workflows/churn-wf?namespace=churn", null, 200},
                {"dave", "GET", "workflows/default-wf", null, 403},
                {"dave", "POST", "events", event("churn", "k"), 403},
                {"ann", "POST", "workflows", workflow("churn", "ann-wf", "true"), 201},
                {"erin", "POST", "workflows", workflow("churn", "erin-wf", "true"), 201},
                {"erin", "POST", "workflows", workflow("default", "erin-wf", "true"), 403},
                {"erin", "POST", "workflows", workflow("default", "erin-wf", "true").replace("\"namespace\":\"default\",", ""), 403},
                {"ann", "POST", "workflows/ann-wf/disable?namespace=churn", "", 200},
                {"ann", "GET", "tokens", null, 403},
                {"nobody", "GET", "workflows", null, 200},
                {"nobody", "GET", "plugins", null, 403},
                {"nobody", "GET", "cluster", null, 403}, {"dave", "GET", "cluster", null, 200},
                {"admin", "GET", "tokens", null, 200},
                {"admin", "GET", "grants", null, 200},
        };
        List<String> wrong = new ArrayList<>();
        for (Object[] row : table) {
            String user = (String) row[0];
            HttpResponse<String> r = send((String) row[1], (String) row[2], (String) row[3], basic(user));
            if (r.statusCode() != (int) row[4]) {
                wrong.add(user + " " + row[1] + " " + row[2] + " -> " + r.statusCode() + " (expected " + row[4] + "): " + r.body());
            }
            if (r.statusCode() == 403) {
                assertProblem(r, "forbidden");
            }
        }
        assertTrue(String.join("\n", wrong), wrong.isEmpty());
        // lists leave out what the caller may not read
        JsonNode daves = JSON.readTree(send("GET", "workflows", null, basic("dave")).body()).get("workflows");
        assertTrue(daves.toString(), daves.size() > 0);
        daves.forEach(w -> assertEquals(daves.toString(), "churn", w.get("namespace").asText()));
        JsonNode events = JSON.readTree(send("GET", "events?limit=1000", null, basic("dave")).body()).get("events");
        events.forEach(e -> assertEquals("dave read " + e, "churn", e.get("namespace").asText()));
        JsonNode nobodys = JSON.readTree(send("GET", "workflows", null, basic("nobody")).body()).get("workflows");
        assertEquals(nobodys.toString(), 0, nobodys.size());
    }

    @Test
    public void theTwoRequestAttackFails() throws Exception {
        String attack = workflow("default", "pwned", "touch " + home.resolve("pwned"));
        HttpResponse<String> upload = send("POST", "workflows", attack, (String) null);
        assertEquals(401, upload.statusCode());
        assertEquals(401, send("POST", "workflows/pwned/executions", "", (String) null).statusCode());
        // an operator may start executions but not decide which commands run
        assertEquals(403, send("POST", "workflows", attack.replace("\"default\"", "\"churn\""), basic("carol")).statusCode());
        assertEquals(404, send("GET", "workflows/pwned", null, basic("admin")).statusCode());
        assertFalse(Files.exists(home.resolve("pwned")));
    }

    // ------------------------------------------------------------------ tokens

    @Test
    public void tokensAreCreatedUsedRevokedAndExpire() throws Exception {
        JsonNode created = JSON.readTree(admin("POST", "tokens", "{\"name\":\"ci\",\"grants\":[\"operator@churn\"]}").body());
        String secret = created.get("secret").asText();
        long id = created.get("token").get("id").asLong();
        assertTrue(secret, secret.startsWith("aif_"));
        assertEquals(201, send("POST", "events", event("churn", "from-ci"), bearer(secret)).statusCode());
        assertEquals(403, send("POST", "events", event("default", "from-ci"), bearer(secret)).statusCode());
        JsonNode me = JSON.readTree(send("GET", "whoami", null, bearer(secret)).body());
        assertEquals("token:ci", me.get("principal").asText());
        // the list never shows a secret
        String list = admin("GET", "tokens", null).body();
        assertTrue(list, list.contains("\"ci\"") && !list.contains(secret));
        // revoked: 401 at once
        admin("DELETE", "tokens/" + id, null);
        HttpResponse<String> revoked = send("GET", "workflows", null, bearer(secret));
        assertEquals(401, revoked.statusCode());
        assertTrue(revoked.body(), revoked.body().contains("revoked"));
        // a revoked token's name can be used again
        Instant expires = Instant.now().plusSeconds(3);
        String shortLived = JSON.readTree(admin("POST", "tokens", "{\"name\":\"ci\",\"grants\":[\"viewer\"],\"expiresAt\":\""
                + expires + "\"}").body()).get("secret").asText();
        assertEquals(200, send("GET", "workflows", null, bearer(shortLived)).statusCode());
        Poll.until(Duration.ofSeconds(30), "the token expires", () -> send("GET", "workflows", null, bearer(shortLived)).statusCode() == 401);
        assertTrue(Instant.now().isAfter(expires));
        // only admins create tokens
        assertEquals(403, send("POST", "tokens", "{\"name\":\"mine\",\"grants\":[\"admin\"]}", basic("ann")).statusCode());
    }

    @Test
    public void aTaskTalksBackInItsOwnNamespaceOnlyUntilItEnds() throws Exception {
        Path tokenFile = home.resolve("task-token.txt");
        String command = "own=$(curl -s -o /dev/null -w '%{http_code}' -H \"Authorization: Bearer $AIFLOW_TOKEN\""
                + " -H 'Content-Type: application/json' -d '{\"namespace\":\"jobs\",\"key\":\"from-task\"}' \"$AIFLOW_URL/events\");"
                + " other=$(curl -s -o /dev/null -w '%{http_code}' -H \"Authorization: Bearer $AIFLOW_TOKEN\""
                + " -H 'Content-Type: application/json' -d '{\"namespace\":\"default\",\"key\":\"from-task\"}' \"$AIFLOW_URL/events\");"
                + " echo \"own=$own other=$other ns=$AIFLOW_NAMESPACE\"; printf %s \"$AIFLOW_TOKEN\" > " + tokenFile;
        admin("POST", "workflows", workflow("jobs", "talk-back", command));
        JsonNode execution = JSON.readTree(admin("POST", "workflows/talk-back/executions?namespace=jobs", "").body());
        long executionId = execution.get("id").asLong();
        long[] taskId = new long[1];
        Poll.until(Duration.ofSeconds(60), "the task ends", () -> {
            JsonNode tasks = JSON.readTree(admin("GET", "tasks?executionId=" + executionId, null).body()).get("tasks");
            if (tasks.size() == 0) {
                return false;
            }
            taskId[0] = tasks.get(0).get("id").asLong();
            String status = tasks.get(0).get("status").asText();
            return status.equals("SUCCESS") || status.equals("FAILED");
        });
        String log = JSON.readTree(admin("GET", "tasks/" + taskId[0] + "/logs/stdout.log", null).body()).get("text").asText();
        assertTrue(log, log.contains("own=201 other=403 ns=jobs"));
        JsonNode stored = JSON.readTree(admin("GET", "events?namespace=jobs&key=from-task", null).body()).get("events");
        assertEquals(stored.toString(), 1, stored.size());
        assertEquals("task:" + taskId[0], stored.get(0).get("principal").asText());
        String token = Files.readString(tokenFile).trim();
        assertTrue(token.startsWith("aif_"));
        HttpResponse<String> after = send("GET", "events?namespace=jobs", null, bearer(token));
        assertEquals("the task's token after its task ended: " + after.body(), 401, after.statusCode());
    }

    // ------------------------------------------------------------------ who did it, cross-site

    @Test
    public void theServerRecordsWhoDidIt() throws Exception {
        HttpResponse<String> r = send("POST", "events", "{\"namespace\":\"churn\",\"key\":\"who\",\"sender\":\"admin\","
                + "\"principal\":\"admin\"}", basic("carol"));
        assertEquals(r.body(), 201, r.statusCode());
        assertEquals("carol", JSON.readTree(r.body()).get("principal").asText());
        assertEquals(201, send("POST", "workflows", workflow("churn", "audited", "true"), basic("ann")).statusCode());
        JsonNode audit = JSON.readTree(admin("GET", "audit?principal=ann&action=workflow.upload", null).body()).get("entries");
        assertTrue(audit.toString(), audit.size() >= 1);
        assertEquals("churn", audit.get(0).get("namespace").asText());
        // non-admins read only their own entries
        assertEquals(403, send("GET", "audit?principal=ann", null, basic("carol")).statusCode());
        assertEquals(200, send("GET", "audit", null, basic("ann")).statusCode());
    }

    @Test
    public void idempotencyKeysAndSubscriptionsDoNotCrossCallers() throws Exception {
        // found from outside: keys were global, so a key returned (and suppressed) another caller's event
        HttpResponse<String> carols = sendKeyed("{\"namespace\":\"churn\",\"key\":\"deploy\"}", "deploy-42", basic("carol"));
        HttpResponse<String> admins = sendKeyed("{\"key\":\"model.deployed\",\"value\":\"v3\"}", "deploy-42", basic("admin"));
        assertEquals(201, admins.statusCode());
        assertEquals("default", JSON.readTree(admins.body()).get("namespace").asText());
        assertNotEquals(JSON.readTree(carols.body()).get("version"), JSON.readTree(admins.body()).get("version"));
        // the same caller's retry still returns its first event
        assertEquals(JSON.readTree(carols.body()).get("version"),
                JSON.readTree(sendKeyed("{\"namespace\":\"churn\",\"key\":\"deploy\"}", "deploy-42", basic("carol")).body()).get("version"));
        // a subscription's cursor is not an operator-of-one-namespace's to move, the scheduler's is the admin's
        admin("POST", "subscriptions", "{\"name\":\"admins-sub\"}");
        assertEquals(403, send("POST", "subscriptions/admins-sub/ack", "{\"version\":1}", basic("carol")).statusCode());
        assertEquals(403, send("POST", "subscriptions/aiflow-scheduler/ack", "{\"version\":1}", basic("carol")).statusCode());
        // an unknown charset is refused by the container's guard, not a 500
        HttpResponse<String> charset = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "health"))
                .header("Content-Type", "text/plain; charset=bogus").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(charset.body(), 415, charset.statusCode());
    }

    private static HttpResponse<String> sendKeyed(String body, String key, String authorization) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "events")).header("Authorization", authorization)
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    public void stateChangingCallsNeedJsonOrACustomHeader() throws Exception {
        admin("POST", "workflows", workflow("default", "csrf-wf", "true"));
        String auth = basic("admin");
        HttpResponse<String> bare = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "workflows/csrf-wf/executions"))
                .header("Authorization", auth).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(bare.body(), 403, bare.statusCode());
        HttpResponse<String> form = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "events")).header("Authorization", auth)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"x\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(form.body(), 403, form.statusCode());
        HttpResponse<String> withHeader = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "workflows/csrf-wf/executions"))
                .header("Authorization", auth).header("X-Requested-By", "itest").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(withHeader.body(), 201, withHeader.statusCode());
        // CORS is off: no origin is allowed
        HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "events"))
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertNotEquals(204, preflight.statusCode());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    // ------------------------------------------------------------------ console

    @Test
    public void aViewerCannotUploadOnTheConsole() throws Exception {
        Path file = home.resolve("console-wf.json");
        Files.writeString(file, workflow("default", "console-wf", "true"));
        Process client = new ProcessBuilder(home.resolve("bin/client").toString(), "-u", "vera", "-p", "vera-pw", "-r", "30", "-b")
                .redirectErrorStream(true).start();
        client.getOutputStream().write(("aiflow:workflow-upload " + file + "\n").getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().close();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("bin/client ended", client.waitFor(60, TimeUnit.SECONDS));
        assertNotEquals("exit code of a refused upload: " + output, 0, client.exitValue());
        // refused by the command ACL (Karaf hides the command), not by a failed login
        assertTrue(output, output.contains("workflow-upload") && !output.toLowerCase().contains("authentication"));
        assertEquals(404, send("GET", "workflows/console-wf", null, basic("admin")).statusCode());
    }

    /**
     * Issue 17, item 3: every failing aiflow: command ends a {@code bin/client -b} run with its one-line
     * error in the output and exit status 1, whatever failed (a refused name, an unknown id, a number
     * that is none, a missing file), and a succeeding one with 0.
     */
    @Test
    public void aFailingConsoleCommandPrintsItsErrorAndExitsWith1() throws Exception {
        String[][] failing = {
                {"aiflow:event-send -n 'bad ns' k", "Error [invalid_argument]: "},
                {"aiflow:execution-show 987654321", "Error [not_found]: "},
                {"aiflow:execution-show ten", "ten"},
                {"aiflow:metric-log quality auc=high", "Error [invalid_argument]: the value of 'auc' is not a number"},
                {"aiflow:token-create ci viewer --expires someday", "Error [invalid_argument]: --expires 'someday' is neither"},
                {"aiflow:workflow-upload " + home.resolve("no-such-workflow.yaml"), "Error [invalid_argument]: cannot read workflow file " + home.resolve("no-such-workflow.yaml") + ": it does not exist"},
        };
        for (String[] f : failing) {
            Console r = console(Distribution.ADMIN, Distribution.ADMIN_PASSWORD, f[0]);
            System.out.println(f[0] + " -> exit " + r.exit + ": " + r.output.strip());
            assertEquals(f[0] + ": " + r.output, 1, r.exit);
            assertTrue(f[0] + ": " + r.output, r.output.contains(f[1]));
        }
        Console ok = console(Distribution.ADMIN, Distribution.ADMIN_PASSWORD, "aiflow:event-send console-ok 1");
        assertEquals(ok.output, 0, ok.exit);
        assertTrue(ok.output, ok.output.contains("stored: default/console-ok = 1"));
    }

    /**
     * Issue 17, item 4: aiflow:backup on the running platform (admin only, no overwrite without
     * --force, its folder must exist), bin/aiflow-restore refused while the platform runs, then run on
     * a stopped copy of the distribution's files: the restored store holds the events with their
     * versions, a named subscription's cursor, a model version and a workflow.
     */
    @Test
    public void backupOnTheRunningPlatformRestoresOnAStoppedOne() throws Exception {
        AiflowClient admin = Distribution.adminClient();
        List<Event> published = admin.publishAll(List.of(
                new EventDraft("backup", "k1", "a", null, "itest", null, null),
                new EventDraft("backup", "k2", "b", null, "itest", null, null)));
        admin.createSubscription("backup-indexer", 0);
        admin.acknowledge("backup-indexer", published.get(0).version());
        admin.metadata().createModel("backup", "churn", "a model to keep", Map.of());
        admin.metadata().createModelVersion("backup", "churn", new ModelVersionDraft("file:/models/churn/1", "lr", null, null));
        admin("POST", "workflows", workflow("backup", "kept-wf", "true"));

        Path folder = Files.createDirectories(home.resolve("backups"));
        Path zip = folder.resolve("aiflow.zip");
        Console viewer = console("vera", "vera-pw", "aiflow:backup " + zip);
        assertNotEquals(viewer.output, 0, viewer.exit);
        assertFalse(Files.exists(zip));
        Console backup = console(Distribution.ADMIN, Distribution.ADMIN_PASSWORD, "aiflow:backup " + zip);
        System.out.println("aiflow:backup -> exit " + backup.exit + ": " + backup.output.strip());
        assertEquals(backup.output, 0, backup.exit);
        assertTrue(backup.output, backup.output.contains("Backup written to " + zip));
        Console again = console(Distribution.ADMIN, Distribution.ADMIN_PASSWORD, "aiflow:backup " + zip);
        assertEquals(again.output, 1, again.exit);
        assertTrue(again.output, again.output.contains("exists already"));
        Console noFolder = console(Distribution.ADMIN, Distribution.ADMIN_PASSWORD, "aiflow:backup " + folder.resolve("none/aiflow.zip"));
        assertEquals(noFolder.output, 1, noFolder.exit);
        assertTrue(noFolder.output, noFolder.output.contains("does not exist"));

        Path liveDb = home.resolve("data/aiflow/h2/aiflow.mv.db");
        Console running = script(home.resolve("bin/aiflow-restore"), zip);
        System.out.println("bin/aiflow-restore while running -> exit " + running.exit + ": " + running.output.strip());
        assertEquals(running.output, 1, running.exit);
        assertTrue(running.output, running.output.contains("nothing was changed"));
        try (var files = Files.list(liveDb.getParent())) {
            assertTrue("nothing put aside", files.noneMatch(f -> f.getFileName().toString().contains("restor")));
        }

        // a stopped platform: the distribution's script, configuration and jars, with a store of its own to replace
        Path stopped = Paths.get("target", "security-restored").toAbsolutePath();
        Distribution.run(new ProcessBuilder("rm", "-rf", stopped.toString()));
        for (String part : new String[] {"bin", "etc", "system/com/h2database", "system/org/aiflow/org.aiflow.storage.h2"}) {
            Files.createDirectories(stopped.resolve(part).getParent());
            Distribution.run(new ProcessBuilder("cp", "-r", home.resolve(part).toString(), stopped.resolve(part).toString()));
        }
        Path oldDb = Files.createDirectories(stopped.resolve("data/aiflow/h2")).resolve("aiflow.mv.db");
        Files.writeString(oldDb, "the store before the restore");
        Console restore = script(stopped.resolve("bin/aiflow-restore"), zip);
        System.out.println("bin/aiflow-restore on the stopped copy -> exit " + restore.exit + ": " + restore.output.strip());
        assertEquals(restore.output, 0, restore.exit);
        try (var files = Files.list(oldDb.getParent())) {
            assertTrue("the old store kept aside", files.anyMatch(f -> f.getFileName().toString().startsWith("aiflow.mv.db.before-restore-")));
        }
        try (EmbeddedH2 db = EmbeddedH2.open(stopped.resolve("data/aiflow/h2/aiflow"),
                new EmbeddedH2.Settings(2, 0, 1000, "", false))) {
            JdbcStorage storage = JdbcStorage.open(db.dataSource());
            List<Event> restored = storage.eventStore().list(new EventQuery(List.of("backup"), List.of("k1", "k2"), null, null, 0, null, null,
                    null, 100));
            assertEquals("events with their versions", published.stream().map(e -> e.version() + " " + e.key() + "=" + e.value()).toList(),
                    restored.stream().map(e -> e.version() + " " + e.key() + "=" + e.value()).toList());
            assertEquals(published.get(0).version(), storage.eventStore().findSubscription("backup-indexer").orElseThrow().cursor());
            assertEquals("file:/models/churn/1", storage.metadataStore().findModelVersion("backup", "churn", 1).orElseThrow().uri());
            assertTrue(storage.schedulerStore().findWorkflow("backup", "kept-wf").isPresent());
        }
    }

    /** What a {@code bin/client -b} run or a script printed (stdout and stderr) and its exit status. */
    private record Console(int exit, String output) {
    }

    /** One command through {@code bin/client -b}, as a script runs it. */
    private static Console console(String user, String password, String command) throws Exception {
        Process client = new ProcessBuilder(home.resolve("bin/client").toString(), "-u", user, "-p", password, "-r", "30", "-b")
                .redirectErrorStream(true).start();
        client.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().close();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("bin/client ended", client.waitFor(60, TimeUnit.SECONDS));
        return new Console(client.exitValue(), output);
    }

    private static Console script(Path script, Path argument) throws Exception {
        ProcessBuilder b = new ProcessBuilder(script.toString(), argument.toString()).redirectErrorStream(true);
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = b.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(script + " ended", p.waitFor(60, TimeUnit.SECONDS));
        return new Console(p.exitValue(), output);
    }

    // ------------------------------------------------------------------ helpers

    private static String workflow(String namespace, String name, String command) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode w = JSON.createObjectNode().put("namespace", namespace).put("name", name);
        com.fasterxml.jackson.databind.node.ObjectNode task = w.putArray("tasks").addObject().put("name", "t").put("kind", "BATCH");
        task.putObject("job").put("runnerType", "process").putObject("config").put("command", command);
        return JSON.writeValueAsString(w);
    }

    private static String event(String namespace, String key) {
        return "{\"namespace\":\"" + namespace + "\",\"key\":\"" + key + "\"}";
    }

    private static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        HttpResponse<String> r = send(method, path, body, basic("admin"));
        assertTrue(method + " " + path + " as admin: " + r.statusCode() + " " + r.body(), r.statusCode() < 300);
        return r;
    }

    /** A call as a browser-less client does it: JSON body, or X-Requested-By when there is none. */
    private static HttpResponse<String> send(String method, String path, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body == null || body.isEmpty()) {
            b.header("X-Requested-By", "itest").method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        if (path.startsWith("events/stream")) {
            b.header("Accept", "text/event-stream");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user) {
        String password = user.equals("admin") ? Distribution.ADMIN_PASSWORD : null;
        for (String[] u : USERS) {
            if (u[0].equals(user)) {
                password = u[1];
            }
        }
        return "Basic " + b64(user + ":" + password);
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private static void assertProblem(HttpResponse<String> r, String code) throws Exception {
        assertTrue(r.headers().firstValue("Content-Type").orElse("") + ": " + r.body(),
                r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertEquals(r.body(), code, JSON.readTree(r.body()).get("code").asText());
    }
}
