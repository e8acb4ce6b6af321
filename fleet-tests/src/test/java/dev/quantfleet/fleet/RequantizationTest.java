package dev.quantfleet.fleet;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.artifacts.ArtifactStoreConfig;
import dev.quantfleet.common.messages.DataReference;
import dev.quantfleet.common.messages.ModelEventSource;
import dev.quantfleet.common.messages.ModelReference;
import dev.quantfleet.common.messages.ModelVersionPublished;
import dev.quantfleet.common.messages.OutcomeStatus;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RequestBudget;
import dev.quantfleet.common.messages.RequestGoal;
import dev.quantfleet.common.messages.RequestLineage;
import dev.quantfleet.common.messages.SearchOutcome;
import dev.quantfleet.common.messages.WireJson;
import dev.quantfleet.common.messages.WireMessage;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.coordinator.kafka.CoordinatorLoop;
import dev.quantfleet.coordinator.requantize.ModelEventConfig;
import dev.quantfleet.coordinator.requantize.ModelEventRuntime;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.report.CandidateEntry;
import dev.quantfleet.engine.report.Lineage;
import dev.quantfleet.engine.report.SearchReport;
import dev.quantfleet.engine.search.SearchDriver;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Re-quantization on the real fleet in one JVM: a finished search on version 1 of the
 * {@link ChainModel}, then a new version announced on {@code quantfleet.model-events}, first as the
 * JSON that a MinIO bucket notification carries for an object written straight to the bucket,
 * then as a {@link ModelVersionPublished}. Each new version must get one request with the earlier
 * winner as warm start and the lineage, and that request must complete with a promoted model.
 */
class RequantizationTest {

