package dev.quantfleet.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApplyReportTest {

    @Test
    void generalizeReplacesQuotedNames() {
        assertThat(ApplyReport.generalize("'/embeddings/Shape_output_0' is INT64, not float"))
                .isEqualTo("'<value>' is INT64, not float");
        assertThat(ApplyReport.generalize("no range for 'a' and 'b'")).isEqualTo("no range for '<value>' and '<value>'");
        assertThat(ApplyReport.generalize("excluded by the configuration")).isEqualTo("excluded by the configuration");
    }
}
