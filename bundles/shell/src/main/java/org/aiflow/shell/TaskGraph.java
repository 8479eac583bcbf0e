package org.aiflow.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.workflow.BuiltInConditionTypes;
import org.aiflow.api.workflow.BuiltInConditionTypes.Composite;
import org.aiflow.api.workflow.BuiltInConditionTypes.Status;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.WorkflowDefinition;

/**
 * A workflow's tasks drawn as a tree for the terminal, one line per task: tasks that start with
 * the execution first, then the ones waiting for a rule; a task that waits for another task of
 * its execution ({@code startAfter}, or a rule whose condition config names a {@code task}, such
 * as a {@code status} condition, also inside {@code all-of}/{@code any-of}) is drawn under the
 * first task it waits for, with an arrow. A condition names a task, another workflow and children
 * with the built-in conditions' keys ({@link Status#TASK}, {@link Status#WORKFLOW},
 * {@link Composite#CONDITIONS}), whatever its type.
 */
final class TaskGraph {
    private static final String[] HEADERS = {"TASK", "KIND", "RUNNER", "STATUS", "ID", "RULES"};
    private static final int MAX_TASK = 34;
    private static final int MAX_RUNNER = 12;
    private static final int MIN_RULES = 24;

    /** One task as shown: where it sits in the tree and its latest state; {@code latest} is null if it never ran. */
    record Row(String indent, TaskDefinition task, List<String> after, List<String> rules, TaskExecution latest) {
        String status() {
            return latest == null ? "-" : latest.status().name();
        }

        String execution() {
            return latest == null ? "-" : latest.id() + (latest.attempt() > 1 ? " #" + latest.attempt() : "");
        }
    }

    private TaskGraph() {
    }

    /** The rows in drawing order (depth first, roots that start with the execution first). */
    static List<Row> rows(WorkflowDefinition definition, Map<String, TaskExecution> latest, boolean ascii) {
        Map<String, TaskDefinition> tasks = new LinkedHashMap<>();
        definition.tasks().forEach(t -> tasks.put(t.name(), t));
        Map<String, List<String>> children = new LinkedHashMap<>();
        List<TaskDefinition> roots = new ArrayList<>();
        for (TaskDefinition t : definition.tasks()) {
            String parent = upstream(t).stream().filter(p -> tasks.containsKey(p) && !p.equals(t.name())).findFirst().orElse(null);
            if (parent == null) {
                roots.add(t);
            } else {
                children.computeIfAbsent(parent, p -> new ArrayList<>()).add(t.name());
            }
        }
        roots.sort(Comparator.comparing(t -> !t.startsWithExecution())); // stable: definition order otherwise
        List<Row> rows = new ArrayList<>();
        Set<String> drawn = new HashSet<>();
        for (TaskDefinition root : roots) {
            draw(root, "", "", true, tasks, children, latest, ascii, drawn, rows);
        }
        for (TaskDefinition t : definition.tasks()) { // tasks on a cycle of "after" rules have no root
            if (!drawn.contains(t.name())) {
                draw(t, "", "", true, tasks, children, latest, ascii, drawn, rows);
            }
        }
        return rows;
    }

    private static void draw(TaskDefinition task, String indent, String connector, boolean last, Map<String, TaskDefinition> tasks,
                             Map<String, List<String>> children, Map<String, TaskExecution> latest, boolean ascii, Set<String> drawn,
                             List<Row> rows) {
        drawn.add(task.name());
        rows.add(new Row(indent + connector, task, upstream(task), summaries(task), latest.get(task.name())));
        String childIndent = connector.isEmpty() ? indent : indent + (last ? "    " : ascii ? "|   " : "\u2502   ");
        List<String> kids = children.getOrDefault(task.name(), List.of()).stream().filter(k -> !drawn.contains(k)).toList();
        for (int i = 0; i < kids.size(); i++) {
            boolean lastKid = i == kids.size() - 1;
            String arrow = ascii ? (lastKid ? "`-> " : "|-> ") : (lastKid ? "\u2514\u2500> " : "\u251c\u2500> ");
            if (!drawn.contains(kids.get(i))) {
                draw(tasks.get(kids.get(i)), childIndent, arrow, lastKid, tasks, children, latest, ascii, drawn, rows);
            }
        }
    }

    /**
     * The tasks of the same execution a task waits for, in rule order: its {@code startAfter}
     * tasks, then those its rules' conditions name (also inside {@code all-of}/{@code any-of}).
     */
    static List<String> upstream(TaskDefinition task) {
        List<String> names = new ArrayList<>(task.startAfter());
        for (Rule r : task.rules()) {
            references(r.condition().config(), names);
        }
        return names;
    }