    private static final String POOL = "cpu";
    private static final String CONSUMER_GROUP = "requantization-test";
    private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);
    private static final InJvmFleet.Settings SETTINGS = new InJvmFleet.Settings(POOL, 60_000, 2);
    /** Fewer trials than {@link ChainSearch} keeps the three searches of a test short. */
    private static final int MAX_TRIALS = 4;
    private static final String VERSION_ID = "8c2c5b1e-0b7d-4f0e-9a61-3d5f0e8e2a17";

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void bucketNotificationRequantizesOnce() throws Exception {
        try (InJvmFleet fleet = InJvmFleet.start(directory, SETTINGS)) {
            ChainSearch.Uploaded uploaded = ChainSearch.upload(fleet.store(), ChainSearch.files());
            fleet.startCoordinator();
            fleet.startWorkers(1);
            SearchOutcome first;
            QuantizationRequest requantization;
            try (ModelEventRuntime requantizer = startRequantizer(fleet);
                 KafkaProducer<String, byte[]> producer = producer(fleet)) {
                fleet.submit(versionOneRequest("v1", uploaded));
                first = fleet.awaitOutcome("v1", OUTCOME_TIMEOUT);
                assertThat(first.winner()).as("winner of the search on version 1").isNotNull();
                String key = "models/" + ChainSearch.MODEL_NAME + "/2/model.onnx";
                byte[] version2 = ModelIo.toBytes(ChainModel.build(8));
                String eTag = putWithoutMetadata(fleet, key, version2);
                byte[] notification = minioNotification(key, version2.length, eTag);

                send(producer, InJvmFleet.BUCKET + "/" + key, notification);
                String eventId = InJvmFleet.BUCKET + "/" + key + "#" + VERSION_ID;
                requantization = awaitRequestOfEvent(fleet, eventId);

                assertThat(requantization.model().name()).isEqualTo(ChainSearch.MODEL_NAME);
                assertThat(requantization.model().version()).isEqualTo("2");
                assertThat(fleet.store().readBytes(requantization.model().onnx())).isEqualTo(version2);
                assertThat(requantization.warmStart()).containsExactly(first.winner().config());
                assertSameSearchSettings(requantization, versionOneRequest("v1", uploaded));
                assertThat(requantization.lineage()).isEqualTo(new RequestLineage("v1", "1",
                        first.winner().candidateId(), eventId, ModelEventSource.S3_EVENT, InJvmFleet.BUCKET, key,
                        VERSION_ID, eTag));
                assertCompletedWithLineage(fleet, requantization);

                send(producer, InJvmFleet.BUCKET + "/" + key, notification);
                awaitEventsHandled(fleet);
                assertThat(requestsWithLineage(fleet)).as("requests after the repeated notification").hasSize(1);
            }
            try (ModelEventRuntime restarted = startRequantizer(fleet);
                 KafkaProducer<String, byte[]> producer = producer(fleet)) {
                send(producer, InJvmFleet.BUCKET + "/models/chain/2/model.onnx",
                        minioNotification("models/chain/2/model.onnx", requantization.model().onnx().sizeBytes(),
                                requantization.lineage().objectETag()));
                awaitEventsHandled(fleet);
                assertThat(requestsWithLineage(fleet)).as("requests after a restart and the same notification")
                        .extracting(QuantizationRequest::requestId).containsExactly(requantization.requestId());
            }
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void publishedVersionRequantizes() throws Exception {
        try (InJvmFleet fleet = InJvmFleet.start(directory, SETTINGS)) {
            ChainSearch.Uploaded uploaded = ChainSearch.upload(fleet.store(), ChainSearch.files());
            fleet.startCoordinator();
            fleet.startWorkers(1);
            try (ModelEventRuntime requantizer = startRequantizer(fleet);
                 KafkaProducer<String, byte[]> producer = producer(fleet)) {
                ModelVersionPublished unknown = published(fleet, "other-model", "1", 9, "other-model/1");
                send(producer, unknown.key(), WireJson.toBytes(unknown));
                fleet.submit(versionOneRequest("v1", uploaded));
                SearchOutcome first = fleet.awaitOutcome("v1", OUTCOME_TIMEOUT);
                ModelVersionPublished version3 = published(fleet, ChainSearch.MODEL_NAME, "3", 9, "chain/3/release");

                send(producer, version3.key(), WireJson.toBytes(version3));
                QuantizationRequest requantization = awaitRequestOfEvent(fleet, "chain/3/release");

                assertThat(requantization.model()).isEqualTo(version3.model());
                assertThat(requantization.warmStart()).containsExactly(first.winner().config());
                assertSameSearchSettings(requantization, versionOneRequest("v1", uploaded));
                assertThat(requantization.lineage()).isEqualTo(new RequestLineage("v1", "1",
                        first.winner().candidateId(), "chain/3/release", ModelEventSource.PRODUCER, null, null, null,
                        null));
                assertCompletedWithLineage(fleet, requantization);
                send(producer, version3.key(), WireJson.toBytes(version3));
                awaitEventsHandled(fleet);
                assertThat(requestsWithLineage(fleet)).extracting(QuantizationRequest::requestId)
                        .as("one request for chain/3/release, none for the model without a search")
                        .containsExactly(requantization.requestId());
            }
        }
    }

    private static QuantizationRequest versionOneRequest(String requestId, ChainSearch.Uploaded uploaded) {
        return new QuantizationRequest(WireMessage.CURRENT_SCHEMA_VERSION, requestId,
                new ModelReference(ChainSearch.MODEL_NAME, ChainSearch.MODEL_VERSION, uploaded.model(), List.of()),
                new DataReference(uploaded.calibration(), "calibration.npy", null, null),
                new DataReference(uploaded.evaluation(), "evaluation.npy", null, null), null,
                new RequestGoal(ChainSearch.METRIC, null, ChainSearch.MAX_DROP, false, null), ChainSearch.STRATEGY,
                new RequestBudget(MAX_TRIALS, null, false), ChainSearch.SEED, POOL, List.of(), "fleet-tests", "kafka",
                null);
    }

    private ModelEventRuntime startRequantizer(InJvmFleet fleet) {
        ModelEventRuntime runtime = ModelEventRuntime.start(fleet.bootstrapServers(), fleet.store(),
                directory.resolve("model-imports"), new ModelEventConfig(InJvmFleet.BUCKET,
                        ModelEventConfig.DEFAULT_MODELS_PREFIX, CONSUMER_GROUP));
        Poll.until("the model event loop to read the history", EVENT_TIMEOUT, runtime::ready);
        return runtime;
    }

    private static KafkaProducer<String, byte[]> producer(InJvmFleet fleet) {
        return new KafkaProducer<>(CoordinatorLoop.producerProperties(fleet.bootstrapServers()));
    }

    private static void send(KafkaProducer<String, byte[]> producer, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.MODEL_EVENTS, key, value)).get();
    }

    /** Writes {@code bytes} to {@code key} of the fleet's bucket as another S3 client would, and returns the ETag. */
    private static String putWithoutMetadata(InJvmFleet fleet, String key, byte[] bytes) {
        ArtifactStoreConfig config = fleet.store().config();
        try (S3Client s3 = S3Client.builder().endpointOverride(config.endpoint()).region(Region.of(config.region()))
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey())))
                .build()) {
            PutObjectResponse response = s3.putObject(b -> b.bucket(InJvmFleet.BUCKET).key(key),
                    RequestBody.fromBytes(bytes));
            return response.eTag().replace("\"", "");
        }
    }

    /**
     * Returns the JSON of a MinIO bucket notification of a versioned bucket for a PUT of
     * {@code key}, in the shape of MinIO's documented event format (the key URL-encoded, as MinIO
     * sends it).
     */
    private static byte[] minioNotification(String key, long sizeBytes, String eTag) {
        String encodedKey = URLEncoder.encode(key, StandardCharsets.UTF_8);
        String json = """
                {"EventName": "s3:ObjectCreated:Put", "Key": "%1$s/%2$s",
                 "Records": [{"eventVersion": "2.0", "eventSource": "minio:s3", "awsRegion": "",
                   "eventTime": "2024-06-02T10:00:00.000Z", "eventName": "s3:ObjectCreated:Put",
                   "userIdentity": {"principalId": "minioadmin"},
                   "requestParameters": {"principalId": "minioadmin", "region": "", "sourceIPAddress": "127.0.0.1"},
                   "responseElements": {"x-amz-id-2": "dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8",
                     "x-amz-request-id": "17D8C6B2E8F1A2B3", "x-minio-deployment-id": "deployment",
                     "x-minio-origin-endpoint": "http://127.0.0.1:9000"},
                   "s3": {"s3SchemaVersion": "1.0", "configurationId": "Config",
                     "bucket": {"name": "%1$s", "ownerIdentity": {"principalId": "minioadmin"},
                       "arn": "arn:aws:s3:::%1$s"},
                     "object": {"key": "%2$s", "size": %3$d, "eTag": "%4$s",
                       "contentType": "application/octet-stream",
                       "userMetadata": {"content-type": "application/octet-stream"},
                       "versionId": "%5$s", "sequencer": "17D8C6B2E8F1A2B3"}},
                   "source": {"host": "127.0.0.1", "port": "", "userAgent": "MinIO (linux; amd64) minio-go/v7"}}]}
                """.formatted(InJvmFleet.BUCKET, encodedKey, sizeBytes, eTag, VERSION_ID);
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** Uploads a chain model built with {@code modelSeed} and returns the record announcing it. */
    private ModelVersionPublished published(InJvmFleet fleet, String name, String version, long modelSeed,
                                            String eventId) throws Exception {
        Path file = directory.resolve(name + "-" + version + ".onnx");
        ModelIo.save(ChainModel.build(modelSeed), file);
        ArtifactRef onnx = fleet.store().putContent(file);
        return new ModelVersionPublished(WireMessage.CURRENT_SCHEMA_VERSION,
                new ModelReference(name, version, onnx, List.of()), ModelEventSource.PRODUCER, eventId,
                1_717_329_600_000L);
    }

    private static void assertSameSearchSettings(QuantizationRequest requantization, QuantizationRequest earlier) {
        assertThat(requantization.goal()).isEqualTo(earlier.goal());
        assertThat(requantization.budget()).isEqualTo(earlier.budget());
        assertThat(requantization.strategy()).isEqualTo(earlier.strategy());
        assertThat(requantization.seed()).isEqualTo(earlier.seed());
        assertThat(requantization.calibrationData()).isEqualTo(earlier.calibrationData());
        assertThat(requantization.evaluationData()).isEqualTo(earlier.evaluationData());
        assertThat(requantization.source()).isEqualTo("model-event");
    }

    /**
     * Waits for the outcome of {@code request} and checks the promoted model, the warm start in
     * round 1 and the lineage in report.json and report.html.
     */
    private static void assertCompletedWithLineage(InJvmFleet fleet, QuantizationRequest request) throws Exception {
        SearchOutcome outcome = fleet.awaitOutcome(request.requestId(), OUTCOME_TIMEOUT);
        assertThat(outcome.status()).as("status: %s", outcome.rejectionReasons()).isEqualTo(OutcomeStatus.COMPLETED);
        String folder = InJvmFleet.PREFIX + "/quantized/" + request.model().name() + "/" + request.model().version()
                + "/" + request.requestId() + "/";
        assertThat(outcome.quantizedModel().key()).isEqualTo(folder + "model.onnx");
        byte[] promoted = fleet.store().readBytes(outcome.quantizedModel());
        List<String> opTypes = ModelProto.parseFrom(promoted).getGraph().getNodeList().stream()
                .map(NodeProto::getOpType).toList();
        assertThat(opTypes).contains("QuantizeLinear", "DequantizeLinear");
        ChainSearch.assertRuns(promoted);

        SearchReport report = SearchReport.fromJson(new String(fleet.store().readBytes(outcome.report()),
                StandardCharsets.UTF_8));
        RequestLineage lineage = request.lineage();
        assertThat(report.lineage()).isEqualTo(new Lineage(lineage.previousRequestId(),
                lineage.previousModelVersion(), lineage.previousWinnerCandidateId(), lineage.eventId(),
                lineage.eventSource().name(), lineage.bucket(), lineage.objectKey(), lineage.objectVersionId(),
                lineage.objectETag()));
        CandidateEntry warmStart = report.candidate(lineage.previousWinnerCandidateId()).orElseThrow();
        assertThat(warmStart.round()).isEqualTo(SearchDriver.WARM_START_ROUND);
        assertThat(report.search().trials()).isLessThanOrEqualTo(MAX_TRIALS);
        String html = new String(fleet.store().readBytes(fleet.store().find(folder + "report.html").orElseThrow()),
                StandardCharsets.UTF_8);
        assertThat(html).contains("<h2>Re-quantization</h2>", lineage.previousRequestId());
    }

    private static QuantizationRequest awaitRequestOfEvent(InJvmFleet fleet, String eventId) {
        return Poll.value("a request of model event " + eventId, EVENT_TIMEOUT, () -> requestsWithLineage(fleet)
                .stream().filter(request -> request.lineage().eventId().equals(eventId)).findFirst());
    }

    /** Returns every request on the requests topic that a model event started. */
    private static List<QuantizationRequest> requestsWithLineage(InJvmFleet fleet) {
        return readAll(fleet, Topics.REQUESTS).stream()
                .map(record -> WireJson.fromBytes(record.value(), QuantizationRequest.class))
                .filter(request -> request.lineage() != null).toList();
    }

    /** Waits until the model event group has committed the end offset of every model event partition. */
    private static void awaitEventsHandled(InJvmFleet fleet) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fleet.bootstrapServers()));
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                     CoordinatorLoop.consumerProperties(fleet.bootstrapServers()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.MODEL_EVENTS).stream()
                    .map(info -> new TopicPartition(Topics.MODEL_EVENTS, info.partition())).toList();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Poll.until("the model events up to " + ends + " to be handled", EVENT_TIMEOUT, () -> {
                Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(admin);
                return ends.entrySet().stream().allMatch(end -> end.getValue() == 0
                        || committed.get(end.getKey()) != null
                        && committed.get(end.getKey()).offset() >= end.getValue());
            });
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committedOffsets(Admin admin) {
        try {
            return admin.listConsumerGroupOffsets(CONSUMER_GROUP).partitionsToOffsetAndMetadata().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Listing the offsets of group " + CONSUMER_GROUP + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while listing the offsets of group " + CONSUMER_GROUP, e);
        }
    }

    /** Reads {@code topic} from its beginning to its current end, read_committed. */
    private static List<ConsumerRecord<String, byte[]>> readAll(InJvmFleet fleet, String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                CoordinatorLoop.consumerProperties(fleet.bootstrapServers()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }
}
