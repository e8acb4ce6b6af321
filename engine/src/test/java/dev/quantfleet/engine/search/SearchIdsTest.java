package dev.quantfleet.engine.search;

import dev.quantfleet.engine.calibration.CalibrationMethod;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QuantConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SearchIdsTest {

    @Test
    void candidateIdIsStableAcrossEqualConfigs() {
        QuantConfig a8w8 = Presets.byName("a8w8");
        QuantConfig rebuilt = QuantConfig.builder().build();
        QuantConfig reread = QuantConfig.fromJson(a8w8.toJson());

        assertThat(SearchIds.candidateId(a8w8)).matches("[0-9a-f]{16}");
        assertThat(SearchIds.candidateId(rebuilt)).isEqualTo(SearchIds.candidateId(a8w8));
        assertThat(SearchIds.candidateId(reread)).isEqualTo(SearchIds.candidateId(a8w8));
        assertThat(SearchIds.candidateId(a8w8)).isEqualTo(SearchIds.sha256Hex(a8w8.toJson()).substring(0, 16));
    }

    @Test
    void candidateIdIgnoresOpTypeOrder() {
        QuantConfig forward = QuantConfig.builder().opTypesToQuantize(List.of("MatMul", "Gather")).build();
        QuantConfig backward = QuantConfig.builder().opTypesToQuantize(List.of("Gather", "MatMul")).build();
        QuantConfig entropy = QuantConfig.builder().calibrationMethod(CalibrationMethod.Entropy).build();

        assertThat(SearchIds.candidateId(forward)).isEqualTo(SearchIds.candidateId(backward));
        assertThat(SearchIds.candidateId(entropy)).isNotEqualTo(SearchIds.candidateId(QuantConfig.builder().build()));
    }

    @Test
    void seedDependsOnRequestSeedAndCandidate() {
        long seed = SearchIds.seed(42, "0123456789abcdef");

        assertThat(SearchIds.seed(42, "0123456789abcdef")).isEqualTo(seed);
        assertThat(SearchIds.seed(43, "0123456789abcdef")).isNotEqualTo(seed);
        assertThat(SearchIds.seed(42, "fedcba9876543210")).isNotEqualTo(seed);
    }

    @Test
    void seedIsFirstEightBytesOfSha256() {
        String hex = SearchIds.sha256Hex("42/float");

        assertThat(SearchIds.seed(42, "float")).isEqualTo(Long.parseUnsignedLong(hex.substring(0, 16), 16));
    }

    @Test
    void taskIdsSortByRoundThenKind() {
        String round2 = SearchIds.taskId("req", 2, TaskKind.EVALUATE, "ff");
        String round10 = SearchIds.taskId("req", 10, TaskKind.EVALUATE, "00");
        String sensitivity = SearchIds.taskId("req", 2, TaskKind.SENSITIVITY, "00");

        assertThat(round2).isEqualTo("req/r0002/EVALUATE/ff");
        assertThat(List.of(round10, sensitivity, round2).stream().sorted().toList())
                .containsExactly(round2, sensitivity, round10);
    }
}
