package dev.quantfleet.coordinator.intake;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.messages.DataReference;
import dev.quantfleet.common.messages.ModelReference;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RequestBudget;
import dev.quantfleet.common.messages.RequestGoal;
import dev.quantfleet.common.messages.WireMessage;
import dev.quantfleet.engine.quantize.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks of {@link RequestValidator} that need no artifact store. */
class FieldValidationTest {

    @TempDir
    Path cache;

    private RequestValidator validator() {
        return new RequestValidator(new ArtifactCache(null, cache), new IntakeLimits(List.of("cpu", "gpu"),
                1 << 20, 0, 1 << 20, 50));
    }

    @Test
    void validFieldsPass() {
        assertThat(validator().checkFields(request("auto", "cosine", "cpu", 10, List.of()))).isEmpty();
    }

    @Test
    void eachBadFieldHasItsReason() {
        List<String> reasons = validator().checkFields(request("annealing", "bleu-ish", "tpu", 0,
                List.of(Presets.all().values().iterator().next())));

        assertThat(reasons).hasSize(4);
        assertThat(reasons.get(0)).contains("strategy 'annealing' is unknown").contains("auto");
        assertThat(reasons.get(1)).contains("goal.metric").contains("bleu-ish").contains("cosine");
        assertThat(reasons.get(2)).contains("pool 'tpu'").contains("[cpu, gpu]");
        assertThat(reasons.get(3)).contains("budget.maxTrials is 0").contains("between 1 and 50");
    }

    @Test
    void warmStartPasses() {
        assertThat(validator().checkFields(request("auto", "cosine", "cpu", 10, List.of(Presets.byName("a8w8")))))
                .isEmpty();
    }

    @Test
    void trialBudgetAboveLimitIsRejected() {
        assertThat(validator().checkFields(request("auto", "cosine", "cpu", 51, List.of())))
                .singleElement().asString().contains("budget.maxTrials is 51");
    }

    private static QuantizationRequest request(String strategy, String metric, String pool, int maxTrials,
                                               List<dev.quantfleet.engine.quantize.QuantConfig> warmStart) {
        String sha = "a".repeat(64);
        ArtifactRef ref = new ArtifactRef("quantfleet/sha256/" + sha, sha, 10);
        return new QuantizationRequest(WireMessage.CURRENT_SCHEMA_VERSION, "r", new ModelReference("m", "1", ref,
                List.of()), new DataReference(ref, "c.npy", null, null), new DataReference(ref, "e.npy", null, null),
                null, new RequestGoal(metric, null, 0.01, false, null), strategy,
                new RequestBudget(maxTrials, null, false), 1, pool, warmStart, null, null, null);
    }
}
