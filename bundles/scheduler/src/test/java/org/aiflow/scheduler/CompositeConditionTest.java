package org.aiflow.scheduler;

import static org.aiflow.scheduler.ConditionFixtures.context;
import static org.aiflow.scheduler.ConditionFixtures.event;
import static org.aiflow.scheduler.ConditionFixtures.statusEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.spi.condition.ConditionContext;
import org.aiflow.api.spi.condition.ConditionResult;
import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.junit.jupiter.api.Test;

/** The built-in {@code all-of} and {@code any-of} conditions on their own, over the built-in types in memory. */
class CompositeConditionTest {
    private final PluginRegistry<ConditionType> types = ConditionFixtures.builtInConditions();
    private final ConditionType allOf = types.get("all-of").orElseThrow();
    private final ConditionType anyOf = types.get("any-of").orElseThrow();
    private final ConditionContext ctx = context(5);

    private static Map<String, Object> child(String type, Map<String, Object> config) {
        return Map.of("type", type, "config", config);
    }

    private static Map<String, Object> onKey(String key) {
        return child("event", Map.of("key", key));
    }

    private static Map<String, Object> conditions(Object... children) {
        return Map.of("conditions", List.of(children));
    }

    /** Feeds events one by one as the scheduler does: each evaluation starts from the state the previous one returned. */
    private static final class Rule0 {
        private final ConditionType type;
        private final Map<String, Object> config;
        private final ConditionContext ctx;
        Map<String, String> state = Map.of();

        Rule0(ConditionType type, Map<String, Object> config, ConditionContext ctx) {
            type.validate(config);
            this.type = type;
            this.config = config;
            this.ctx = ctx;
        }

        boolean on(Event e) {
            ConditionResult r = type.evaluate(config, e, new HashMap<>(state), ctx);
            state = r.state();
            return r.fired();
        }

        boolean onKey(String key) {
            return on(event(1, key, ""));
        }
    }

    // --- configuration -----------------------------------------------------------------------

    @Test
    void needsANonEmptyListOfConditionsAndNothingElse() {
        assertThatThrownBy(() -> allOf.validate(Map.of())).isInstanceOf(ValidationException.class)
                .hasMessage("all-of condition needs a non-empty list 'conditions'");
        assertThatThrownBy(() -> anyOf.validate(Map.of("conditions", List.of())))
                .hasMessage("any-of condition needs a non-empty list 'conditions'");
        assertThatThrownBy(() -> allOf.validate(Map.of("conditions", onKey("k"))))
                .as("one condition, not a list").hasMessage("all-of condition needs a non-empty list 'conditions'");
        assertThatThrownBy(() -> allOf.validate(Map.of("conditions", List.of(onKey("k")), "mode", "x")))
                .hasMessage("all-of condition has unknown field 'mode' (allowed: [conditions])");
    }

    @Test
    void eachChildNeedsAnInstalledTypeAndAnObjectConfig() {
        assertThatThrownBy(() -> allOf.validate(conditions("event")))
                .hasMessage("all-of condition: each of 'conditions' needs a 'type' and a 'config'");
        assertThatThrownBy(() -> allOf.validate(conditions(Map.of("config", Map.of("key", "k")))))
                .hasMessage("all-of condition: each of 'conditions' needs a 'type' and a 'config'");
        assertThatThrownBy(() -> anyOf.validate(conditions(Map.of("type", "event", "config", "k"))))
                .hasMessage("any-of condition: the 'config' of a 'event' child must be an object");
        assertThatThrownBy(() -> anyOf.validate(conditions(child("cron", Map.of()))))
                .hasMessage("any-of condition: condition type 'cron' is not installed (installed: [all-of, any-of, event, status])");
        anyOf.validate(conditions(Map.of("type", "status", "config", Map.of("task", "a")), Map.of("type", "event", "config", Map.of("key", "k"))));
    }

    @Test
    void childrenAreValidatedByTheirTypeAlsoWhenNested() {
        assertThatThrownBy(() -> allOf.validate(conditions(child("event", Map.of()))))
                .hasMessage("event condition needs a 'key' ('*' matches any key)");
        assertThatThrownBy(() -> allOf.validate(conditions(onKey("k"), child("any-of", conditions(child("status", Map.of("task", "a", "status", "DONE")))))))
                .hasMessageContaining("'DONE' is not a task status");
        assertThatThrownBy(() -> allOf.validate(conditions(child("any-of", Map.of("conditions", List.of())))))
                .hasMessage("any-of condition needs a non-empty list 'conditions'");
    }

