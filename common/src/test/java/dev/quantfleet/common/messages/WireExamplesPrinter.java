package dev.quantfleet.common.messages;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes the example JSON of every sample to target/wire-examples.md, the source of the examples in docs/wire-format.md. */
class WireExamplesPrinter {

    @Test
    void writeExamples() throws IOException {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, WireMessage> sample : WireSamples.all().entrySet()) {
            text.append("<!-- example: ").append(sample.getValue().getClass().getSimpleName()).append(" -->\n")
                    .append("```json\n").append(WireJson.toPrettyJson(sample.getValue())).append("\n```\n\n");
        }
        Path output = Path.of("target", "wire-examples.md");
        Files.writeString(output, text);
        assertExists(output);
    }

    private static void assertExists(Path output) {
        org.assertj.core.api.Assertions.assertThat(output).isNotEmptyFile();
    }
}
