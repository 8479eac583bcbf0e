package org.aiflow.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The web UI at {@code /aiflow/} and Swagger UI at {@code /aiflow/api-docs/}, as static files from
 * this bundle (the UI is a client of {@code /aiflow/v1} only), in the servlet context
 * {@link WebUiContext} at {@code /aiflow}. Paths of the single-page app (no file
 * extension, e.g. {@code /aiflow/workflows/default/hello-world}) answer {@code index.html}, so deep
 * links and reloads work; the app routes them in the browser. The API's own servlet has the longer
 * context {@code /aiflow/v1} (the JAX-RS whiteboard's) and wins while it is published; a request for it that reaches this
 * servlet means it is not published yet: it gets the container's 404, which the API's guard turns
 * into its answers for that state, never the app's page.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=/*",
        "osgi.http.whiteboard.servlet.name=aiflow-web",
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=" + WebUiContext.NAME + ")"})
public class WebUiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** Scripts only from this origin (no inline script: an injected tag cannot run); styles may be set inline (uPlot, Swagger UI). */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

    /** System property: a folder with {@code ui/} served instead of the bundle's (UI development only). */
    static final String DEV_DIRECTORY = "aiflow.web.devDirectory";

    private transient StaticFiles files;

    @Activate
    void activate() {
        String dev = System.getProperty(DEV_DIRECTORY);
        files = new StaticFiles(WebUiServlet.class.getClassLoader(), Libraries.fromManifest(WebUiServlet.class),
                dev == null || dev.isBlank() ? null : Path.of(dev));
    }

    /** For tests: serve from the given files. */
    WebUiServlet(StaticFiles files) {
        this.files = files;
    }

    public WebUiServlet() {
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String method = req.getMethod();
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (path.equals("/v1") || path.startsWith("/v1/")) {
            // the container's 404: the API's guard (bundle org.aiflow.jetty) answers it as the API not
            // published yet, with /health 200 and /health/ready 503 naming what is missing
            resp.sendError(404);
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            resp.setHeader("Allow", "GET, HEAD");
            problem(resp, 405, "method_not_allowed", "the web UI's files answer GET and HEAD only");
            return;
        }
        if (path.isEmpty() || path.equals("/api-docs")) {
            // relative links of the page resolve against its directory: /aiflow/ and /aiflow/api-docs/
            resp.setStatus(301);
            resp.setHeader("Location", req.getRequestURI() + "/");
            return;
        }
        StaticFiles.Resolved file = files.resolve(path);
        if (file == null) {
            problem(resp, 404, "not_found", "no such file: " + StaticFiles.printable(path));
            return;
        }
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setHeader("Cache-Control", "no-cache"); // revalidate with the ETag: a new build shows at once
        resp.setHeader("ETag", file.etag());
        String ifNoneMatch = req.getHeader("If-None-Match");
        if (ifNoneMatch != null && (ifNoneMatch.equals(file.etag()) || ifNoneMatch.equals("W/" + file.etag()))) {
            resp.setStatus(304);
            return;
        }
        resp.setStatus(200);
        resp.setContentType(file.contentType());
        resp.setContentLength(file.bytes().length);
        if (method.equals("GET")) {
            try (OutputStream out = resp.getOutputStream()) {
                out.write(file.bytes());
            }
        }
    }

    /** The API's problem body (RFC 9457, as docs/rest-api.md's Errors), so scripts and the app read one error format everywhere. */
    static void problem(HttpServletResponse resp, int status, String code, String message) throws IOException {
        String detail = StaticFiles.jsonEscape(message);
        String title = status == 404 ? "Not Found" : status == 405 ? "Method Not Allowed" : "Error";
        byte[] body = ("{\"type\":\"urn:aiflow:problem:" + code + "\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\",\"code\":\"" + code + "\",\"message\":\"" + detail + "\"}").getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setContentType("application/problem+json");
        resp.setContentLength(body.length);
        try (OutputStream out = resp.getOutputStream()) {
            out.write(body);
        }
    }
}