    private static void references(Map<?, ?> config, List<String> names) {
        // a task of another workflow ("workflow" set) is no edge of this graph
        if (config.get(Status.TASK) instanceof String name && !config.containsKey(Status.WORKFLOW) && !names.contains(name)) {
            names.add(name);
        }
        if (config.get(Composite.CONDITIONS) instanceof List<?> children) {
            for (Object child : children) {
                if (child instanceof Map<?, ?> c && c.get(Composite.CONFIG) instanceof Map<?, ?> childConfig) {
                    references(childConfig, names);
                }
            }
        }
    }

    /** The task's rules in a few words each, {@code startAfter} as the rule it stands for. */
    static List<String> summaries(TaskDefinition task) {
        List<String> rules = new ArrayList<>(task.rules().stream().map(TaskGraph::summary).toList());
        if (!task.startAfter().isEmpty()) {
            rules.add("START after " + String.join(", ", task.startAfter()));
        }
        return rules;
    }

    /**
     * A rule in a few words: {@code START on event key=train_done}, {@code RESTART after train},
     * {@code START after train (status=FAILED)}, {@code START on all-of(after a, event key=b)}.
     */
    static String summary(Rule rule) {
        String condition = condition(rule.condition());
        return rule.action().name() + (condition.startsWith("after ") ? " " : " on ") + condition;
    }

    /**
     * A condition in a few words, as {@link #summary(Rule)} shows it after the action:
     * {@code event key=train_done}, {@code after other/train (status=FAILED)}, {@code all-of(after a, event key=b)}.
     */
    static String condition(ConditionSpec condition) {
        return condition(condition.type(), condition.config());
    }

    private static String condition(String type, Map<?, ?> raw) {
        Map<String, Object> config = new TreeMap<>(Comparator.comparing((String k) -> !k.equals(BuiltInConditionTypes.Event.KEY))
                .thenComparing(k -> k));
        raw.forEach((k, v) -> config.put(String.valueOf(k), v));
        if (config.get(Status.TASK) instanceof String task) {
            config.remove(Status.TASK);
            String where = "";
            if (config.get(Status.WORKFLOW) instanceof String workflow) {
                where = (config.get(Status.NAMESPACE) instanceof String ns ? ns + "/" : "") + workflow + "/";
                config.remove(Status.WORKFLOW);
                config.remove(Status.NAMESPACE);
            }
            if (TaskStatus.SUCCESS.name().equals(config.get(Status.STATUS))) {
                config.remove(Status.STATUS); // the default
            }
            return "after " + where + task + (config.isEmpty() ? "" : " (" + entries(config).substring(1) + ")");
        }
        if (config.get(Composite.CONDITIONS) instanceof List<?> children) {
            List<String> parts = new ArrayList<>();
            for (Object child : children) {
                parts.add(child instanceof Map<?, ?> c && c.get(Composite.TYPE) instanceof String t
                        ? condition(t, c.get(Composite.CONFIG) instanceof Map<?, ?> m ? m : Map.of()) : String.valueOf(child));
            }
            config.remove(Composite.CONDITIONS);
            return type + "(" + String.join(", ", parts) + ")" + entries(config);
        }
        return type + entries(config);
    }

    private static String entries(Map<String, Object> config) {
        StringBuilder s = new StringBuilder();
        config.forEach((k, v) -> s.append(' ').append(k).append('=').append(value(v)));
        return s.toString();
    }

    private static String value(Object v) {
        String text = String.valueOf(v);
        return v instanceof String && (text.isEmpty() || text.chars().anyMatch(Character::isWhitespace)) ? '"' + text + '"' : text;
    }

    /** What the RULES column says about a task. */
    static String rulesText(Row row) {
        List<String> parts = new ArrayList<>();
        if (row.task().startsWithExecution()) {
            parts.add("starts with the execution");
        }
        parts.addAll(row.rules());
        return String.join("; ", parts);
    }

    /** The rows as aligned text lines of at most {@code width} characters (header first). */
    static List<String> lines(List<Row> rows, int width) {
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADERS);
        for (Row r : rows) {
            cells.add(new String[] {r.indent() + r.task().name(), r.task().kind().name(), r.task().job().runnerType(), r.status(),
                r.execution(), rulesText(r)});
        }
        int[] w = new int[HEADERS.length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        w[0] = Math.min(w[0], MAX_TASK);
        w[2] = Math.min(w[2], MAX_RUNNER);
        int fixed = 0;
        for (int i = 0; i < w.length - 1; i++) {
            fixed += w[i] + 2;
        }
        w[w.length - 1] = Math.max(MIN_RULES, Math.min(w[w.length - 1], width - fixed));
        List<String> lines = new ArrayList<>();
        for (String[] row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String cell = Output.clip(row[i], w[i]);
                line.append(cell);
                if (i < row.length - 1) {
                    line.append(" ".repeat(w[i] - cell.length() + 2));
                }
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    /** The newest task execution of each task, from a newest-first list. */
    static Map<String, TaskExecution> latest(List<TaskExecution> newestFirst) {
        Map<String, TaskExecution> latest = new LinkedHashMap<>();
        newestFirst.forEach(t -> latest.putIfAbsent(t.taskName(), t));
        return latest;
    }
}
