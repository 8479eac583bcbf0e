package org.aiflow.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Manifest;

/**
 * The front-end libraries in this bundle: the folder of each in its WebJar (its version, and
 * {@code /dist} where the WebJar keeps the built files there), from the manifest header
 * {@code AiFlow-Web-Libraries: dagre=0.8.4/dist,uplot=1.6.30/dist,swagger-ui=5.35.0} the build writes
 * from the pom. The UI loads {@code lib/<name>/<file>}, so a library upgrade changes the pom only.
 */
record Libraries(Map<String, String> versions) {
    static final String HEADER = "AiFlow-Web-Libraries";

    Libraries {
        versions = Map.copyOf(versions);
    }

    static Libraries parse(String header) {
        Map<String, String> versions = new LinkedHashMap<>();
        if (header != null) {
            for (String entry : header.split(",")) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    versions.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
                }
            }
        }
        return new Libraries(versions);
    }

    /** The header of the manifest of the jar or bundle holding {@code type}. */
    static Libraries fromManifest(Class<?> type) {
        try {
            Enumeration<URL> manifests = type.getClassLoader().getResources("META-INF/MANIFEST.MF");
            while (manifests.hasMoreElements()) {
                try (InputStream in = manifests.nextElement().openStream()) {
                    String header = new Manifest(in).getMainAttributes().getValue(HEADER);
                    if (header != null) {
                        return parse(header);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read this bundle's manifest", e);
        }
        throw new IllegalStateException("this bundle's manifest has no " + HEADER + " header");
    }

    /** The folder of library {@code name} under its WebJar name (e.g. {@code 0.8.4/dist}), or null. */
    String version(String name) {
        return versions.get(name);
    }
}
