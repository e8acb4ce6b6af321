package dev.quantfleet.common.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "/etc/passwd",
        "../outside",
        "quantized/../../outside",
        "quantized/./model.onnx",
        "quantized//model.onnx",
        "quantized/model/",
        "quantized\\..\\outside",
        "quantized/model\u0000.onnx",
        "quantized/model\n.onnx",
        "quantized/model\u0085.onnx",
        ".."
    })
    void shouldRejectInvalidKey(String key) {
        assertThatThrownBy(() -> ArtifactKeys.requireValidKey(key, "relativeKey"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid relativeKey")
                .hasMessageContaining("Expected relative segments separated by '/'");
    }

    @Test
    void shouldRejectKeyLongerThan1024Bytes() {
        String key = "a/" + "\u00e9".repeat(512);

        assertThatThrownBy(() -> ArtifactKeys.requireValidKey(key, "key"))
                .hasMessageContaining("longer than 1024 UTF-8 bytes");
    }

    @Test
    void shouldAcceptNestedKeyWithDots() {
        String key = "quantized/bert-base/1.2.0/req-17/model.onnx";

        assertThat(ArtifactKeys.requireValidKey(key, "key")).isEqualTo(key);
        assertThat(ArtifactKeys.join("quantfleet", "sha256/ab")).isEqualTo("quantfleet/sha256/ab");
    }

    @Test
    void controlCharacterIsMaskedInMessage() {
        assertThatThrownBy(() -> ArtifactKeys.requireValidKey("a\u001b[2Jb", "key"))
                .hasMessageContaining("'a?[2Jb'")
                .hasMessageContaining("U+001B at index 1");
    }

    @Test
    void refRoundTripsThroughJson() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ArtifactRef ref = new ArtifactRef("quantfleet/sha256/" + "0".repeat(64), "0".repeat(64), 42);

        String json = mapper.writeValueAsString(ref);

        assertThat(json).isEqualTo("{\"key\":\"quantfleet/sha256/" + "0".repeat(64) + "\",\"sha256\":\"" + "0".repeat(64) + "\",\"sizeBytes\":42}");
        assertThat(mapper.readValue(json, ArtifactRef.class)).isEqualTo(ref);
    }

    @Test
    void refRejectsInvalidHashAndSize() {
        assertThatThrownBy(() -> new ArtifactRef("p/k", "ABC", 1)).hasMessageContaining("expected 64 lowercase hex digits");
        assertThatThrownBy(() -> new ArtifactRef("p/k", "0".repeat(64), -1)).hasMessageContaining("expected >= 0");
        assertThatThrownBy(() -> new ArtifactRef("p/../k", "0".repeat(64), 1)).hasMessageContaining("segment '..'");
    }
}
