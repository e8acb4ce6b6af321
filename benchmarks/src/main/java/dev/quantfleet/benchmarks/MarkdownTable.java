package dev.quantfleet.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table, filled row by row; cells are written as given. */
public final class MarkdownTable {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public MarkdownTable(String... headers) {
        this.headers = List.of(headers);
    }

    /**
     * Appends a row.
     *
     * @throws IllegalArgumentException if the row has a different number of cells than the header
     */
    public MarkdownTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("Row has " + cells.length + " cells, but the table has "
                    + headers.size() + " columns: " + headers);
        }
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(String.valueOf(cell).replace("|", "\\|"));
        }
        rows.add(row);
        return this;
    }

    public String toMarkdown() {
        StringBuilder text = new StringBuilder();
        appendRow(text, headers);
        text.append('|');
        for (String header : headers) {
            text.append("---|");
        }
        text.append('\n');
        for (List<String> row : rows) {
            appendRow(text, row);
        }
        return text.toString();
    }

    private static void appendRow(StringBuilder text, List<String> cells) {
        text.append('|');
        for (String cell : cells) {
            text.append(' ').append(cell).append(" |");
        }
        text.append('\n');
    }
}
