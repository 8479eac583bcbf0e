package org.aiflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UI servlet over the files the build put in target/classes (the app and the WebJar files). */
class WebUiServletTest {
    private static final Libraries LIBRARIES = Libraries.parse("dagre=0.8.4/dist, uplot=1.6.30/dist,swagger-ui=5.35.0");
    private final WebUiServlet servlet = new WebUiServlet(new StaticFiles(WebUiServletTest.class.getClassLoader(), LIBRARIES, null));

    @Test
    void theAppsPagesAnswerIndexHtmlSoDeepLinksAndReloadsWork() throws Exception {
        for (String page : new String[] {"/", "/workflows/default/hello-world", "/events", "/models/default/churn-lr", "/tasks/12",
                "/models/default/bert.base", "/models/default/50%off", "/models/default/a b?c", "/models/default/ünï-模型", "/workflows/",
                "/events/", "/executions/-1", "/models/default/x.js"}) {
            Answer a = get(page);
            assertThat(a.status).as(page).isEqualTo(200);
            assertThat(a.headers.get("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(a.text()).contains("<base href=\"/aiflow/\">", "js/app.js");
            assertThat(a.headers.get("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe-eval");
            assertThat(a.headers).containsEntry("X-Content-Type-Options", "nosniff").containsEntry("X-Frame-Options", "DENY");
        }
    }

    @Test
    void theServletKnowsThePagesTheAppRoutes() throws Exception {
        String app;
        try (var in = WebUiServletTest.class.getClassLoader().getResourceAsStream("ui/js/app.js")) {
            app = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        java.util.Set<String> routed = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[/\\^([a-z]+)").matcher(app);
        while (m.find()) {
            routed.add(m.group(1));
        }
        assertThat(routed).isEqualTo(new java.util.TreeSet<>(StaticFiles.PAGES));
        for (String unknown : new String[] {"/etc/passwd", "/nosuch", "/aiflow", "/v2/events", "/Workflows"}) {
            assertThat(get(unknown).status).as(unknown).isEqualTo(404);
        }
    }

    @Test
    void assetsAndLibrariesAreServedWithTheirTypes() throws Exception {
        assertThat(get("/js/app.js").headers.get("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(get("/app.css").headers.get("Content-Type")).isEqualTo("text/css; charset=utf-8");
        Answer dagre = get("/lib/dagre/dagre.min.js");
        assertThat(dagre.status).isEqualTo(200);
        assertThat(dagre.body.length).isGreaterThan(100_000);
        assertThat(get("/lib/uplot/uPlot.iife.min.js").text()).contains("uPlot");
        assertThat(get("/lib/uplot/uPlot.min.css").headers.get("Content-Type")).startsWith("text/css");
        assertThat(get("/lib/swagger-ui/swagger-ui-bundle.js").status).isEqualTo(200);
        assertThat(get("/api-docs/").text()).contains("swagger-ui");
    }

    @Test
    void unknownFilesAndPathTricksAre404ProblemsNotTheApp() throws Exception {
        for (String path : new String[] {"/js/nothere.js", "/../pom.xml", "/js/../../META-INF/MANIFEST.MF", "/lib/dagre/../../../org/aiflow/web/WebUiServlet.class",
                "/lib/nolib/x.js", "/lib/dagre/", "/.hidden", "/js/.%2e/x.js", "/a\\b.js", "/org/aiflow/web/WebUiServlet.class", "/x\u0000.js",
                "/" + "a/".repeat(20) + "x.js", "/js/"}) {
            Answer a = get(path);
            assertThat(a.status).as(path).isEqualTo(404);
            assertThat(a.headers.get("Content-Type")).as(path).isEqualTo("application/problem+json");
            assertThat(a.text()).as(path).startsWith("{\"type\":\"urn:aiflow:problem:not_found\",\"title\":\"Not Found\",\"status\":404,")
                    .contains("\"code\":\"not_found\"");
        }
    }

    @Test
    void theApiPathsAreNeverTheApp() throws Exception {
        // reaching this servlet means the API's own servlet is not published (yet)
        // (the container's 404, which the API's guard answers as "not published": /health 200, else 503)
        for (String path : new String[] {"/v1", "/v1/events", "/v1/health", "/v1/health/ready"}) {
            Answer a = get(path);
            assertThat(a.status).as(path).isEqualTo(404);
            assertThat(a.headers).as(path).containsEntry("sendError", "404");
            assertThat(a.body).as(path).isEmpty();
        }
        assertThat(request("POST", "/v1/events", null).headers).containsEntry("sendError", "404");
    }

    @Test
    void onlyGetAndHead() throws Exception {
        Answer post = request("POST", "/", null);
        assertThat(post.status).isEqualTo(405);
        assertThat(post.headers.get("Allow")).isEqualTo("GET, HEAD");
        Answer head = request("HEAD", "/js/app.js", null);
        assertThat(head.status).isEqualTo(200);
        assertThat(head.body).isEmpty();
    }

    @Test
    void theBaseAndApiDocsWithoutSlashRedirect() throws Exception {
        Answer a = get("");
        assertThat(a.status).isEqualTo(301);
        assertThat(a.headers.get("Location")).isEqualTo("/aiflow/");
        assertThat(get("/api-docs").headers.get("Location")).isEqualTo("/aiflow/api-docs/");
    }

    @Test
    void anUnchangedFileIsA304ByItsEntityTag() throws Exception {
        Answer first = get("/js/app.js");
        String etag = first.headers.get("ETag");
        assertThat(etag).startsWith("\"").endsWith("\"");
        assertThat(first.headers.get("Cache-Control")).isEqualTo("no-cache");
        Answer again = request("GET", "/js/app.js", etag);
        assertThat(again.status).isEqualTo(304);
        assertThat(again.body).isEmpty();
        assertThat(request("GET", "/js/app.js", "\"other\"").status).isEqualTo(200);
    }

    @Test
    void aDevelopmentDirectoryIsReadAtEveryRequest(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("ui"));
        Files.writeString(dir.resolve("ui/index.html"), "one");
        WebUiServlet dev = new WebUiServlet(new StaticFiles(WebUiServletTest.class.getClassLoader(), LIBRARIES, dir));
        assertThat(call(dev, "GET", "/events", null).text()).isEqualTo("one");
        Files.writeString(dir.resolve("ui/index.html"), "two");
        assertThat(call(dev, "GET", "/events", null).text()).isEqualTo("two");
        assertThat(call(dev, "GET", "/lib/dagre/dagre.min.js", null).status).isEqualTo(200); // libraries still from the bundle
    }

    @Test
    void librariesHeader() {
        assertThat(LIBRARIES.version("uplot")).isEqualTo("1.6.30/dist");
        assertThat(LIBRARIES.version("jquery")).isNull();
        assertThat(Libraries.parse(null).versions()).isEmpty();
    }

    // ---------------------------------------------------------------- a request without a container

    record Answer(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private Answer get(String path) throws Exception {
        return request("GET", path, null);
    }

    private Answer request(String method, String path, String ifNoneMatch) throws Exception {
        return call(servlet, method, path, ifNoneMatch);
    }

    private static Answer call(WebUiServlet servlet, String method, String path, String ifNoneMatch) throws Exception {
        Map<String, String> headers = new HashMap<>();
        int[] status = {200};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }

            @Override
            public void write(int b) {
                body.write(b);
            }
        };
        HttpServletRequest req = (HttpServletRequest) Proxy.newProxyInstance(WebUiServletTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getPathInfo" -> path.isEmpty() ? null : path;
                    case "getRequestURI" -> "/aiflow" + path;
                    case "getHeader" -> "If-None-Match".equalsIgnoreCase((String) args[0]) ? ifNoneMatch : null;
                    default -> null;
                });
        HttpServletResponse resp = (HttpServletResponse) Proxy.newProxyInstance(WebUiServletTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> {
                    switch (m.getName()) {
                        case "setStatus" -> status[0] = (Integer) args[0];
                        case "sendError" -> {
                            status[0] = (Integer) args[0];
                            headers.put("sendError", String.valueOf(args[0]));
                        }
                        case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                        case "setContentType" -> headers.put("Content-Type", (String) args[0]);
                        case "setContentLength" -> headers.put("Content-Length", String.valueOf(args[0]));
                        case "getOutputStream" -> {
                            return out;
                        }
                        default -> {
                        }
                    }
                    return null;
                });
        servlet.service(req, resp);
        return new Answer(status[0], headers, body.toByteArray());
    }
}
