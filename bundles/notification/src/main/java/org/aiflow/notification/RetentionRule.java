package org.aiflow.notification;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.aiflow.api.config.NamespaceRuleSpec;

/**
 * How long one namespace keeps its events: at most {@code maxAge} old and/or at most the newest
 * {@code maxCount}. Written as {@code <namespace|*> age=<n><s|m|h|d> count=<n>}, e.g.
 * {@code "metrics age=7d count=100000"} or {@code "* age=30d"}; a namespace's own rule beats
 * {@code *}.
 */
record RetentionRule(String namespace, Duration maxAge, Long maxCount) {

    static final String ANY = NamespaceRuleSpec.ANY;

    static List<RetentionRule> parseAll(String[] specs) {
        List<RetentionRule> rules = new ArrayList<>();
        if (specs != null) {
            for (String spec : specs) {
                if (!spec.isBlank()) {
                    rules.add(parse(spec));
                }
            }
        }
        return rules;
    }

    static RetentionRule parse(String spec) {
        NamespaceRuleSpec rule = NamespaceRuleSpec.parse("retention", spec, Set.of("age", "count"),
                "age=<n><s|m|h|d> and/or count=<n>");
        return new RetentionRule(rule.namespace(), rule.age("age"), rule.number("count"));
    }

    /** The rule for a namespace: its own, else the {@code *} rule, else none. */
    static RetentionRule forNamespace(List<RetentionRule> rules, String namespace) {
        return NamespaceRuleSpec.forNamespace(rules, RetentionRule::namespace, namespace);
    }
}
