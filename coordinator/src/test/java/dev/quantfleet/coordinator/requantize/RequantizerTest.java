package dev.quantfleet.coordinator.requantize;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.messages.DataReference;
import dev.quantfleet.common.messages.ModelEventSource;
import dev.quantfleet.common.messages.ModelReference;
import dev.quantfleet.common.messages.ModelVersionPublished;
import dev.quantfleet.common.messages.OutcomeStatus;
import dev.quantfleet.common.messages.OutcomeWinner;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RequestBudget;
import dev.quantfleet.common.messages.RequestGoal;
import dev.quantfleet.common.messages.RequestLineage;
import dev.quantfleet.common.messages.SearchOutcome;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.messages.WireMessage;
import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.quantize.NodeOverride;
import dev.quantfleet.engine.quantize.Presets;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.search.SearchIds;
import dev.quantfleet.engine.search.StopReason;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The decisions of {@link Requantizer} on model version records, which need no object import. */
class RequantizerTest {

    private static final long NOW_MS = 1_717_500_000_000L;
    private static final QuantConfig WINNER_CONFIG = Presets.byName("a8w8").toBuilder()
            .nodeOverrides(Map.of("/layer.2/MatMul", NodeOverride.keepInFloat())).build();
    private static final ModelImporter NO_IMPORT = event -> {
        throw new AssertionError("A published model version needs no import, but " + event.describe() + " asked");
    };

    private final RequestHistory history = new RequestHistory();
    private final List<QuantizationRequest> sent = new ArrayList<>();
    private final Requantizer requantizer = new Requantizer(history, NO_IMPORT, sent::add, () -> NOW_MS);

    private static ArtifactRef artifact(char digit) {
        String sha = String.valueOf(digit).repeat(64);
        return new ArtifactRef("fleet/sha256/" + sha, sha, 1000);
    }

    private static QuantizationRequest request(String requestId, String version, char modelDigit) {
        return new QuantizationRequest(WireMessage.CURRENT_SCHEMA_VERSION, requestId,
                new ModelReference("chain", version, artifact(modelDigit), List.of()),
                new DataReference(artifact('a'), "calibration.npy", null, null),
                new DataReference(artifact('b'), "evaluation.npy", null, null), artifact('c'),
                new RequestGoal("cosine", null, 0.001, false, null), "auto", new RequestBudget(16, 600_000L, false),
                5, "cpu", List.of(), "alice", "rest", 1_717_000_000_000L);
    }

    private static SearchOutcome completed(String requestId, QuantConfig winner) {
        OutcomeWinner outcomeWinner = new OutcomeWinner(SearchIds.candidateId(winner), winner,
                new TreeMap<>(Map.of("cosine", 0.9995)), new Cost(4000, 0.75, null));
        return new SearchOutcome(WireMessage.CURRENT_SCHEMA_VERSION, requestId, OutcomeStatus.COMPLETED, List.of(),
                true, outcomeWinner, List.of(outcomeWinner.candidateId()), null, null, StopReason.MAX_TRIALS, 16, 900);
    }

    private static ModelEvent published(String version, char modelDigit, String eventId) {
        return ModelEvent.of(new ModelVersionPublished(WireMessage.CURRENT_SCHEMA_VERSION,
                new ModelReference("chain", version, artifact(modelDigit), List.of()), ModelEventSource.PRODUCER,
                eventId, null));
    }

    @Test
    void modelWithoutRequestIsSkipped() {
        Requantizer.Result result = requantizer.handle(published("2", '2', "chain/2"));

        assertThat(result.isSent()).isFalse();
        assertThat(result.reason()).contains("model chain has no earlier request")
                .contains("goal, data and budget are unknown");
        assertThat(sent).isEmpty();
    }

    @Test
    void modelWithoutWinnerIsSkipped() {
        history.addRequest(request("req-1", "1", '1'), 10);
        history.addOutcome(SearchOutcome.rejected("req-1", List.of("pool 'tpu' has no workers")));
        history.addRequest(request("req-2", "1", '1'), 20);

        Requantizer.Result result = requantizer.handle(published("2", '2', "chain/2"));

        assertThat(result.reason()).contains("none of the 2 earlier requests of model chain completed with a winner");
        assertThat(sent).isEmpty();
    }

