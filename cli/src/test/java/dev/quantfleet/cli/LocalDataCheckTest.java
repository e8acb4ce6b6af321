package dev.quantfleet.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LocalDataCheckTest {

    @Test
    void optionNamesPrecedeEachPath() {
        Map<Path, String> options = new LinkedHashMap<>();
        options.put(Path.of("/tmp/x/data.npy"), "--eval-data");
        options.put(Path.of("/tmp/x/data.npy.labels"), "--eval-labels");

        String message = LocalDataCheck.withOptionNames("The labels file /tmp/x/data.npy.labels has 3 labels, but the "
                + "data /tmp/x/data.npy has 64 samples", options);

        assertThat(message).isEqualTo("The labels file --eval-labels /tmp/x/data.npy.labels has 3 labels, but the data "
                + "--eval-data /tmp/x/data.npy has 64 samples");
    }

    @Test
    void messageWithoutPathsStaysAsItIs() {
        String message = LocalDataCheck.withOptionNames("Sample 2 has 5 values",
                Map.of(Path.of("models/rec-eval.npy"), "--eval-data"));

        assertThat(message).isEqualTo("Sample 2 has 5 values");
    }

    @Test
    void replacementCharactersInPathsAreLiteral() {
        String message = LocalDataCheck.withOptionNames("Cannot read /tmp/$1/a\\b.npy",
                Map.of(Path.of("/tmp/$1/a\\b.npy"), "--calibration-data"));

        assertThat(message).isEqualTo("Cannot read --calibration-data /tmp/$1/a\\b.npy");
    }
}
