package dev.quantfleet.engine.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.model.ModelLimits;
import dev.quantfleet.engine.model.ModelSummary;
import dev.quantfleet.engine.model.OrtRunner;
import dev.quantfleet.engine.model.OrtRunner.Input;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Converts the fp32 all-MiniLM-L6-v2 model (opset 11, from the test-scoped langchain4j
 * artifact) to opset 21 and compares ONNX Runtime outputs before and after.
 */
class MiniLmOpsetConversionTest {

    private static final Logger LOG = LoggerFactory.getLogger(MiniLmOpsetConversionTest.class);
    private static final String RESOURCE = "all-minilm-l6-v2.onnx";

    @TempDir
    Path folder;

    @Test
    void miniLmConvertsTo21WithSameEmbeddings() throws Exception {
        ModelProto model = ModelIo.load(copyResource(), ModelLimits.defaults());
        ModelSummary summary = ModelSummary.of(model);
        assertThat(summary.opsetVersions()).containsEntry("ai.onnx", 11L);
        assertThat(summary.opTypeCounts()).containsEntry("Unsqueeze", 51).containsEntry("ReduceMean", 26);
        assertThat(summary.inputs()).extracting(ModelSummary.ValueSummary::name)
                .containsExactly("input_ids", "attention_mask", "token_type_ids");

        OpsetConversion conversion = OpsetConverter.convert(model, 21);

        assertThat(conversion.rewrittenNodesByOpType())
                .containsEntry("Unsqueeze", 51)
                .containsEntry("ReduceMean", 26);
        for (NodeProto node : conversion.model().getGraph().getNodeList()) {
            assertThat(OpsetRewrites.attribute(node, "axes")).as(node.getName()).isEmpty();
        }

        int sequenceLength = 12;
        Random random = new Random(5);
        long[] inputIds = new long[sequenceLength];
        long[] attentionMask = new long[sequenceLength];
        long[] tokenTypes = new long[sequenceLength];
        inputIds[0] = 101;
        inputIds[sequenceLength - 1] = 102;
        for (int i = 0; i < sequenceLength; i++) {
            if (i > 0 && i < sequenceLength - 1) {
                inputIds[i] = 1000 + random.nextInt(20000);
            }
            attentionMask[i] = i < sequenceLength - 2 ? 1 : 0;
        }
        Input[] inputs = {
            Input.longs("input_ids", inputIds, 1, sequenceLength),
            Input.longs("attention_mask", attentionMask, 1, sequenceLength),
            Input.longs("token_type_ids", tokenTypes, 1, sequenceLength)
        };
        Map<String, float[]> expected = OrtRunner.run(ModelIo.toBytes(model), inputs);
        Map<String, float[]> actual = OrtRunner.run(ModelIo.toBytes(conversion.model()), inputs);

        assertThat(expected.get("last_hidden_state")).hasSize(sequenceLength * 384);
        OpsetConverterTest.assertSameOutputs(actual, expected, 1e-4f);
        LOG.info("MiniLM opset 11 to 21: rewrote {}, max |difference| of last_hidden_state {}",
                conversion.rewrittenNodesByOpType(),
                maxAbsoluteDifference(actual.get("last_hidden_state"), expected.get("last_hidden_state")));
    }

    private static float maxAbsoluteDifference(float[] actual, float[] expected) {
        float max = 0f;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected[i]));
        }
        return max;
    }

    private Path copyResource() throws IOException {
        Path file = folder.resolve(RESOURCE);
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE)) {
            assumeTrue(in != null, RESOURCE + " is not on the test classpath; the langchain4j MiniLM artifact provides it");
            Files.copy(in, file);
        }
        return file;
    }
}
