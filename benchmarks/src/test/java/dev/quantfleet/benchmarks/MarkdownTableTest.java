package dev.quantfleet.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MarkdownTableTest {

    @Test
    void writesHeaderSeparatorAndRows() {
        MarkdownTable table = new MarkdownTable("Model", "Bytes").row("fp32", 90).row("a8w8", 22);

        assertThat(table.toMarkdown()).isEqualTo("""
                | Model | Bytes |
                |---|---|
                | fp32 | 90 |
                | a8w8 | 22 |
                """);
    }

    @Test
    void escapesPipesInCells() {
        MarkdownTable table = new MarkdownTable("Pattern").row("a|b");

        assertThat(table.toMarkdown()).contains("| a\\|b |");
    }

    @Test
    void rowOfWrongWidthIsRejected() {
        MarkdownTable table = new MarkdownTable("Model", "Bytes");

        assertThatThrownBy(() -> table.row("fp32"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 cells")
                .hasMessageContaining("2 columns");
    }
}
