package org.aiflow.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The API is one application: every resource and provider component of this bundle is a static,
 * mandatory reference of {@link AiflowApplication} (read from the component descriptions bnd wrote),
 * none is a whiteboard resource or extension, and {@code getSingletons()} returns them all.
 */
class ApplicationPartsTest {
    private static final Path OSGI_INF = Paths.get("target/classes/OSGI-INF");
    private static final Pattern IMPLEMENTATION = Pattern.compile("<implementation class=\"([^\"]+)\"");
    private static final Pattern REFERENCE = Pattern.compile("<reference ([^>]*)/>");

    private static Map<String, String> descriptions() throws Exception {
        try (Stream<Path> files = Files.list(OSGI_INF)) {
            return files.filter(f -> f.toString().endsWith(".xml")).collect(java.util.stream.Collectors.toMap(
                    f -> f.getFileName().toString(), f -> {
                        try {
                            return Files.readString(f);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }));
        }
    }

    @Test
    void everyResourceAndProviderIsAStaticMandatoryReferenceOfTheApplication() throws Exception {
        Set<String> parts = new TreeSet<>();
        String application = null;
        for (String xml : descriptions().values()) {
            Matcher m = IMPLEMENTATION.matcher(xml);
            assertThat(m.find()).isTrue();
            Class<?> type;
            try {
                type = Class.forName(m.group(1), false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                continue; // a description an earlier compile left behind (no clean since its class was removed)
            }
            assertThat(xml).as(type.getName()).doesNotContain("osgi.jaxrs.resource").doesNotContain("osgi.jaxrs.extension\"");
            if (type == AiflowApplication.class) {
                application = xml;
            } else if (AiflowApplication.isPart(type)) {
                parts.add(type.getName());
                assertThat(xml).as(type.getName() + " is registered under its own class only")
                        .contains("<provide interface=\"" + type.getName() + "\"/>");
            }
        }
        assertThat(application).isNotNull();
        assertThat(parts).hasSizeGreaterThanOrEqualTo(21);
        Set<String> referenced = new TreeSet<>();
        Matcher r = REFERENCE.matcher(application);
        while (r.find()) {
            String attributes = r.group(1);
            assertThat(attributes).as("static and mandatory: " + attributes).doesNotContain("policy=\"dynamic\"")
                    .doesNotContain("cardinality=\"0..").doesNotContain("cardinality=\"1..n\"");
            Matcher i = Pattern.compile("interface=\"([^\"]+)\"").matcher(attributes);
            assertThat(i.find()).isTrue();
            referenced.add(i.group(1).replace('$', '.'));
        }
        Set<String> expected = new TreeSet<>();
        parts.forEach(p -> expected.add(p.replace('$', '.')));
        Set<String> unreferenced = new TreeSet<>(expected);
        unreferenced.removeAll(referenced);
        assertThat(unreferenced).as("resource and provider components that AiflowApplication does not reference:"
                + " add a field '@Reference private <Type> <name>;' for each").isEmpty();
        assertThat(referenced).isEqualTo(expected);
    }

    @Test
    void theSingletonsAreEveryPart() throws Exception {
        AiflowApplication app = new AiflowApplication();
        assertThatThrownBy(app::activate).hasMessageContaining("health is not set");
        Object[] values = {new HealthResource(null), new JsonProvider(), new MediaTypeFilter()};
        set(app, "health", values[0]);
        set(app, "json", values[1]);
        set(app, "mediaTypes", values[2]);
        List<String> unset = new java.util.ArrayList<>();
        for (java.lang.reflect.Field f : AiflowApplication.class.getDeclaredFields()) {
            if (!java.lang.reflect.Modifier.isStatic(f.getModifiers()) && !java.lang.reflect.Modifier.isTransient(f.getModifiers())) {
                f.setAccessible(true);
                if (f.get(app) == null) {
                    unset.add(f.getName());
                }
            }
        }
        assertThatThrownBy(app::activate).hasMessageContaining(unset.get(0) + " is not set");
        // a class that is neither a resource nor a provider is refused
        assertThatThrownBy(() -> AiflowApplication.parts(new Object() {
            @SuppressWarnings("unused")
            private final Object notAPart = "text";
        })).hasMessageContaining("neither a @Path resource nor a provider");
        Object holder = new Object() {
            @SuppressWarnings("unused")
            private final Object a = values[0];
            @SuppressWarnings("unused")
            private final Object b = values[1];
        };
        assertThat(AiflowApplication.parts(holder)).containsExactly(values[0], values[1]);
    }

    private static void set(Object target, String field, Object value) throws Exception {
        java.lang.reflect.Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }
}
