package dev.quantfleet.coordinator.intake;

import dev.quantfleet.common.artifacts.ArtifactRef;
import dev.quantfleet.common.messages.DataReference;
import dev.quantfleet.common.messages.ModelReference;
import dev.quantfleet.common.messages.QuantizationRequest;
import dev.quantfleet.common.messages.RequestBudget;
import dev.quantfleet.common.messages.RequestGoal;
import dev.quantfleet.common.messages.WireMessage;
import dev.quantfleet.coordinator.testing.ChainModel;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The intake's check of the labels' kind against the goal's task metric, on a model whose output
 * has a symbolic second dimension, so that the placeholder computation of the metric is skipped.
 * The files lie in the cache already, so no artifact store is needed.
 */
class DataCheckLabelsTest {

    private static final int SAMPLES = 4;

    @TempDir
    Path cache;

    @Test
    void classLabelsForCerAreRejected() throws IOException {
        List<String> reasons = reasons("cer", "0\n".repeat(SAMPLES));

        assertThat(reasons).singleElement().asString()
                .contains("goal.metric 'cer' cannot be computed on evaluationData 'e.npy' with labels 'classes.txt'")
                .contains("needs reference texts")
                .contains("not class labels");
    }

    @Test
    void classLabelsForAccuracyPass() throws IOException {
        assertThat(reasons("accuracy", "0\n".repeat(SAMPLES))).isEmpty();
    }

    @Test
    void textLabelsForCerPass() throws IOException {
        assertThat(reasons("cer", textLabels(SAMPLES))).isEmpty();
    }

    @Test
    void textLabelsWithTooFewTextsAreRejected() throws IOException {
        assertThat(reasons("cer", textLabels(SAMPLES - 1))).singleElement().asString()
                .contains("has " + (SAMPLES - 1) + " labels, but evaluationData 'e.npy' has " + SAMPLES + " samples");
    }

    /** Returns a text labels file with a two-character dictionary and {@code texts} reference texts. */
    private static String textLabels(int texts) {
        return "#quantfleet-text-labels 1\n#blank first\n#characters 2\na\nb\n#texts " + texts + "\n"
                + "ab\n".repeat(texts);
    }

    private List<String> reasons(String metric, String labelsText) throws IOException {
        ModelProto model = withSymbolicOutputLength(ChainModel.build(1));
        ArtifactRef samples = place("data", "e.npy", ChainModel.writeInputs(cache.resolve("inputs.npy"), SAMPLES, 2));
        ArtifactRef labels = place("data", "classes.txt", Files.writeString(cache.resolve("labels.txt"), labelsText));
        Path modelFile = Files.write(cache.resolve("model.onnx"), model.toByteArray());
        QuantizationRequest request = new QuantizationRequest(WireMessage.CURRENT_SCHEMA_VERSION, "r",
                new ModelReference("m", "1", new ArtifactRef("quantfleet/m", "b".repeat(64), 1), List.of()),
                new DataReference(samples, "e.npy", null, null), new DataReference(samples, "e.npy", null, null),
                labels, new RequestGoal(metric, null, 0.01, false, null), "auto", new RequestBudget(3, null, false), 1,
                "cpu", List.of(), null, null, null);
        RequestValidator validator = new RequestValidator(new ArtifactCache(null, cache),
                new IntakeLimits(List.of("cpu"), 1 << 20, 0, 1 << 20, 50));

        return new DataCheck(validator, request, model, modelFile).reasons();
    }

    /** Copies {@code file} to where the cache keeps an artifact of that content, and returns its reference. */
    private ArtifactRef place(String folder, String fileName, Path file) throws IOException {
        String sha256 = HexFormat.of().formatHex(sha256(Files.readAllBytes(file)));
        Path target = cache.resolve(folder).resolve(sha256).resolve(fileName);
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
        return new ArtifactRef("quantfleet/uploads/" + fileName, sha256, Files.size(file));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-256, which every Java platform must provide", e);
        }
    }

    private static ModelProto withSymbolicOutputLength(ModelProto model) {
        ModelProto.Builder builder = model.toBuilder();
        builder.getGraphBuilder().getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                .getDimBuilder(1).clearDimValue().setDimParam("length");
        return builder.build();
    }
}
