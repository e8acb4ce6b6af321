package dev.quantfleet.localstack;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to start a server as a child JVM.
 *
 * @param classpath class path of the child; must contain Kafka or S3Proxy and logback
 * @param jvmOptions options placed before {@code -cp}, for example {@code -Xmx512m}
 * @param startupTimeout maximum time from launch until the server responds
 * @param stopGrace time between SIGTERM and SIGKILL
 */
public record LaunchSettings(String classpath, List<String> jvmOptions, Duration startupTimeout, Duration stopGrace) {

    public LaunchSettings {
        Objects.requireNonNull(classpath, "classpath");
        jvmOptions = List.copyOf(jvmOptions);
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        Objects.requireNonNull(stopGrace, "stopGrace");
    }

    /**
     * Returns settings with the class path of this JVM ({@code java.class.path}), the given heap
     * limit, a 60 s start-up timeout and a 10 s stop grace period.
     */
    public static LaunchSettings ofCurrentClasspath(String maxHeap) {
        return new LaunchSettings(System.getProperty("java.class.path"), List.of("-Xmx" + maxHeap),
                Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    public LaunchSettings withStartupTimeout(Duration timeout) {
        return new LaunchSettings(classpath, jvmOptions, timeout, stopGrace);
    }
}
