package dev.quantfleet.coordinator.search;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.artifacts.ArtifactStoreConfig;
import dev.quantfleet.common.messages.DataReference;
import dev.quantfleet.common.messages.ModelReference;
import dev.quantfleet.common.messages.OutcomeStatus;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RequestBudget;
import dev.quantfleet.common.messages.RequestGoal;
import dev.quantfleet.common.messages.RoundOpened;
import dev.quantfleet.common.messages.SearchOutcome;
import dev.quantfleet.common.messages.TaskSettings;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.messages.WireMessage;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.coordinator.intake.IntakeLimits;
import dev.quantfleet.coordinator.kafka.CoordinatorRuntime;
import dev.quantfleet.coordinator.kafka.FleetTopics;
import dev.quantfleet.coordinator.testing.ChainModel;
import dev.quantfleet.coordinator.testing.SimulatedAggregator;
import dev.quantfleet.coordinator.testing.SimulatedWorker;
import dev.quantfleet.coordinator.testing.TestKafka;
import dev.quantfleet.engine.evaluation.EvaluationSettings;
import dev.quantfleet.engine.job.LocalSearch;
import dev.quantfleet.engine.job.LocalSearchResult;
import dev.quantfleet.engine.job.LocalSearchSpec;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.report.SearchReport;
import dev.quantfleet.engine.runtime.OrtSessions;
import dev.quantfleet.localstack.EmbeddedS3;
import dev.quantfleet.localstack.LocalStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordinator against an in-process Kafka and S3 with a simulated worker and aggregator:
 * rejections of bad requests, a whole search whose promoted model equals the one
 * {@link LocalSearch} produces in process, and a search that survives a coordinator restart.
 */
class FleetSearchTest {

    private static final String BUCKET = "quantfleet";
    private static final long SEED = 5;
    private static final int MAX_TRIALS = 6;
    private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path directory;

    private static LocalStack stack;
    private static ArtifactStore store;
    private static SimulatedWorker worker;
    private static SimulatedAggregator aggregator;
    private static KafkaProducer<String, byte[]> producer;
    private static Path modelFile;
    private static Path calibrationFile;
    private static Path evaluationFile;
    private static ArtifactRef modelRef;
    private static ArtifactRef calibrationRef;
    private static ArtifactRef evaluationRef;