    @Test
    void childrenAreValidatedAgainstTheWorkflow() {
        WorkflowDefinition wf = new WorkflowDefinition(null, "wf", null,
                List.of(new TaskDefinition("a", TaskKind.BATCH, new JobSpec("process", Map.of()), List.of())));
        allOf.validate(conditions(child("status", Map.of("task", "a"))), wf);
        assertThatThrownBy(() -> allOf.validate(conditions(onKey("k"), child("any-of", conditions(child("status", Map.of("task", "zz"))))), wf))
                .hasMessage("status condition names task 'zz', which is not a task of workflow 'wf'");
    }

    // --- any-of -----------------------------------------------------------------------------

    @Test
    void anyOfFiresOnAnEventThatFiresAnyChild() {
        Rule0 rule = new Rule0(anyOf, conditions(onKey("a"), onKey("b")), ctx);
        assertThat(rule.onKey("a")).isTrue();
        assertThat(rule.onKey("b")).isTrue();
        assertThat(rule.onKey("c")).isFalse();
        assertThat(rule.onKey("a")).isTrue();
        assertThat(rule.state).isEmpty();
    }

    @Test
    void anyOfKeepsEachChildsStateUnderItsIndex() {
        Rule0 rule = new Rule0(anyOf, conditions(onKey("a"), child("event", Map.of("key", "b", "life", "ONCE"))), ctx);
        assertThat(rule.on(event(31, "b", ""))).isTrue();
        assertThat(rule.state).isEqualTo(Map.of("1.firedAtVersion", "31"));
        assertThat(rule.onKey("b")).as("the ONCE child has fired").isFalse();
        assertThat(rule.onKey("a")).isTrue();
        assertThat(rule.state).isEqualTo(Map.of("1.firedAtVersion", "31"));
    }

    // --- all-of -----------------------------------------------------------------------------

    @Test
    void allOfRemembersWhichChildrenFiredAndFiresOnTheEventThatCompletesTheSet() {
        Rule0 rule = new Rule0(allOf, conditions(onKey("a"), onKey("b"), onKey("c")), ctx);
        assertThat(rule.onKey("a")).isFalse();
        assertThat(rule.state).isEqualTo(Map.of("0!", "1"));
        assertThat(rule.onKey("a")).as("the same child twice").isFalse();
        assertThat(rule.onKey("x")).isFalse();
        assertThat(rule.onKey("c")).isFalse();
        assertThat(rule.state).isEqualTo(Map.of("0!", "1", "2!", "1"));
        assertThat(rule.onKey("b")).isTrue();
    }

    @Test
    void allOfStartsAgainFromNoneAfterFiring() {
        Rule0 rule = new Rule0(allOf, conditions(onKey("a"), onKey("b")), ctx);
        rule.onKey("a");
        assertThat(rule.onKey("b")).isTrue();
        assertThat(rule.state).isEmpty();
        assertThat(rule.onKey("b")).as("b again: a must fire again first").isFalse();
        assertThat(rule.onKey("a")).isTrue();
    }

    @Test
    void allOfFiresAtOnceOnAnEventThatFiresEveryChild() {
        Rule0 rule = new Rule0(allOf, conditions(onKey("a*"), onKey("*z")), ctx);
        assertThat(rule.onKey("a-z")).isTrue();
        assertThat(rule.state).isEmpty();
    }

    @Test
    void allOfReadsWhatFiredFromThePersistedStateOnly() {
        Map<String, Object> config = conditions(onKey("a"), onKey("b"));
        allOf.validate(config);
        ConditionResult afterA = allOf.evaluate(config, event(1, "a", ""), Map.of(), ctx);
        // a restart: a fresh instance, the state as it was stored
        ConditionType restarted = ConditionFixtures.builtInConditions().get("all-of").orElseThrow();
        assertThat(restarted.evaluate(config, event(2, "b", ""), Map.copyOf(afterA.state()), ctx).fired()).isTrue();
        assertThat(allOf.evaluate(config, event(2, "b", ""), Map.of(), ctx).fired()).as("the same event without that state").isFalse();
    }

