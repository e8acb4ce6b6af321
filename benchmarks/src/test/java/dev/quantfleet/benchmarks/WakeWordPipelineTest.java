package dev.quantfleet.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.quantfleet.engine.external.OpenWakeWordModels;
import dev.quantfleet.engine.model.ModelIo;
import dev.quantfleet.engine.onnx.Onnx.ModelProto;
import dev.quantfleet.engine.onnx.Onnx.NodeProto;
import dev.quantfleet.engine.runtime.OrtSessions;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WakeWordPipelineTest {

    @Test
    void windowsStartEightFramesApart() {
        long[] indices = WakeWordPipeline.windowFrameIndices();

        assertThat(indices).hasSize(16 * 76);
        assertThat(indices[0]).isZero();
        assertThat(indices[75]).isEqualTo(75);
        assertThat(indices[76]).isEqualTo(8);
        assertThat(indices[indices.length - 1]).isEqualTo(15 * 8 + 75).isEqualTo(WakeWordPipeline.MEL_FRAMES - 1);
        assertThat(WakeWordPipeline.Stage.HEAD.excludeOthersPattern()).isEqualTo("regex:(?!\\Qhead/\\E).*");
    }

    @Test
    void pipelineModelScoresLikeTheThreeModels() throws Exception {
        OpenWakeWordModels files = OpenWakeWordFixture.fetch();
        ModelProto pipeline = WakeWordPipeline.build(files);

        assertThat(pipeline.getGraph().getInput(0).getName()).isEqualTo(WakeWordPipeline.INPUT);
        assertThat(pipeline.getGraph().getOutput(0).getName()).isEqualTo(WakeWordPipeline.OUTPUT);
        assertThat(pipeline.getGraph().getNodeList()).extracting(NodeProto::getName)
                .allMatch(name -> name.startsWith("mel/") || name.startsWith("embedding/") || name.startsWith("head/")
                        || name.startsWith("pipeline/"));
        assertThat(pipeline.getGraph().getNodeList()).extracting(NodeProto::getOpType).contains("If", "Log", "MaxPool");

        Random random = new Random(5);
        for (int clip = 0; clip < 2; clip++) {
            float[] audio = new float[WakeWordPipeline.CLIP_SAMPLES];
            for (int index = 0; index < audio.length; index++) {
                audio[index] = (float) (3000 * Math.sin(index * (0.05 + 0.03 * clip)) + 500 * random.nextGaussian());
            }
            double composed = WakeWordScores.score(ModelIo.toBytes(pipeline), List.of(audio), 1)[0];

            assertThat(composed).isCloseTo(scoreWithSeparateModels(files, audio), within(1e-5));
        }
    }

    /** Runs the chain as openWakeWord does, one model at a time: mel / 10 + 2, 16 windows of 76 frames, head. */
    private static double scoreWithSeparateModels(OpenWakeWordModels files, float[] audio) throws Exception {
        float[] mel = runSingle(files.melspectrogram().toFile().toPath(), "input", audio,
                new long[] {1, audio.length});
        assertThat(mel).hasSize(WakeWordPipeline.MEL_FRAMES * WakeWordPipeline.MEL_BINS);
        float[] windows = new float[WakeWordPipeline.EMBEDDINGS * WakeWordPipeline.WINDOW_FRAMES * WakeWordPipeline.MEL_BINS];
        for (int window = 0; window < WakeWordPipeline.EMBEDDINGS; window++) {
            for (int frame = 0; frame < WakeWordPipeline.WINDOW_FRAMES; frame++) {
                for (int bin = 0; bin < WakeWordPipeline.MEL_BINS; bin++) {
                    float value = mel[(window * WakeWordPipeline.WINDOW_STRIDE + frame) * WakeWordPipeline.MEL_BINS + bin];
                    windows[(window * WakeWordPipeline.WINDOW_FRAMES + frame) * WakeWordPipeline.MEL_BINS + bin] =
                            value / 10 + 2;
                }
            }
        }
        float[] embeddings = runSingle(files.embedding(), "input_1", windows,
                new long[] {WakeWordPipeline.EMBEDDINGS, WakeWordPipeline.WINDOW_FRAMES, WakeWordPipeline.MEL_BINS, 1});
        float[] score = runSingle(files.heyJarvis(), "x.1", embeddings,
                new long[] {1, WakeWordPipeline.EMBEDDINGS, WakeWordPipeline.EMBEDDING_SIZE});
        return score[0];
    }

    private static float[] runSingle(java.nio.file.Path model, String input, float[] values, long[] shape)
            throws OrtException, java.io.IOException {
        try (OrtSession session = OrtSessions.create(Files.readAllBytes(model), 1, OptLevel.ALL_OPT);
             OnnxTensor tensor = OnnxTensor.createTensor(OrtSessions.environment(), FloatBuffer.wrap(values), shape);
             OrtSession.Result result = session.run(Map.of(input, tensor))) {
            OnnxTensor output = (OnnxTensor) result.get(0);
            FloatBuffer buffer = output.getFloatBuffer();
            float[] copy = new float[buffer.remaining()];
            buffer.get(copy);
            return copy;
        }
    }
}
