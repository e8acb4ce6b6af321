package dev.quantfleet.worker.tasks;

import dev.quantfleet.common.artifacts.ArtifactIntegrityException;
import dev.quantfleet.common.artifacts.ArtifactRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A bounded on-disk cache of artifacts, keyed by SHA-256: the file {@code <directory>/<sha256>}
 * contains the bytes whose hash is its name.
 *
 * <p>Invariants: a file under its hash name was verified, by the download or by hashing it once
 * after a restart, before any caller saw it. The total size of the cached files stays at or
 * below {@code maxBytes} after each call, by evicting the least recently used files; an
 * artifact larger than {@code maxBytes} is handed out and then evicted at once. Callers get a
 * hard link (or, across file systems, a copy) at a path of their choice, so an eviction never
 * removes a file that a running task reads.
 *
 * <p>Thread-safe: one lock per hash serializes the download of that hash, and one lock guards
 * the index, so two tasks that need the same model download it once.
 */
public final class ArtifactCache {

    private static final Logger LOG = LoggerFactory.getLogger(ArtifactCache.class);
    private static final Pattern SHA256_NAME = Pattern.compile("[0-9a-f]{64}");

    private final Path directory;
    private final long maxBytes;
    private final ArtifactSource source;
    private final Map<String, Object> hashLocks = new ConcurrentHashMap<>();
    /** Cached hash to size in bytes, in access order: the first entry is the least recently used. */
    private final LinkedHashMap<String, Long> entries = new LinkedHashMap<>(16, 0.75f, true);
    /** Hashes found on disk at start-up and not yet hashed again. */
    private final Map<String, Boolean> unverified = new ConcurrentHashMap<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong bytesDownloaded = new AtomicLong();
    private long totalBytes;

    /**
     * Opens the cache in {@code directory}, creating it, and indexes the files there from an
     * earlier run (oldest modification first); partial downloads are deleted.
     *
     * @param maxBytes most bytes the cached files may take; 0 or more
     */
    public ArtifactCache(Path directory, long maxBytes, ArtifactSource source) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes is " + maxBytes + "; the cache size limit must be 0 or more");
        }
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.source = source;
        try {
            Files.createDirectories(directory);
            indexExistingFiles();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to open the artifact cache in " + directory, e);
        }
        synchronized (entries) {
            evictBeyondLimit();
        }
    }

    /**
     * Places the artifact of {@code ref} at {@code target}, downloading it unless it is cached.
     *
     * @return {@code target}
     * @throws ArtifactIntegrityException if the downloaded bytes do not match {@code ref}
     * @throws RuntimeException if the download fails
     */
    public Path materialize(ArtifactRef ref, Path target) throws IOException {
        String sha256 = ref.sha256();
        Object lock = hashLocks.computeIfAbsent(sha256, ignored -> new Object());
        synchronized (lock) {
            Path cached = directory.resolve(sha256);
            if (isCached(sha256, ref, cached)) {
                hits.incrementAndGet();
            } else {
                misses.incrementAndGet();
                download(ref, cached);
            }
            link(cached, target);
            synchronized (entries) {
                evictBeyondLimit();
            }
        }
        return target;
    }

    /** Number of {@link #materialize} calls served from the cache. */
    public long hits() {
        return hits.get();
    }

    /** Number of {@link #materialize} calls that downloaded the artifact. */
    public long misses() {
        return misses.get();
    }

    /** Bytes downloaded into the cache since it was opened. */
    public long bytesDownloaded() {
        return bytesDownloaded.get();
    }

    /** Bytes the cached files take now. */
    public long cachedBytes() {
        synchronized (entries) {
            return totalBytes;
        }
    }

    /** Returns whether the artifact with SHA-256 {@code sha256} is cached now. */
    public boolean contains(String sha256) {
        synchronized (entries) {
            return entries.containsKey(sha256);
        }
    }

    private boolean isCached(String sha256, ArtifactRef ref, Path cached) throws IOException {
        synchronized (entries) {
            Long size = entries.get(sha256);
            if (size == null) {
                return false;
            }
            if (size == ref.sizeBytes() && Files.isRegularFile(cached) && unverified.get(sha256) == null) {
                return true;
            }
        }
        if (unverified.remove(sha256) != null && Files.size(cached) == ref.sizeBytes()
                && FileHashes.sha256(cached).equals(sha256)) {
            return true;
        }
        LOG.warn("Cached artifact {} does not match its hash or size {}; downloading it again", cached,
                ref.sizeBytes());
        remove(sha256);
        return false;
    }

    private void download(ArtifactRef ref, Path cached) throws IOException {
        Path partial = Files.createTempFile(directory, ref.sha256(), ".download");
        try {
            source.download(ref, partial);
            long size = Files.size(partial);
            Files.move(partial, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            bytesDownloaded.addAndGet(size);
            synchronized (entries) {
                Long previous = entries.put(ref.sha256(), size);
                totalBytes += size - (previous == null ? 0 : previous);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static void link(Path cached, Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.deleteIfExists(target);
        try {
            Files.createLink(target, cached);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Hard link {} -> {} failed ({}); copying instead", target, cached, e.toString());
            Files.copy(cached, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes least recently used files until the total fits; the caller holds the index lock. */
    private void evictBeyondLimit() {
        var iterator = entries.entrySet().iterator();
        while (totalBytes > maxBytes && iterator.hasNext()) {
            Map.Entry<String, Long> entry = iterator.next();
            try {
                Files.deleteIfExists(directory.resolve(entry.getKey()));
            } catch (IOException e) {
                LOG.warn("Failed to evict {} from the artifact cache; it stays counted", entry.getKey(), e);
                continue;
            }
            totalBytes -= entry.getValue();
            unverified.remove(entry.getKey());
            iterator.remove();
            LOG.debug("Evicted {} ({} bytes) from the artifact cache", entry.getKey(), entry.getValue());
        }
    }

    private void remove(String sha256) throws IOException {
        synchronized (entries) {
            Long size = entries.remove(sha256);
            if (size != null) {
                totalBytes -= size;
            }
        }
        Files.deleteIfExists(directory.resolve(sha256));
    }

    private void indexExistingFiles() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted(ArtifactCache::byModificationTime).toList()) {
                String name = file.getFileName().toString();
                if (SHA256_NAME.matcher(name).matches() && Files.isRegularFile(file)) {
                    long size = Files.size(file);
                    entries.put(name, size);
                    unverified.put(name, Boolean.TRUE);
                    totalBytes += size;
                } else if (name.endsWith(".download")) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static int byModificationTime(Path first, Path second) {
        try {
            return Files.getLastModifiedTime(first).compareTo(Files.getLastModifiedTime(second));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the modification time in the artifact cache", e);
        }
    }
}
