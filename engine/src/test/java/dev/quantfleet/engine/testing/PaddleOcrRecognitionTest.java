package dev.quantfleet.engine.testing;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quantfleet.engine.data.synthetic.TextLineRenderer;
import dev.quantfleet.engine.data.synthetic.TextLineRenderer.Options;
import dev.quantfleet.engine.data.synthetic.TextLineRenderer.RecognizerInput;
import dev.quantfleet.engine.evaluation.CtcGreedyDecoder;
import dev.quantfleet.engine.evaluation.CtcGreedyDecoder.Decoded;
import dev.quantfleet.engine.external.PaddleOcrModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the fixtures against the real fp32 PaddleOCR PP-OCRv4 recognizer: a clean drawn line
 * must come back exactly. Skipped, visibly, where npm cannot fetch the model.
 */
class PaddleOcrRecognitionTest {

    private static OrtEnvironment environment;
    private static OrtSession recognizer;
    private static CtcGreedyDecoder decoder;

    /** Loads the recognizer once; runs before each test so that every test reports its own skip. */
    @BeforeEach
    void loadRecognizer() throws OrtException, IOException {
        PaddleOcrModels paddleOcr = RealModels.paddleOcr();
        if (recognizer != null) {
            return;
        }
        environment = OrtEnvironment.getEnvironment();
        recognizer = environment.createSession(paddleOcr.recognizer().toString(), new OrtSession.SessionOptions());
        decoder = CtcGreedyDecoder.paddleOcr(paddleOcr.keys());
    }

    @AfterAll
    static void closeRecognizer() throws OrtException {
        if (recognizer != null) {
            recognizer.close();
        }
    }

    @Test
    void recognizesCleanLineExactly() throws OrtException {
        Decoded decoded = recognize("Quantfleet 2024", Options.clean());

        assertThat(decoded.text()).isEqualTo("Quantfleet 2024");
        assertThat(decoded.confidence()).isGreaterThan(0.8f);
    }

    @Test
    void recognizesLongCleanLineExactly() throws OrtException {
        String text = "Debian package descriptions make good calibration texts";

        Decoded decoded = recognize(text, Options.clean());

        assertThat(decoded.text()).isEqualTo(text);
    }

    @Test
    void hardSettingLowersExactMatchesOnDebianSynopses() throws OrtException {
        List<String> texts = DebianDescriptions.synopses(0, 60);

        int cleanExact = countExact(texts, seed -> Options.clean());
        int hardExact = countExact(texts, Options::hard);

        System.out.printf("PP-OCRv4 fp32 exact lines of %d dpkg synopses: clean %d, hard %d%n",
                texts.size(), cleanExact, hardExact);
        assertThat(cleanExact).as("clean lines decoded exactly").isGreaterThanOrEqualTo(texts.size() * 9 / 10);
        assertThat(hardExact).as("hard lines decoded exactly").isLessThan(cleanExact);
    }

    @Test
    void outputHasOneTimeStepPerEightPixels() throws OrtException {
        RecognizerInput input = new TextLineRenderer().render("abc", Options.clean());

        long[] shape = run(input).shape();

        assertThat(shape).containsExactly(1, 320 / 8, decoder.classCount());
    }

    private Decoded recognize(String text, Options options) throws OrtException {
        Scores scores = run(new TextLineRenderer().render(text, options));
        return decoder.decode(scores.values(), scores.shape()).get(0);
    }

    private int countExact(List<String> texts, LongFunction<Options> optionsForSeed) throws OrtException {
        int exact = 0;
        for (int index = 0; index < texts.size(); index++) {
            String text = texts.get(index);
            if (recognize(text, optionsForSeed.apply(index)).text().equals(text)) {
                exact++;
            }
        }
        return exact;
    }

    private record Scores(float[] values, long[] shape) {
    }

    private Scores run(RecognizerInput input) throws OrtException {
        String inputName = recognizer.getInputNames().iterator().next();
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(input.values()), input.shape());
             OrtSession.Result result = recognizer.run(Map.of(inputName, tensor))) {
            OnnxTensor output = (OnnxTensor) result.get(0);
            long[] shape = output.getInfo().getShape();
            FloatBuffer buffer = output.getFloatBuffer();
            float[] values = new float[buffer.remaining()];
            buffer.get(values);
            return new Scores(values, shape);
        }
    }
}
