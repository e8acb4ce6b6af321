package dev.quantfleet.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Heap occupancy of this JVM while some work runs, measured three ways:
 * <ul>
 *   <li>{@link #liveBytesAfterFullGc()}: heap used right after {@code System.gc()}, the live set
 *       at that moment (the JVM is not started with {@code -XX:+DisableExplicitGC});</li>
 *   <li>{@link #maxBytesAfterGc()}: the largest heap used after any collection since
 *       {@link #start()}, from the collectors' notifications; an upper bound of the live set at
 *       those moments, because a young collection leaves old-generation garbage in place;</li>
 *   <li>{@link #peakUsedBytes()}: the sum of the heap pools' peak usage since {@link #start()},
 *       garbage included, so it depends on the heap size and the collector.</li>
 * </ul>
 * Only heap pools count: a collection's notification also lists metaspace and code cache, which
 * are left out. Native memory of ONNX Runtime is not on the heap; {@link #peakResidentBytes()}
 * reads the process's peak resident set size instead.
 */
final class HeapPeak implements AutoCloseable {

    private static final Path PROCESS_STATUS = Path.of("/proc/self/status");

    private final Set<String> heapPoolNames = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());
    private final AtomicLong maxBytesAfterGc = new AtomicLong();
    private final NotificationListener listener = this::onCollection;

    private HeapPeak() {
    }

    /** Collects garbage, resets the pools' peaks and starts listening to the collectors. */
    static HeapPeak start() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        HeapPeak peak = new HeapPeak();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener(peak.listener, null, null);
        }
        return peak;
    }

    /** Runs {@code System.gc()} and returns the heap used after it. */
    static long liveBytesAfterFullGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    long maxBytesAfterGc() {
        return maxBytesAfterGc.get();
    }

    long peakUsedBytes() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
    }

    /** Returns {@code VmHWM} of {@code /proc/self/status} in bytes, or -1 where the file or field is missing. */
    static long peakResidentBytes() {
        if (!Files.isReadable(PROCESS_STATUS)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(PROCESS_STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    String kibibytes = line.substring("VmHWM:".length()).replace("kB", "").trim();
                    return Long.parseLong(kibibytes) * 1024;
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + PROCESS_STATUS, e);
        }
    }

    @Override
    public void close() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            try {
                ((NotificationEmitter) collector).removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                throw new IllegalStateException("Heap listener of " + collector.getName() + " was already removed", e);
            }
        }
    }

    private void onCollection(Notification notification, Object handback) {
        if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long heapBytes = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPoolNames.contains(pool.getKey())) {
                heapBytes += pool.getValue().getUsed();
            }
        }
        maxBytesAfterGc.accumulateAndGet(heapBytes, Math::max);
    }
}
