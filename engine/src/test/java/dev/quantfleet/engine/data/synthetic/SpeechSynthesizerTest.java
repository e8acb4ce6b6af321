package dev.quantfleet.engine.data.synthetic;

import dev.quantfleet.engine.data.synthetic.SpeechSynthesizer.Voice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SpeechSynthesizerTest {

    @TempDir
    Path work;

    private static void assumeProgramsInstalled() {
        List<String> missing = SpeechSynthesizer.missingPrograms();
        assumeTrue(missing.isEmpty(), () -> "Skipping: " + String.join(" and ", missing) + " not on the PATH "
                + "(Debian: apt-get install espeak-ng sox)");
    }

    @Test
    void speaksSixteenKilohertzAudioTheSameEveryTime() throws Exception {
        assumeProgramsInstalled();
        SpeechSynthesizer synthesizer = new SpeechSynthesizer(work, Duration.ofSeconds(30));
        Voice voice = new Voice("en-us", "m3", 150, 40);

        short[] speech = synthesizer.speak("hey jarvis", voice);
        short[] again = synthesizer.speak("hey jarvis", voice);
        short[] faster = synthesizer.speak("hey jarvis", new Voice("en-us", "m3", 300, 40));

        // "hey jarvis" at 150 words per minute lasts between 0.4 and 2 seconds
        assertThat(speech.length).isBetween(SpeechSynthesizer.SAMPLE_RATE_HZ * 4 / 10, SpeechSynthesizer.SAMPLE_RATE_HZ * 2);
        int peak = 0;
        for (short sample : speech) {
            peak = Math.max(peak, Math.abs(sample));
        }
        assertThat(peak).isGreaterThan(1000);
        assertThat(again).containsExactly(speech);
        assertThat(faster.length).isLessThan(speech.length);
        try (var files = Files.list(work)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void voiceNameAndLimits() {
        assertThat(new Voice("en-gb", "f2", 160, 50).espeakName()).isEqualTo("en-gb+f2");
        assertThat(new Voice("en", null, 160, 50).espeakName()).isEqualTo("en");
        assertThatThrownBy(() -> new Voice("en us", "m1", 160, 50)).hasMessageContaining("'en us' is invalid");
        assertThatThrownBy(() -> new Voice("en", "m1", 60, 50)).hasMessageContaining("80 to 450");
        assertThatThrownBy(() -> new Voice("en", "m1", 160, 100)).hasMessageContaining("0 to 99");
    }

    @Test
    void rejectsOptionLikeText() {
        SpeechSynthesizer synthesizer = new SpeechSynthesizer(work, Duration.ofSeconds(30));

        assertThatThrownBy(() -> synthesizer.speak("--version", new Voice("en", null, 160, 50)))
                .hasMessageContaining("cannot be spoken");
    }
}