    @Test
    void allOfOfStatusConditionsIsWhatStartAfterMeans() {
        TaskDefinition load = new TaskDefinition("load", TaskKind.BATCH, new JobSpec("process", Map.of()), List.of(), List.of("x", "y"), null);
        Rule startAfter = load.effectiveRules().get(0);
        ConditionType type = types.get(startAfter.condition().type()).orElseThrow();
        Map<String, Object> config = startAfter.condition().config();
        type.validate(config);
        Map<String, String> state = Map.of();
        ConditionResult r = type.evaluate(config, statusEvent(1, 5, "default", "wf", "x", TaskStatus.SUCCESS), state, ctx);
        assertThat(r.fired()).isFalse();
        r = type.evaluate(config, statusEvent(2, 6, "default", "wf", "y", TaskStatus.SUCCESS), r.state(), ctx);
        assertThat(r.fired()).as("y succeeded in another execution").isFalse();
        r = type.evaluate(config, statusEvent(3, 5, "default", "wf", "y", TaskStatus.FAILED), r.state(), ctx);
        assertThat(r.fired()).isFalse();
        r = type.evaluate(config, statusEvent(4, 5, "default", "wf", "y", TaskStatus.SUCCESS), r.state(), ctx);
        assertThat(r.fired()).isTrue();
    }

    @Test
    void aOnceChildOfAllOfKeepsItsOwnStateWhenTheSetResets() {
        Rule0 rule = new Rule0(allOf, conditions(child("event", Map.of("key", "a", "life", "ONCE")), onKey("b")), ctx);
        assertThat(rule.on(event(11, "a", ""))).isFalse();
        assertThat(rule.state).isEqualTo(Map.of("0!", "1", "0.firedAtVersion", "11"));
        assertThat(rule.onKey("b")).isTrue();
        assertThat(rule.state).isEqualTo(Map.of("0.firedAtVersion", "11"));
        assertThat(rule.onKey("a")).as("ONCE: fired already in this execution").isFalse();
        assertThat(rule.onKey("b")).isFalse();
    }

    // --- nesting ----------------------------------------------------------------------------

    @Test
    void allOfOverAnyOf() {
        Rule0 rule = new Rule0(allOf, conditions(onKey("a"), child("any-of", conditions(onKey("b"), onKey("c")))), ctx);
        assertThat(rule.onKey("c")).isFalse();
        assertThat(rule.onKey("a")).isTrue();
        assertThat(rule.onKey("a")).isFalse();
        assertThat(rule.onKey("b")).isTrue();
    }

    @Test
    void anyOfOverAllOf() {
        Rule0 rule = new Rule0(anyOf, conditions(onKey("a"), child("all-of", conditions(onKey("b"), onKey("c")))), ctx);
        assertThat(rule.onKey("b")).isFalse();
        assertThat(rule.state).isEqualTo(Map.of("1.0!", "1"));
        assertThat(rule.onKey("a")).as("the other child; the nested set is kept").isTrue();
        assertThat(rule.state).isEqualTo(Map.of("1.0!", "1"));
        assertThat(rule.onKey("c")).isTrue();
        assertThat(rule.state).isEmpty();
        assertThat(rule.onKey("c")).isFalse();
    }

    @Test
    void aNestedAllOfKeepsItsOwnProgressWhenTheOuterSetResets() {
        // outer all-of [a, all-of [b, c]]
        Rule0 rule = new Rule0(allOf, conditions(onKey("a"), child("all-of", conditions(onKey("b"), onKey("c")))), ctx);
        assertThat(rule.onKey("b")).isFalse();
        assertThat(rule.onKey("c")).as("the inner set is complete, a is missing").isFalse();
        assertThat(rule.onKey("b")).as("b again: the inner condition starts its next set with b").isFalse();
        assertThat(rule.onKey("a")).isTrue();
        assertThat(rule.state).as("the outer set starts from none; the inner one remembers b").isEqualTo(Map.of("1.0!", "1"));
        assertThat(rule.onKey("c")).isFalse();
        assertThat(rule.onKey("a")).as("inner completed by c (b remembered), then a").isTrue();
    }

