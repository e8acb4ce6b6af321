package dev.quantfleet.engine.data.synthetic;

import dev.quantfleet.engine.data.synthetic.SpeechClipMixer.Placement;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SpeechClipMixerTest {

    @Test
    void mixTrimsScalesAndPlaces() {
        // speech 200, -400, 150 between near-silence (magnitude 100 or less); peak 400 becomes 1000, a gain of 2.5
        short[] speech = {5, -100, 200, -400, 150, 30, 0};
        Placement placement = new Placement(8, 2, 1000, Double.POSITIVE_INFINITY);

        float[] clip = SpeechClipMixer.mix(speech, placement, new Random(1));

        assertThat(clip).containsExactly(0, 0, 0, 500, -1000, 375, 0, 0);
    }

    @Test
    void speechLongerThanTheRoomLosesItsStart() {
        short[] speech = {200, 300, 400, 500};
        Placement placement = new Placement(3, 1, 500, Double.POSITIVE_INFINITY);

        float[] clip = SpeechClipMixer.mix(speech, placement, new Random(1));

        assertThat(clip).containsExactly(400, 500, 0);
    }

    @Test
    void noiseMatchesRatioAndSeed() {
        short[] speech = new short[4000];
        for (int index = 0; index < speech.length; index++) {
            speech[index] = (short) (index % 2 == 0 ? 1000 : -1000);
        }
        // speech RMS 1000 at peak 1000; 20 dB below is a noise standard deviation of 100. The speech fills the
        // first 4000 samples, so the last 20000 hold noise only.
        Placement placement = new Placement(24_000, 20_000, 1000, 20);

        float[] clip = SpeechClipMixer.mix(speech, placement, new Random(7));
        float[] again = SpeechClipMixer.mix(speech, placement, new Random(7));

        double sumOfSquares = 0;
        for (int index = 4000; index < 24_000; index++) {
            sumOfSquares += clip[index] * clip[index];
        }
        assertThat(Math.sqrt(sumOfSquares / 20_000)).isCloseTo(100, within(3.0));
        assertThat(again).containsExactly(clip);
    }

    @Test
    void samplesAreClippedToTheInt16Range() {
        short[] speech = {30_000, -30_000, 30_000, -30_000};
        Placement placement = new Placement(4, 0, 32_000, -20);

        float[] clip = SpeechClipMixer.mix(speech, placement, new Random(3));

        for (float sample : clip) {
            assertThat(sample).isBetween(-32768f, 32767f);
        }
    }

    @Test
    void rejectsSilentSpeechAndInvalidPlacements() {
        assertThatThrownBy(() -> SpeechClipMixer.mix(new short[] {3, -100, 50}, new Placement(4, 0, 100, 10),
                new Random(1))).hasMessageContaining("is silent");
        assertThatThrownBy(() -> new Placement(10, 10, 100, 10)).hasMessageContaining("trailingSamples is 10");
        assertThatThrownBy(() -> new Placement(10, 0, 40_000, 10)).hasMessageContaining("peakLevel is 40000");
    }
}
