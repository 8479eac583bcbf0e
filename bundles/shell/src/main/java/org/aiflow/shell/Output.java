package org.aiflow.shell;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.aiflow.json.AiflowJson;
import org.apache.karaf.shell.support.table.ShellTable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** How every aiflow: command prints results: a tidy table, or JSON with {@code --json}. */
final class Output {
    private static final ObjectMapper JSON = AiflowJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Output() {
    }

    /** A column: its header and how to get the cell text from a row. */
    record Column<T>(String header, Function<T, Object> value, boolean right) {
        static <T> Column<T> left(String header, Function<T, Object> value) {
            return new Column<>(header, value, false);
        }

        static <T> Column<T> right(String header, Function<T, Object> value) {
            return new Column<>(header, value, true);
        }
    }

    @SafeVarargs
    static <T> void print(PrintStream out, boolean json, List<T> rows, String noneMessage, Column<T>... columns) {
        if (json) {
            json(out, rows);
            return;
        }
        if (rows.isEmpty()) {
            out.println(noneMessage);
            return;
        }
        ShellTable table = new ShellTable();
        for (Column<T> c : columns) {
            if (c.right()) {
                table.column(c.header()).alignRight();
            } else {
                table.column(c.header()).maxSize(60);
            }
        }
        for (T row : rows) {
            Object[] cells = new Object[columns.length];
            for (int i = 0; i < columns.length; i++) {
                Object v = columns[i].value().apply(row);
                cells[i] = v == null ? "" : v instanceof Instant t ? time(t) : v;
            }
            table.addRow().addContent(cells);
        }
        table.print(out);
    }

    static void json(PrintStream out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** One compact JSON object on one line, for streams. */
    static void jsonLine(PrintStream out, Object value) {
        try {
            out.println(JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print JSON: " + e.getOriginalMessage(), e);
        }
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }

    /**
     * Rows as plain aligned columns two spaces apart, without borders (the first row is usually the
     * header): each line starts with {@code indent}, and the last column is clipped so that no line
     * is longer than {@code width}.
     */
    static List<String> columns(String indent, List<String[]> rows, int width) {
        int n = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] w = new int[n];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i] == null ? 0 : row[i].length());
            }
        }
        int fixed = indent.length();
        for (int i = 0; i < n - 1; i++) {
            fixed += w[i] + 2;
        }
        if (n > 0) {
            w[n - 1] = Math.max(10, Math.min(w[n - 1], width - fixed));
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < row.length; i++) {
                String cell = clip(row[i], i == n - 1 ? w[i] : Integer.MAX_VALUE);
                line.append(cell);
                if (i < row.length - 1) {
                    line.append(" ".repeat(w[i] - cell.length() + 2));
                }
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    /** Text shortened for a table cell; full text is in --json output. */
    static String clip(String text, int max) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replace('\n', ' ');
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
    }
}