    @Test
    void deeplyNestedStateIsPrefixedByEachLevel() {
        Rule0 rule = new Rule0(allOf, conditions(onKey("a"),
                child("any-of", conditions(onKey("x"), child("all-of", conditions(onKey("b"), child("event", Map.of("key", "c", "life", "ONCE"))))))), ctx);
        assertThat(rule.on(event(50, "c", ""))).isFalse();
        assertThat(rule.state).isEqualTo(Map.of("1.1.1!", "1", "1.1.1.firedAtVersion", "50"));
        assertThat(rule.onKey("b")).isFalse();
        assertThat(rule.state).isEqualTo(Map.of("1!", "1", "1.1.1.firedAtVersion", "50"));
        assertThat(rule.onKey("a")).isTrue();
        assertThat(rule.state).isEqualTo(Map.of("1.1.1.firedAtVersion", "50"));
    }

    @Test
    void aChildsStateKeysEndingInTheMarkAreTheChilds() {
        // a plugin condition whose state key happens to end in '!' (the all-of's mark for "fired")
        ConditionType counter = new ConditionType() {
            @Override
            public void validate(Map<String, Object> config) {
            }

            @Override
            public ConditionResult evaluate(Map<String, Object> config, Event e, Map<String, String> state) {
                int seen = Integer.parseInt(state.getOrDefault("seen!", "0")) + 1;
                return new ConditionResult(e.key().equals("c"), Map.of("seen!", Integer.toString(seen)));
            }
        };
        types.add(counter, Map.of(ConditionType.TYPE_PROPERTY, "counter"));
        Rule0 rule = new Rule0(allOf, conditions(child("counter", Map.of()), onKey("a")), ctx);
        assertThat(rule.onKey("c")).isFalse();
        assertThat(rule.onKey("a")).isTrue();
        assertThat(rule.state).isEqualTo(Map.of("0.seen!", "2"));
        assertThat(rule.onKey("x")).isFalse();
        assertThat(rule.state).isEqualTo(Map.of("0.seen!", "3"));
    }

    // --- mayReact and childSpecs ------------------------------------------------------------

    @Test
    void mayReactIfAnyChildMay() {
        Map<String, Object> config = conditions(onKey("a"), child("any-of", conditions(child("status", Map.of("task", "t")))));
        assertThat(allOf.mayReact(config, event(1, "a", ""))).isTrue();
        assertThat(anyOf.mayReact(config, statusEvent(1, 5, "default", "wf", "t", TaskStatus.SUCCESS))).isTrue();
        assertThat(allOf.mayReact(config, event(1, "b", ""))).isFalse();
        assertThat(anyOf.mayReact(config, statusEvent(1, 5, "default", "wf", "u", TaskStatus.SUCCESS))).isFalse();
    }

    @Test
    void childSpecsReadsStoredCompositesAndNothingElse() {
        ConditionSpec composite = new ConditionSpec("any-of", Map.of("conditions", List.of(onKey("a"), Map.of("type", "status", "config", Map.of("task", "t")))));
        assertThat(CompositeCondition.childSpecs(composite)).contains(List.of(
                new ConditionSpec("event", Map.of("key", "a")), new ConditionSpec("status", Map.of("task", "t"))));
        List<Object> noConfig = new ArrayList<>();
        noConfig.add(Map.of("type", "event"));
        assertThat(CompositeCondition.childSpecs(new ConditionSpec("all-of", Map.of("conditions", noConfig))))
                .contains(List.of(new ConditionSpec("event", Map.of())));
        assertThat(CompositeCondition.childSpecs(new ConditionSpec("event", Map.of("key", "a")))).isEmpty();
        assertThat(CompositeCondition.childSpecs(new ConditionSpec("all-of", Map.of("conditions", "x")))).isEmpty();
        assertThat(CompositeCondition.childSpecs(new ConditionSpec("all-of", Map.of("conditions", List.of("event"))))).isEmpty();
        assertThat(CompositeCondition.childSpecs(new ConditionSpec("all-of", Map.of("conditions", List.of(Map.of("type", "event", "config", 3))))))
                .isEmpty();
    }
}
