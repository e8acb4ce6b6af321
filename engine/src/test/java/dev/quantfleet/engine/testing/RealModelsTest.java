package dev.quantfleet.engine.testing;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.quantfleet.engine.external.OpenWakeWordModels;
import dev.quantfleet.engine.external.PaddleOcrModels;
import dev.quantfleet.engine.testing.RealModels.MiniLm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RealModelsTest {

    @Test
    void miniLmCopiesLoadableModelAndTokenizer(@TempDir Path directory) throws OrtException, IOException {
        MiniLm miniLm = RealModels.miniLm(directory);

        assertThat(Files.size(miniLm.model())).isGreaterThan(80_000_000L);
        assertThat(Files.readString(miniLm.tokenizer())).contains("\"[CLS]\"");
        try (OrtSession session = OrtEnvironment.getEnvironment()
                .createSession(miniLm.model().toString(), new OrtSession.SessionOptions())) {
            assertThat(session.getInputNames()).contains("input_ids", "attention_mask");
        }
    }

    @Test
    void miniLmInt8IsSmallerThanFp32(@TempDir Path directory) throws IOException {
        MiniLm int8 = RealModels.miniLmInt8(directory.resolve("int8"));

        assertThat(Files.size(int8.model())).isBetween(15_000_000L, 30_000_000L);
        assertThat(int8.tokenizer()).exists();
    }

    @Test
    void paddleOcrHasAllFiles() throws IOException {
        PaddleOcrModels paddleOcr = RealModels.paddleOcr();

        assertThat(paddleOcr.recognizer().getFileName().toString()).isEqualTo("ch_PP-OCRv4_rec_infer.onnx");
        assertThat(paddleOcr.detector().getFileName().toString()).isEqualTo("ch_PP-OCRv4_det_infer.onnx");
        assertThat(paddleOcr.classifier().getFileName().toString()).isEqualTo("ch_ppocr_mobile_v2.0_cls_infer.onnx");
        assertThat(Files.readAllLines(paddleOcr.keys())).hasSize(6623);
    }

    @Test
    void openWakeWordHasAllFiles() {
        OpenWakeWordModels openWakeWord = RealModels.openWakeWord();

        assertThat(openWakeWord.melspectrogram()).isRegularFile();
        assertThat(openWakeWord.embedding()).isRegularFile();
        assertThat(openWakeWord.heyJarvis()).isRegularFile();
    }
}
