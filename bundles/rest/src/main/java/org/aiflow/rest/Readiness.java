package org.aiflow.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the platform needs before it is ready, by the names {@code /health/ready} reports: each part
 * is up when every service it registers is in the service registry (by objectClass name) and no
 * {@code aiflow.unavailable.reason} supplier of that name gives a reason. The org.aiflow.jetty
 * fragment answers the same question with the same names while this application is not published.
 */
final class Readiness {
    /** The parts and the services (objectClass names) each one registers, in the order they are reported. */
    static final Map<String, List<String>> PARTS = parts();
    /** The REST application itself: up whenever this code answers. */
    static final String REST = "rest";

    /** The answer: {@code missing} is empty when ready; {@code reasons} are the suppliers' texts. */
    record State(List<String> missing, List<String> reasons) {
        boolean ready() {
            return missing.isEmpty();
        }

        /** A message for people: what is missing and why, if a supplier said. */
        String message() {
            StringBuilder b = new StringBuilder("the AI Flow platform is not ready: missing ").append(String.join(", ", missing));
            for (String reason : reasons) {
                b.append("; ").append(reason);
            }
            return b.toString();
        }
    }

    private Readiness() {
    }

    private static Map<String, List<String>> parts() {
        Map<String, List<String>> parts = new LinkedHashMap<>();
        // one service hands out all stores; registered (by DS) also while it opens or when it failed to: the storage's
        // aiflow.unavailable.reason supplier says so then
        parts.put("storage", List.of("org.aiflow.api.spi.storage.StorageBackend"));
        parts.put("notification", List.of("org.aiflow.api.event.NotificationService"));
        parts.put("metadata", List.of("org.aiflow.api.metadata.MetadataService"));
        parts.put("scheduler", List.of("org.aiflow.api.scheduler.SchedulerService"));
        return java.util.Collections.unmodifiableMap(parts);
    }

    /**
     * @param registered whether a service of an objectClass name is registered
     * @param reasons    the reason of each {@code aiflow.unavailable.reason} supplier that gives one, by its name
     */
    static State check(Predicate<String> registered, Map<String, String> reasons) {
        List<String> missing = new ArrayList<>();
        PARTS.forEach((part, services) -> {
            if (!services.stream().allMatch(registered) || reasons.containsKey(part)) {
                missing.add(part);
            }
        });
        reasons.keySet().stream().filter(name -> !missing.contains(name)).forEach(missing::add);
        return new State(List.copyOf(missing), List.copyOf(reasons.values()));
    }
}
