package dev.quantfleet.cli.fleet;

import dev.quantfleet.common.artifacts.ArtifactStore;
import dev.quantfleet.common.artifacts.ArtifactStoreConfig;
import dev.quantfleet.common.topics.Topics;
import dev.quantfleet.localstack.EmbeddedKafka;
import dev.quantfleet.localstack.EmbeddedS3;
import dev.quantfleet.localstack.LocalStack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A whole fleet on this machine: a Kafka broker and an S3 server inside this JVM, the coordinator
 * and {@code workers} workers as child JVMs, all on 127.0.0.1.
 *
 * <p>Logs go to {@code <logs>/coordinator.log} and {@code <logs>/worker-<n>.log}; caches and
 * Kafka Streams state to a temporary folder that {@link #close()} deletes. A JVM shutdown hook
 * (Ctrl-C) stops everything that {@link #close()} would stop.
 */
public final class LocalFleet implements AutoCloseable {

    /** The bucket of the local S3 server. */
    public static final String BUCKET = "quantfleet";
    /** The key prefix of every artifact. */
    public static final String PREFIX = "quantfleet";

    private static final List<String> TOPICS = List.of(Topics.REQUESTS, Topics.ROUND_PLANS, Topics.RESULTS,
            Topics.ROUNDS, Topics.OUTCOMES, Topics.MODEL_EVENTS, Topics.tasks(Topics.DEFAULT_POOL), Topics.TASKS_DLQ);
    private static final int MIN_PARTITIONS = 3;
    /**
     * Time limit of one task on a worker, below the coordinator's default round deadline of 10
     * minutes, so that a worker gives up on a task before the aggregator sends it to another worker.
     */
    private static final String WORKER_TASK_TIMEOUT = "9m";

    private final LocalStack stack;
    private final Path workFolder;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::stopAll, "quantfleet-local-fleet-stop");
    private ArtifactStore store;
    private CoordinatorClient coordinator;
    private volatile boolean closed;

    /**
     * The shape of a local fleet.
     *
     * @param jars           the Quarkus applications to run
     * @param workers        worker processes, 1 or more
     * @param logFolder      folder of the services' log files; created when missing
     * @param taskThreads    ONNX Runtime threads of each task
     * @param measureLatency whether the workers measure latency
     * @param readyTimeout   longest wait for each service's readiness
     */
    public record Settings(ServiceJars jars, int workers, Path logFolder, int taskThreads, boolean measureLatency,
                           Duration readyTimeout) {

        public Settings {
            if (workers < 1) {
                throw new IllegalArgumentException("workers is " + workers + "; it must be 1 or more");
            }
        }
    }

    private LocalFleet(LocalStack stack, Path workFolder) {
        this.stack = stack;
        this.workFolder = workFolder;
    }

    /**
     * Starts the stack, the coordinator and the workers, and waits until each service is ready.
     * On failure everything started so far is stopped before the exception is thrown.
     *
     * @param progress receives one line per step, e.g. for standard error
     * @throws FleetException naming the service and its log file when one does not start
     */
    public static LocalFleet start(Settings settings, Consumer<String> progress) {
        settings.jars().requireBuilt();
        Path workFolder = createFolders(settings.logFolder());
        progress.accept("Starting Kafka and S3 on 127.0.0.1 ...");
        LocalStack stack = LocalStack.start(EmbeddedKafka.builder(),
                EmbeddedS3.builder().bucket(BUCKET));
        LocalFleet fleet = new LocalFleet(stack, workFolder);
        Runtime.getRuntime().addShutdownHook(fleet.shutdownHook);
        try {
            fleet.startServices(settings, progress);
            return fleet;
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    /** Returns the REST client of the coordinator. */
    public CoordinatorClient coordinator() {
        return coordinator;
    }

    /** Returns the bootstrap servers of the in-process Kafka broker, for clients that read the fleet's topics. */
    public String bootstrapServers() {
        return stack.kafka().bootstrapServers();
    }

    /** Returns the artifact store on the local S3 server. */
    public ArtifactStore store() {
        return store;
    }

    /** Returns whether the fleet was stopped, by {@link #close} or by the JVM's shutdown (Ctrl-C). */
    public boolean stopped() {
        return closed;
    }

    /** Stops the workers, the coordinator, S3 and Kafka, and deletes the temporary folder. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down and runs the hook itself, which waits on this monitor.
        }
        stopAll();
    }

    private void startServices(Settings settings, Consumer<String> progress) {
        int partitions = Math.max(MIN_PARTITIONS, settings.workers());
        stack.kafka().createTopics(partitions, TOPICS.toArray(String[]::new));
        EmbeddedS3 s3 = stack.s3();
        store = ArtifactStore.open(ArtifactStoreConfig.of(s3.endpointUri(), EmbeddedS3.REGION, BUCKET, PREFIX,
                s3.accessKey(), s3.secretKey()));
        long deadlineNanos = System.nanoTime() + settings.readyTimeout().toNanos();

        int coordinatorPort = freePort();
        progress.accept("Starting the coordinator and " + settings.workers() + " worker"
                + (settings.workers() == 1 ? "" : "s") + " (logs in " + settings.logFolder() + ") ...");
        ServiceProcess coordinatorProcess = launch("coordinator", settings.jars().coordinator(),
                coordinatorProperties(settings, coordinatorPort), settings.logFolder(), coordinatorPort);
        List<ServiceProcess> workers = new ArrayList<>();
        for (int i = 1; i <= settings.workers(); i++) {
            int port = freePort();
            workers.add(launch("worker-" + i, settings.jars().worker(), workerProperties(i, port),
                    settings.logFolder(), port));
        }
        coordinatorProcess.awaitReady(deadlineNanos, settings.readyTimeout());
        for (ServiceProcess worker : workers) {
            worker.awaitReady(deadlineNanos, settings.readyTimeout());
        }
        coordinator = new CoordinatorClient(URI.create("http://127.0.0.1:" + coordinatorPort), null);
    }

    private Map<String, String> coordinatorProperties(Settings settings, int port) {
        String bootstrap = stack.kafka().bootstrapServers();
        return Map.ofEntries(
                Map.entry("quarkus.http.port", Integer.toString(port)),
                Map.entry("kafka.bootstrap.servers", bootstrap),
                Map.entry("quarkus.kafka-streams.bootstrap-servers", bootstrap),
                Map.entry("kafka-streams.state.dir", workFolder.resolve("coordinator-streams").toString()),
                Map.entry("kafka-streams.replication.factor", "1"),
                Map.entry("quantfleet.kafka.bootstrap-servers", bootstrap),
                Map.entry("quantfleet.kafka.create-topics", "false"),
                Map.entry("quantfleet.s3.endpoint", stack.s3().endpointUri().toString()),
                Map.entry("quantfleet.s3.region", EmbeddedS3.REGION),
                Map.entry("quantfleet.s3.bucket", BUCKET),
                Map.entry("quantfleet.s3.prefix", PREFIX),
                Map.entry("quantfleet.cache-dir", workFolder.resolve("coordinator-cache").toString()),
                Map.entry("quantfleet.search.task-threads", Integer.toString(settings.taskThreads())),
                Map.entry("quantfleet.search.measure-latency", Boolean.toString(settings.measureLatency())));
    }

    private Map<String, String> workerProperties(int index, int port) {
        Path folder = workFolder.resolve("worker-" + index);
        return Map.of(
                "quarkus.http.port", Integer.toString(port),
                "kafka.bootstrap.servers", stack.kafka().bootstrapServers(),
                "quantfleet.worker.id", "worker-" + index,
                "quantfleet.worker.cache.directory", folder.resolve("cache").toString(),
                "quantfleet.worker.cache.work-directory", folder.resolve("tasks").toString(),
                "quantfleet.worker.s3.endpoint", stack.s3().endpointUri().toString(),
                "quantfleet.worker.s3.region", EmbeddedS3.REGION,
                "quantfleet.worker.s3.bucket", BUCKET,
                "quantfleet.worker.s3.prefix", PREFIX,
                "quantfleet.worker.task-timeout", WORKER_TASK_TIMEOUT);
    }

    /** Starts one service; the S3 credentials travel in the environment, not on the command line. */
    private ServiceProcess launch(String name, Path jar, Map<String, String> properties, Path logFolder, int port) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        properties.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> command.add("-D" + entry.getKey() + "=" + entry.getValue()));
        command.add("-jar");
        command.add(jar.toString());
        EmbeddedS3 s3 = stack.s3();
        Map<String, String> environment = Map.of(
                "QUANTFLEET_S3_ACCESS_KEY_ID", s3.accessKey(),
                "QUANTFLEET_S3_SECRET_ACCESS_KEY", s3.secretKey(),
                "QUANTFLEET_WORKER_S3_ACCESS_KEY_ID", s3.accessKey(),
                "QUANTFLEET_WORKER_S3_SECRET_ACCESS_KEY", s3.secretKey());
        ServiceProcess service = ServiceProcess.start(name, command, environment, logFolder.resolve(name + ".log"),
                port);
        services.add(service);
        return service;
    }

    private synchronized void stopAll() {
        if (closed) {
            return;
        }
        closed = true;
        services.forEach(ServiceProcess::requestStop);
        services.forEach(ServiceProcess::stop);
        if (store != null) {
            store.close();
        }
        try {
            stack.close();
        } finally {
            deleteRecursively(workFolder);
        }
    }

    private static Path createFolders(Path logFolder) {
        try {
            Files.createDirectories(logFolder);
            return Files.createTempDirectory("quantfleet-fleet-");
        } catch (IOException e) {
            throw new FleetException("Cannot create the folders of the local fleet (logs in " + logFolder + "): "
                    + e, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new FleetException("No free TCP port on 127.0.0.1 for a fleet service: " + e, e);
        }
    }

    private static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Deleting the temporary folder " + folder + " failed", e);
        }
    }
}