    @BeforeAll
    static void startFleet() throws Exception {
        stack = LocalStack.start(BUCKET);
        EmbeddedS3 s3 = stack.s3();
        store = ArtifactStore.open(ArtifactStoreConfig.of(s3.endpointUri(), EmbeddedS3.REGION, BUCKET, "fleet",
                s3.accessKey(), s3.secretKey()));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            FleetTopics.createMissing(admin, List.of("cpu"), 2, (short) 1);
        }
        modelFile = directory.resolve("chain.onnx");
        ModelIo.save(ChainModel.build(7), modelFile);
        calibrationFile = ChainModel.writeInputs(directory.resolve("calibration.npy"), 16, 11);
        evaluationFile = ChainModel.writeInputs(directory.resolve("evaluation.npy"), 16, 13);
        modelRef = store.putContent(modelFile);
        calibrationRef = store.putContent(calibrationFile);
        evaluationRef = store.putContent(evaluationFile);
        worker = new SimulatedWorker(bootstrap(), store, Files.createDirectories(directory.resolve("worker")));
        aggregator = new SimulatedAggregator(bootstrap());
        producer = TestKafka.producer(bootstrap());
    }

    @AfterAll
    static void stopFleet() throws Exception {
        producer.close();
        aggregator.close();
        worker.close();
        store.close();
        stack.close();
    }

    @Test
    void badRequestsRejectedNextMatches() throws Exception {
        QuantizationRequest missing = request("missing-model", new ArtifactRef("fleet/sha256/" + "ab".repeat(32),
                "ab".repeat(32), 1234));
        QuantizationRequest corrupt = request("corrupt-model",
                store.putContent("this is not an ONNX model".getBytes(StandardCharsets.UTF_8)));
        QuantizationRequest good = request("good", modelRef);
        byte[] malformed = "{\"schemaVersion\":1,\"requestId\":\"malformed\",\"model\":42}"
                .getBytes(StandardCharsets.UTF_8);

        try (CoordinatorRuntime ignored = startCoordinator(); KafkaConsumer<String, byte[]> outcomes = outcomeConsumer()) {
            long sentAtMs = System.currentTimeMillis();
            send(missing);
            send(corrupt);
            producer.send(new ProducerRecord<>(Topics.REQUESTS, "malformed", malformed)).get();
            send(good);

            Map<String, SearchOutcome> rejected = awaitOutcomes(outcomes, 3, id -> !id.equals("good"));
            long rejectedAfterMs = System.currentTimeMillis() - sentAtMs;
            SearchOutcome completed = awaitOutcomes(outcomes, 1, "good"::equals).get("good");

            assertThat(rejectedAfterMs).isLessThan(10_000);
            assertThat(rejected.get("missing-model").status()).isEqualTo(OutcomeStatus.REJECTED);
            assertThat(rejected.get("missing-model").rejectionReasons()).anySatisfy(reason ->
                    assertThat(reason).contains("model.onnx").contains("missing from the artifact store"));
            assertThat(rejected.get("corrupt-model").status()).isEqualTo(OutcomeStatus.REJECTED);
            assertThat(rejected.get("corrupt-model").rejectionReasons()).anySatisfy(reason ->
                    assertThat(reason).contains("not a readable ONNX model"));
            assertThat(rejected.get("malformed").status()).isEqualTo(OutcomeStatus.REJECTED);
            assertThat(rejected.get("malformed").rejectionReasons()).anySatisfy(reason ->
                    assertThat(reason).contains("not a valid QuantizationRequest"));
            assertMatchesLocalSearch(completed, "good");
        }
    }

    @Test
    void searchResumesAfterCoordinatorRestart() throws Exception {
        QuantizationRequest request = request("resumed", modelRef);
        try (KafkaConsumer<String, byte[]> outcomes = outcomeConsumer()) {
            try (CoordinatorRuntime first = startCoordinator();
                 KafkaConsumer<String, byte[]> plans = TestKafka.consumer(bootstrap())) {
                TestKafka.assignFromBeginning(plans, Topics.ROUND_PLANS);
                send(request);
                awaitRoundPlan(plans, "resumed", 1);
            }
            try (CoordinatorRuntime second = startCoordinator()) {
                SearchOutcome completed = awaitOutcomes(outcomes, 1, "resumed"::equals).get("resumed");

                assertMatchesLocalSearch(completed, "resumed");
            }
        }
    }

    private static void assertMatchesLocalSearch(SearchOutcome outcome, String requestId) throws Exception {
        LocalSearchResult local = localSearch();
        assertThat(outcome.status()).isEqualTo(OutcomeStatus.COMPLETED);
        assertThat(outcome.winner()).isNotNull();
        assertThat(outcome.winner().candidateId()).isEqualTo(local.outcome().winner().candidateId());
        assertThat(outcome.acceptable()).isEqualTo(local.acceptable());
        assertThat(outcome.trials()).isEqualTo(local.outcome().trials());
        assertThat(outcome.stopReason()).isEqualTo(local.outcome().stopReason());
        assertThat(outcome.paretoFront()).isEqualTo(local.outcome().paretoFront());

        String folder = "fleet/quantized/chain/1/" + requestId + "/";
        assertThat(outcome.quantizedModel().key()).isEqualTo(folder + "model.onnx");
        byte[] promoted = store.readBytes(outcome.quantizedModel());
        assertThat(promoted).isEqualTo(local.winner().modelBytes());
        assertRuns(promoted);

        assertThat(outcome.report().key()).isEqualTo(folder + "report.json");
        SearchReport report = SearchReport.fromJson(new String(store.readBytes(outcome.report()), StandardCharsets.UTF_8));
        assertThat(report.winner().candidateId()).isEqualTo(outcome.winner().candidateId());
        assertThat(store.find(folder + "report.html")).isPresent();
    }

    /** Runs the model on one sample in ONNX Runtime and checks the output's shape and values. */
    private static void assertRuns(byte[] model) throws Exception {
        float[][] input = new float[1][ChainModel.WIDTH];
        Random random = new Random(3);
        for (int i = 0; i < ChainModel.WIDTH; i++) {
            input[0][i] = (float) random.nextGaussian();
        }
        try (OrtSession session = OrtSessions.create(model, 1, OrtSession.SessionOptions.OptLevel.ALL_OPT);
             OnnxTensor tensor = OnnxTensor.createTensor(OrtSessions.environment(), input);
             OrtSession.Result result = session.run(Map.of("x", tensor))) {
            float[][] output = (float[][]) result.get(0).getValue();
            assertThat(output).hasDimensions(1, ChainModel.WIDTH);
            for (float value : output[0]) {
                assertThat(value).isFinite();
            }
        }
    }

    private static LocalSearchResult localSearch() throws Exception {
        QuantizationRequest request = request("local", modelRef);
        LocalSearchSpec spec = new LocalSearchSpec(modelFile, calibrationFile, evaluationFile, null, null,
                request.goal().toSearchGoal(), request.strategy(), request.budget().toSearchBudget(), SEED, 1,
                EvaluationSettings.of(1), null);
        return LocalSearch.run(spec, progress -> { });
    }

    private static QuantizationRequest request(String requestId, ArtifactRef model) {
        return new QuantizationRequest(WireMessage.CURRENT_SCHEMA_VERSION, requestId,
                new ModelReference("chain", "1", model, List.of()),
                new DataReference(calibrationRef, "calibration.npy", null, null),
                new DataReference(evaluationRef, "evaluation.npy", null, null), null,
                new RequestGoal("cosine", null, 0.001, false, null), "auto", new RequestBudget(MAX_TRIALS, null, false),
                SEED, "cpu", List.of(), "test", "kafka", null);
    }

    private static CoordinatorRuntime startCoordinator() {
        return CoordinatorRuntime.start(new CoordinatorRuntime.KafkaSettings(bootstrap(), true, 2, (short) 1), store,
                directory.resolve("coordinator-cache"),
                new IntakeLimits(List.of("cpu"), 1 << 20, 0, 1 << 20, 100),
                new SearchSettings(60_000, 2, new TaskSettings(1, false)), SearchListener.NONE);
    }

    private static void send(QuantizationRequest request) throws Exception {
        producer.send(new ProducerRecord<>(Topics.REQUESTS, request.requestId(), WireJson.toBytes(request))).get();
    }

    private static KafkaConsumer<String, byte[]> outcomeConsumer() {
        KafkaConsumer<String, byte[]> consumer = TestKafka.consumer(bootstrap());
        TestKafka.assignFromBeginning(consumer, Topics.OUTCOMES);
        return consumer;
    }

    private static Map<String, SearchOutcome> awaitOutcomes(KafkaConsumer<String, byte[]> consumer, int count,
                                                            Predicate<String> wanted) {
        Map<String, SearchOutcome> outcomes = new HashMap<>();
        long deadline = System.nanoTime() + OUTCOME_TIMEOUT.toNanos();
        while (outcomes.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                if (wanted.test(record.key())) {
                    outcomes.put(record.key(), WireJson.fromBytes(record.value(), SearchOutcome.class));
                }
            }
        }
        assertThat(outcomes).as("outcomes within %s", OUTCOME_TIMEOUT).hasSize(count);
        return outcomes;
    }

    private static void awaitRoundPlan(KafkaConsumer<String, byte[]> consumer, String requestId, int round) {
        long deadline = System.nanoTime() + OUTCOME_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                RoundOpened plan = WireJson.fromBytes(record.value(), RoundOpened.class);
                if (plan.requestId().equals(requestId) && plan.round() == round) {
                    return;
                }
            }
        }
        throw new AssertionError("No plan of round " + round + " of request " + requestId + " within "
                + OUTCOME_TIMEOUT);
    }

    private static String bootstrap() {
        return stack.kafka().bootstrapServers();
    }
}