    @Test
    void newVersionRerunsLastSearchWithItsWinner() {
        history.addRequest(request("req-old", "0", '0'), 10);
        history.addOutcome(completed("req-old", Presets.byName("a8w8")));
        history.addRequest(request("req-1", "1", '1'), 20);
        history.addOutcome(completed("req-1", WINNER_CONFIG));

        Requantizer.Result result = requantizer.handle(published("2", '2', "chain/2/release"));

        QuantizationRequest earlier = request("req-1", "1", '1');
        QuantizationRequest request = sent.get(0);
        assertThat(sent).hasSize(1);
        assertThat(result.requestId()).isEqualTo(request.requestId());
        assertThat(request.requestId()).startsWith("requant-chain-2-");
        assertThat(request.model()).isEqualTo(new ModelReference("chain", "2", artifact('2'), List.of()));
        assertThat(request.warmStart()).containsExactly(WINNER_CONFIG);
        assertThat(request.goal()).isEqualTo(earlier.goal());
        assertThat(request.budget()).isEqualTo(earlier.budget());
        assertThat(request.strategy()).isEqualTo(earlier.strategy());
        assertThat(request.seed()).isEqualTo(earlier.seed());
        assertThat(request.pool()).isEqualTo(earlier.pool());
        assertThat(request.calibrationData()).isEqualTo(earlier.calibrationData());
        assertThat(request.evaluationData()).isEqualTo(earlier.evaluationData());
        assertThat(request.labels()).isEqualTo(earlier.labels());
        assertThat(request.source()).isEqualTo(RequantizationRequests.SOURCE);
        assertThat(request.submittedBy()).isEqualTo(RequantizationRequests.SUBMITTED_BY);
        assertThat(request.createdAtMs()).isEqualTo(NOW_MS);
        assertThat(request.lineage()).isEqualTo(new RequestLineage("req-1", "1", SearchIds.candidateId(WINNER_CONFIG),
                "chain/2/release", ModelEventSource.PRODUCER, null, null, null, null));
    }

    @Test
    void repeatedEventStartsNothing() {
        history.addRequest(request("req-1", "1", '1'), 20);
        history.addOutcome(completed("req-1", WINNER_CONFIG));

        Requantizer.Result first = requantizer.handle(published("2", '2', "chain/2/release"));
        Requantizer.Result again = requantizer.handle(published("2", '2', "chain/2/release"));

        assertThat(first.isSent()).isTrue();
        assertThat(again.isSent()).isFalse();
        assertThat(again.reason()).isEqualTo("it already started request " + first.requestId());
        assertThat(sent).hasSize(1);
    }

    @Test
    void repeatedEventAfterRestartStartsNothing() {
        history.addRequest(request("req-1", "1", '1'), 20);
        history.addOutcome(completed("req-1", WINNER_CONFIG));
        requantizer.handle(published("2", '2', "chain/2/release"));
        RequestHistory replayed = new RequestHistory();
        replayed.addRequest(request("req-1", "1", '1'), 20);
        replayed.addOutcome(completed("req-1", WINNER_CONFIG));
        replayed.addRequest(WireJson.REQUEST.fromBytes(WireJson.toBytes(sent.get(0))), 30);
        List<QuantizationRequest> sentAfterRestart = new ArrayList<>();

        Requantizer.Result again = new Requantizer(replayed, NO_IMPORT, sentAfterRestart::add, () -> NOW_MS)
                .handle(published("2", '2', "chain/2/release"));

        assertThat(again.reason()).isEqualTo("it already started request " + sent.get(0).requestId());
        assertThat(sentAfterRestart).isEmpty();
    }

    @Test
    void sameModelContentIsSkipped() {
        history.addRequest(request("req-1", "1", '1'), 20);
        history.addOutcome(completed("req-1", WINNER_CONFIG));

        Requantizer.Result result = requantizer.handle(published("1-copy", '1', "chain/1-copy"));

        assertThat(result.reason()).contains("the same as the model of request req-1");
        assertThat(sent).isEmpty();
    }

    @Test
    void chainedVersionsStartFromTheLatestWinner() {
        history.addRequest(request("req-1", "1", '1'), 20);
        history.addOutcome(completed("req-1", Presets.byName("a8w8")));
        requantizer.handle(published("2", '2', "chain/2"));
        QuantizationRequest second = sent.get(0);
        history.addOutcome(completed(second.requestId(), WINNER_CONFIG));

        requantizer.handle(published("3", '3', "chain/3"));

        QuantizationRequest third = sent.get(1);
        assertThat(third.lineage().previousRequestId()).isEqualTo(second.requestId());
        assertThat(third.lineage().previousModelVersion()).isEqualTo("2");
        assertThat(third.warmStart()).containsExactly(WINNER_CONFIG);
    }
}
