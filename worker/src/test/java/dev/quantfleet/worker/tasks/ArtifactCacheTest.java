package dev.quantfleet.worker.tasks;

import dev.quantfleet.common.artifacts.ArtifactIntegrityException;
import dev.quantfleet.common.artifacts.ArtifactRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ArtifactCache} over an in-memory source that checks hashes like the artifact store. */
class ArtifactCacheTest {

    @TempDir
    Path directory;

    private final Map<String, byte[]> objects = new HashMap<>();
    private final AtomicInteger downloads = new AtomicInteger();

    @Test
    void secondRequestIsAHit() throws Exception {
        ArtifactRef ref = object("a", 100);
        ArtifactCache cache = new ArtifactCache(directory.resolve("cache"), 1_000, this::download);

        Path first = cache.materialize(ref, directory.resolve("task1/a.bin"));
        Path second = cache.materialize(ref, directory.resolve("task2/a.bin"));

        assertThat(Files.readAllBytes(second)).isEqualTo(objects.get(ref.key()));
        assertThat(Files.readAllBytes(first)).isEqualTo(objects.get(ref.key()));
        assertThat(cache.misses()).isEqualTo(1);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.bytesDownloaded()).isEqualTo(100);
        assertThat(downloads).hasValue(1);
    }

    @Test
    void leastRecentlyUsedIsEvictedBeyondTheLimit() throws Exception {
        ArtifactRef a = object("a", 400);
        ArtifactRef b = object("b", 400);
        ArtifactRef c = object("c", 400);
        ArtifactCache cache = new ArtifactCache(directory.resolve("cache"), 1_000, this::download);

        cache.materialize(a, directory.resolve("t/a"));
        cache.materialize(b, directory.resolve("t/b"));
        cache.materialize(a, directory.resolve("t/a2"));
        cache.materialize(c, directory.resolve("t/c"));

        assertThat(cache.contains(a.sha256())).isTrue();
        assertThat(cache.contains(b.sha256())).as("least recently used").isFalse();
        assertThat(cache.contains(c.sha256())).isTrue();
        assertThat(cache.cachedBytes()).isEqualTo(800);
        assertThat(directory.resolve("t/b")).as("a task's link survives eviction").hasSize(400);
    }

    @Test
    void oversizedArtifactIsNotKept() throws Exception {
        ArtifactRef big = object("big", 2_000);
        ArtifactCache cache = new ArtifactCache(directory.resolve("cache"), 1_000, this::download);

        Path target = cache.materialize(big, directory.resolve("t/big"));

        assertThat(target).hasSize(2_000);
        assertThat(cache.contains(big.sha256())).isFalse();
        assertThat(cache.cachedBytes()).isZero();
    }

    @Test
    void corruptedFileFromEarlierRunIsDownloadedAgain() throws Exception {
        ArtifactRef ref = object("a", 100);
        Path cacheDirectory = directory.resolve("cache");
        new ArtifactCache(cacheDirectory, 1_000, this::download).materialize(ref, directory.resolve("t/a"));
        Files.write(cacheDirectory.resolve(ref.sha256()), new byte[100]);

        ArtifactCache reopened = new ArtifactCache(cacheDirectory, 1_000, this::download);
        Path target = reopened.materialize(ref, directory.resolve("t2/a"));

        assertThat(Files.readAllBytes(target)).isEqualTo(objects.get(ref.key()));
        assertThat(reopened.misses()).isEqualTo(1);
        assertThat(downloads).hasValue(2);
    }

    @Test
    void intactFileFromEarlierRunIsAHit() throws Exception {
        ArtifactRef ref = object("a", 100);
        Path cacheDirectory = directory.resolve("cache");
        new ArtifactCache(cacheDirectory, 1_000, this::download).materialize(ref, directory.resolve("t/a"));

        ArtifactCache reopened = new ArtifactCache(cacheDirectory, 1_000, this::download);
        reopened.materialize(ref, directory.resolve("t2/a"));

        assertThat(reopened.hits()).isEqualTo(1);
        assertThat(downloads).hasValue(1);
    }

    @Test
    void concurrentRequestsDownloadOnce() throws Exception {
        ArtifactRef ref = object("shared", 50_000);
        ArtifactCache cache = new ArtifactCache(directory.resolve("cache"), 1_000_000, this::download);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Path target = directory.resolve("task" + i + "/shared");
                results.add(threads.submit(() -> cache.materialize(ref, target)));
            }
            for (Future<Path> result : results) {
                assertThat(Files.readAllBytes(result.get())).isEqualTo(objects.get(ref.key()));
            }
        } finally {
            threads.shutdown();
        }

        assertThat(downloads).hasValue(1);
        assertThat(cache.hits()).isEqualTo(7);
    }

    @Test
    void mismatchedDownloadLeavesNothingCached() {
        ArtifactRef ref = object("a", 100);
        ArtifactRef wrong = new ArtifactRef(ref.key(), "f".repeat(64), 100);
        ArtifactCache cache = new ArtifactCache(directory.resolve("cache"), 1_000, this::download);

        assertThatThrownBy(() -> cache.materialize(wrong, directory.resolve("t/a")))
                .isInstanceOf(ArtifactIntegrityException.class);
        assertThat(cache.contains(wrong.sha256())).isFalse();
        assertThat(cache.cachedBytes()).isZero();
    }

    private ArtifactRef object(String name, int size) {
        byte[] bytes = new byte[size];
        byte[] seed = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (seed[i % seed.length] + i);
        }
        String key = "quantfleet/" + name;
        objects.put(key, bytes);
        return new ArtifactRef(key, sha256(bytes), size);
    }

    /** Writes the object and checks its hash, as {@code ArtifactStore.download} does. */
    private void download(ArtifactRef ref, Path target) {
        downloads.incrementAndGet();
        byte[] bytes = objects.get(ref.key());
        if (!sha256(bytes).equals(ref.sha256())) {
            throw new ArtifactIntegrityException("Object " + ref.key() + " has another SHA-256 than " + ref.sha256());
        }
        try {
            Files.write(target, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
