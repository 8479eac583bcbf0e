package org.aiflow.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.aiflow.api.error.ValidationException;
import org.junit.jupiter.api.Test;

class NamespaceRuleSpecTest {
    private static NamespaceRuleSpec parse(String spec) {
        return NamespaceRuleSpec.parse("test", spec, Set.of("age", "count", "size"), "age=, count= or size=");
    }

    @Test
    void readsAgesNumbersAndSizes() {
        NamespaceRuleSpec rule = parse(" ml  AGE=7d,count=100 size=2g");
        assertThat(rule.namespace()).isEqualTo("ml");
        assertThat(rule.age("age")).isEqualTo(Duration.ofDays(7));
        assertThat(rule.number("count")).isEqualTo(100L);
        assertThat(rule.size("size")).isEqualTo(2L << 30);
        assertThat(parse("* age=90s").age("age")).isEqualTo(Duration.ofSeconds(90));
        assertThat(parse("* age=5m").age("age")).isEqualTo(Duration.ofMinutes(5));
        assertThat(parse("* size=12k").size("size")).isEqualTo(12L << 10);
        assertThat(parse("* size=3").size("size")).isEqualTo(3L);
        assertThat(parse("* age=1h").number("count")).isNull();
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> parse("ml")).isInstanceOf(ValidationException.class).hasMessage("test rule 'ml' needs age=, count= or size=");
        assertThatThrownBy(() -> parse("ml colour=red")).hasMessageContaining("unknown part 'colour=red'");
        assertThatThrownBy(() -> parse("ml age")).hasMessageContaining("unknown part 'age'");
        assertThatThrownBy(() -> parse("ml age=1d age=2d")).hasMessageContaining("'age' is given twice");
        assertThatThrownBy(() -> parse("bad/ns age=1d")).hasMessageContaining("test namespace 'bad/ns' is invalid");
        assertThatThrownBy(() -> parse("ml age=7w").age("age")).hasMessageContaining("age unit must be s, m, h or d");
        assertThatThrownBy(() -> parse("ml age=d").age("age")).hasMessageContaining("bad age 'd'");
        assertThatThrownBy(() -> parse("ml count=-1").number("count")).hasMessageContaining("'-1' is not a non-negative number");
        assertThatThrownBy(() -> parse("ml count=1.5").number("count")).hasMessageContaining("'1.5' is not a non-negative number");
        assertThatThrownBy(() -> parse("ml size=99999999999g").size("size")).hasMessageContaining("too large");
    }

    @Test
    void aNamespacesOwnRuleBeatsTheRuleForAny() {
        List<NamespaceRuleSpec> rules = List.of(parse("* age=30d"), parse("ml age=7d"));
        assertThat(NamespaceRuleSpec.forNamespace(rules, NamespaceRuleSpec::namespace, "ml").age("age")).isEqualTo(Duration.ofDays(7));
        assertThat(NamespaceRuleSpec.forNamespace(rules, NamespaceRuleSpec::namespace, "other").age("age")).isEqualTo(Duration.ofDays(30));
        assertThat(NamespaceRuleSpec.forNamespace(List.of(parse("ml age=7d")), NamespaceRuleSpec::namespace, "other")).isNull();
    }
}
