package dev.quantfleet.engine.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.quantfleet.engine.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RunTermination} stopping real ONNX Runtime runs of a slow generated model. */
class RunTerminationTest {

    private static final int WIDTH = 256;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void terminateStopsRunningRunAndLaterOnes() throws Exception {
        byte[] slowModel = TinyModels.matMulChain(WIDTH, 2_000, 3).toByteArray();
        RunTermination termination = new RunTermination();
        CountDownLatch sessionReady = new CountDownLatch(1);

        try (OrtSession session = OrtSessions.create(slowModel, 1, OptLevel.ALL_OPT);
             OnnxTensor x = OnnxTensor.createTensor(OrtSessions.environment(), new float[1][WIDTH])) {
            long unboundRunMs = timeMs(() -> OrtSessions.run(session, Map.of("x", x)).close());
            CompletableFuture<Long> stoppedAfterMs = CompletableFuture.supplyAsync(() -> {
                try (RunTermination.Binding binding = termination.bind()) {
                    sessionReady.countDown();
                    long startNanos = System.nanoTime();
                    for (int run = 0; run < 1_000; run++) {
                        try {
                            OrtSessions.run(session, Map.of("x", x)).close();
                        } catch (OrtException e) {
                            return (System.nanoTime() - startNanos) / 1_000_000;
                        }
                    }
                    return -1L;
                }
            });
            sessionReady.await();
            Thread.sleep(unboundRunMs / 2 + 20);
            long terminatedAtNanos = System.nanoTime();
            termination.terminate("test limit of 20 ms passed");
            long runsMs = stoppedAfterMs.get(30, TimeUnit.SECONDS);
            long stopMs = (System.nanoTime() - terminatedAtNanos) / 1_000_000;

            assertThat(runsMs).as("time until the run failed").isNotNegative();
            assertThat(stopMs).as("ms from terminate to the failed run, one run takes " + unboundRunMs + " ms")
                    .isLessThan(Math.max(unboundRunMs, 200));
            assertThat(termination.isTerminated()).isTrue();
            assertThat(termination.reason()).isEqualTo("test limit of 20 ms passed");
        }
    }

    @Test
    void terminatedBindingFailsRunsAndSessionCreation() throws Exception {
        byte[] model = TinyModels.matMulChain(4, 2, 5).toByteArray();
        RunTermination termination = new RunTermination();
        termination.terminate("stopped before it started");

        try (OrtSession session = OrtSessions.create(model, 1, OptLevel.ALL_OPT);
             OnnxTensor x = OnnxTensor.createTensor(OrtSessions.environment(), new float[1][4])) {
            try (RunTermination.Binding binding = termination.bind()) {
                assertThatThrownBy(() -> OrtSessions.run(session, Map.of("x", x)))
                        .isInstanceOf(OrtException.class);
                assertThatThrownBy(() -> OrtSessions.create(model, 1, OptLevel.ALL_OPT))
                        .isInstanceOf(CancellationException.class)
                        .hasMessageContaining("stopped before it started");
            }
            try (OrtSession.Result result = OrtSessions.run(session, Map.of("x", x))) {
                assertThat(result.get("y")).as("an unbound thread runs as before").isPresent();
            }
        }
    }

    @Test
    void terminateAfterBindingClosedIsHarmless() throws Exception {
        byte[] model = TinyModels.matMulChain(4, 2, 5).toByteArray();
        RunTermination termination = new RunTermination();

        try (OrtSession session = OrtSessions.create(model, 1, OptLevel.ALL_OPT);
             OnnxTensor x = OnnxTensor.createTensor(OrtSessions.environment(), new float[1][4])) {
            try (RunTermination.Binding binding = termination.bind();
                 OrtSession.Result result = OrtSessions.run(session, Map.of("x", x))) {
                assertThat(result.get("y")).isPresent();
            }
            termination.terminate("after the task ended");

            assertThat(termination.isTerminated()).isTrue();
            assertThat(RunTermination.bound()).isNull();
        }
    }

    private interface OrtAction {
        void run() throws OrtException;
    }

    private static long timeMs(OrtAction action) throws OrtException {
        long startNanos = System.nanoTime();
        action.run();
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
