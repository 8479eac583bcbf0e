package org.aiflow.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.aiflow.api.config.NamespaceRuleSpec;
import org.aiflow.api.error.ValidationException;

/**
 * How long one namespace keeps the log directories of its finished task executions: none older than
 * {@code maxAge} and, oldest first, none beyond {@code maxBytes} in total for the namespace. Written
 * like an event retention rule, {@code <namespace|*> age=<n><s|m|h|d> size=<n>[k|m|g]}, e.g.
 * {@code "ml age=7d size=2g"} or {@code "* age=30d size=10g"}; a namespace's own rule beats
 * {@code *}, and {@code *} applies to each other namespace separately (its own budget each). Sizes
 * are bytes, the suffixes powers of 1024. Either part may be left out, not both.
 */
record TaskLogRule(String namespace, Duration maxAge, Long maxBytes) {

    static final String ANY = NamespaceRuleSpec.ANY;

    TaskLogRule {
        if (maxAge == null && maxBytes == null) {
            throw new ValidationException("task log retention rule for '" + namespace + "' needs age=<n><s|m|h|d> and/or size=<n>[k|m|g]");
        }
    }

    /** Every non-blank spec; a namespace named twice is refused (which one would win is not obvious). */
    static List<TaskLogRule> parseAll(String[] specs) {
        List<TaskLogRule> rules = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        if (specs != null) {
            for (String spec : specs) {
                if (spec != null && !spec.isBlank()) {
                    TaskLogRule rule = parse(spec);
                    if (!seen.add(rule.namespace())) {
                        throw new ValidationException("task log retention: namespace '" + rule.namespace() + "' has two rules");
                    }
                    rules.add(rule);
                }
            }
        }
        return List.copyOf(rules);
    }

    static TaskLogRule parse(String spec) {
        NamespaceRuleSpec rule = NamespaceRuleSpec.parse("task log retention", spec, Set.of("age", "size"),
                "age=<n><s|m|h|d> and/or size=<n>[k|m|g]");
        return new TaskLogRule(rule.namespace(), rule.age("age"), rule.size("size"));
    }

    /** The rule for a namespace: its own, else the {@code *} rule, else none (keep everything). */
    static TaskLogRule forNamespace(List<TaskLogRule> rules, String namespace) {
        return NamespaceRuleSpec.forNamespace(rules, TaskLogRule::namespace, namespace);
    }
}
