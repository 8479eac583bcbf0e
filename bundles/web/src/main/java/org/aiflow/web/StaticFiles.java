package org.aiflow.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Maps request paths to the files of the bundle: {@code /lib/<library>/<file>} to the WebJar files
 * the build copied in ({@code META-INF/resources/webjars/<library>/<version>[/dist]/<file>}), anything else to
 * {@code ui/}. A path of one of the app's pages (no file extension, first segment one of
 * {@link #PAGES}) answers {@code ui/index.html}; {@code /api-docs/} answers Swagger UI's page. Only plain names are
 * accepted (letters, digits, {@code . _ -} and {@code /}, no dot segments): what the servlet
 * container decoded cannot climb out of those folders. Files are read once and kept (the bundle's
 * content does not change while it runs; about 2.6 MB in all).
 */
final class StaticFiles {
    private static final Pattern SAFE = Pattern.compile("(/[A-Za-z0-9_][A-Za-z0-9._-]{0,127}){1,12}/?");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("map", "application/json"));

    /** The first path segments of the app's pages: the routes of {@code ui/js/app.js} (WebUiServletTest keeps the two equal). */
    static final Set<String> PAGES = Set.of("workflows", "executions", "tasks", "events", "models", "datasets", "artifacts",
            "metrics", "subscriptions", "signin");

    private final ClassLoader loader;
    private final Libraries libraries;
    private final Path devDirectory;
    private final Map<String, Resolved> cache = new ConcurrentHashMap<>();

    /**
     * @param devDirectory null, or a folder whose {@code ui/} is served instead of the bundle's and
     *        read at every request (for working on the UI: {@code -Daiflow.web.devDirectory=.../src/main/resources})
     */
    StaticFiles(ClassLoader loader, Libraries libraries, Path devDirectory) {
        this.loader = loader;
        this.libraries = libraries;
        this.devDirectory = devDirectory;
    }

    /** A file to send: its bytes, type and entity tag. */
    record Resolved(byte[] bytes, String contentType, String etag) {
    }

    /** The file for the request path (the part after {@code /aiflow}), or null if there is none. */
    Resolved resolve(String path) {
        String resource;
        if (isPage(path)) {
            // any name the API accepts may be in a page's path (spaces, %, dots, non-ASCII): the page is index.html
            resource = "ui/index.html";
        } else if (!SAFE.matcher(path).matches() || path.contains("/.")) {
            return null;
        } else {
            resource = resourceName(path);
        }
        if (resource == null) {
            return null;
        }
        if (devDirectory != null && resource.startsWith("ui/")) {
            Path file = devDirectory.resolve(resource);
            try {
                return Files.isRegularFile(file) ? resolved(resource, Files.readAllBytes(file)) : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cache.computeIfAbsent(resource, this::load);
    }

    /** Whether the path is one of the app's pages: {@code /}, or its first segment is one of {@link #PAGES}. */
    static boolean isPage(String path) {
        if (path.equals("/")) {
            return true;
        }
        int end = path.indexOf('/', 1);
        return path.startsWith("/") && PAGES.contains(end < 0 ? path.substring(1) : path.substring(1, end));
    }

    /** The class-path name of a file (not a page) for a request path of plain names, or null. */
    String resourceName(String path) {
        if (path.startsWith("/lib/")) {
            String rest = path.substring("/lib/".length());
            int slash = rest.indexOf('/');
            if (slash <= 0) {
                return null;
            }
            String folder = libraries.version(rest.substring(0, slash));
            String file = rest.substring(slash);
            return folder == null || file.endsWith("/") ? null
                    : "META-INF/resources/webjars/" + rest.substring(0, slash) + "/" + folder + file;
        }
        if (path.equals("/api-docs/")) {
            return "ui/api-docs/index.html";
        }
        // not a page (those are answered before): a file of the app; anything else is a 404, so a
        // wrong link, or ../ out of the API, is not answered with a page
        return path.endsWith("/") ? null : "ui" + path;
    }

    private Resolved load(String resource) {
        URL url = loader.getResource(resource);
        if (url == null) {
            return null;
        }
        try (InputStream in = url.openStream()) {
            return resolved(resource, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Resolved resolved(String resource, byte[] bytes) {
        try {
            String ext = resource.substring(resource.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            String type = TYPES.getOrDefault(ext, "application/octet-stream");
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new Resolved(bytes, type, "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The path as it may be shown in a message: at most 200 characters, control characters as '?'. */
    static String printable(String path) {
        String p = path.length() > 200 ? path.substring(0, 200) + "..." : path;
        StringBuilder b = new StringBuilder(p.length());
        p.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '<' -> b.append("\\u003c");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
