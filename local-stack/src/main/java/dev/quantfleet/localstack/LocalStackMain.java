package dev.quantfleet.localstack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * Starts Kafka and S3 as child processes on 127.0.0.1, prints their endpoints and runs until
 * interrupted (Ctrl+C), then stops both.
 *
 * <pre>
 * java -cp local-stack/target/classes:$(cat local-stack/target/local-stack.classpath) \
 *     dev.quantfleet.localstack.LocalStackMain [work directory] [bucket ...]
 * </pre>
 *
 * <p>The work directory defaults to {@code target/local-stack}; it must not contain a {@code
 * kafka} directory from an earlier run. Buckets default to {@code quantfleet}.
 */
public final class LocalStackMain {

    private static final String LOGBACK_CONFIGURATION_PROPERTY = "logback.configurationFile";

    private LocalStackMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // Logback without a configuration logs everything at DEBUG, including HTTP wire bytes.
        // This must run before the first logger is created.
        if (System.getProperty(LOGBACK_CONFIGURATION_PROPERTY) == null) {
            System.setProperty(LOGBACK_CONFIGURATION_PROPERTY, "dev/quantfleet/localstack/child-logback.xml");
        }
        Path workDirectory = Path.of(args.length > 0 ? args[0] : "target/local-stack").toAbsolutePath();
        List<String> buckets = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("quantfleet");

        LocalStackProcess stack = LocalStackProcess.start(workDirectory, buckets);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "stop-local-stack"));
        printEndpoints(System.out, stack, buckets);
        stopped.await();
    }

    private static void printEndpoints(PrintStream out, LocalStackProcess stack, List<String> buckets) {
        Map<String, String> environment = new TreeMap<>(stack.s3().endpoint().environment());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers());
        List<String> lines = new ArrayList<>();
        lines.add("Local stack is running (Ctrl+C stops it). Local-only credentials:");
        environment.forEach((name, value) -> lines.add("export " + name + "=" + value));
        lines.add("# buckets: " + String.join(", ", buckets));
        lines.add("# Kafka log: " + stack.kafka().logFile() + " (pid " + stack.kafka().pid() + ")");
        lines.add("# S3 log:    " + stack.s3().logFile() + " (pid " + stack.s3().pid() + ")");
        lines.forEach(out::println);
        out.flush();
    }
}
