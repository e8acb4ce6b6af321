package dev.quantfleet.engine.data.synthetic;

import java.util.Random;

/**
 * Turns synthesized speech into a fixed-length, noisy recording as int16-scaled floats (full
 * scale ±32768), the form that openWakeWord's melspectrogram model reads.
 *
 * <p>Steps, in order:
 * <ol>
 *   <li>Trim: drop the leading and trailing samples whose magnitude is at most
 *       {@value #SILENCE_LEVEL}, the near-silence that espeak-ng adds.</li>
 *   <li>Gain: scale the speech so that its largest magnitude is {@code peakLevel}.</li>
 *   <li>Place: end the speech {@code trailingSamples} before the end of the clip, on silence.
 *       Speech longer than the room before that point loses its start.</li>
 *   <li>Noise: add white Gaussian noise whose standard deviation is the speech's RMS divided by
 *       {@code 10^(signalToNoiseDb / 20)}, drawn from the caller's generator, to every sample.</li>
 *   <li>Clip each sample to [-32768, 32767].</li>
 * </ol>
 * The result depends only on the speech, the placement and the state of the generator, because
 * {@link Random} is specified to give the same sequence for the same seed on every JVM.
 */
public final class SpeechClipMixer {

    /** Largest magnitude, in int16 units, that the trim step treats as silence. */
    public static final int SILENCE_LEVEL = 100;

    private SpeechClipMixer() {
    }

    /**
     * The position and level of the speech in the clip, and the noise level.
     *
     * @param clipSamples      length of the clip in samples
     * @param trailingSamples  samples of silence (plus noise) after the speech, 0 to {@code clipSamples - 1}
     * @param peakLevel        largest speech magnitude after the gain, 1 to 32767
     * @param signalToNoiseDb  ratio of speech RMS to noise standard deviation, in dB; positive infinity for no noise
     */
    public record Placement(int clipSamples, int trailingSamples, double peakLevel, double signalToNoiseDb) {

        public Placement {
            if (clipSamples < 1) {
                throw new IllegalArgumentException("clipSamples is " + clipSamples + "; it must be 1 or more");
            }
            if (trailingSamples < 0 || trailingSamples >= clipSamples) {
                throw new IllegalArgumentException("trailingSamples is " + trailingSamples + "; it must be 0 to "
                        + (clipSamples - 1) + " for a clip of " + clipSamples + " samples");
            }
            if (!(peakLevel >= 1 && peakLevel <= Short.MAX_VALUE)) {
                throw new IllegalArgumentException("peakLevel is " + peakLevel + "; it must be 1 to " + Short.MAX_VALUE);
            }
            if (Double.isNaN(signalToNoiseDb)) {
                throw new IllegalArgumentException("signalToNoiseDb is NaN; give a number of dB, or positive infinity "
                        + "for no noise");
            }
        }
    }

    /**
     * Mixes {@code speech} into a clip as the class comment describes.
     *
     * @throws IllegalArgumentException if the speech is silent throughout (no sample above {@value #SILENCE_LEVEL})
     */
    public static float[] mix(short[] speech, Placement placement, Random noise) {
        int first = 0;
        while (first < speech.length && Math.abs(speech[first]) <= SILENCE_LEVEL) {
            first++;
        }
        int last = speech.length - 1;
        while (last >= first && Math.abs(speech[last]) <= SILENCE_LEVEL) {
            last--;
        }
        if (first > last) {
            throw new IllegalArgumentException("The speech of " + speech.length + " samples is silent: no sample "
                    + "exceeds magnitude " + SILENCE_LEVEL + "; check the voice and the text");
        }
        int peak = 0;
        for (int index = first; index <= last; index++) {
            peak = Math.max(peak, Math.abs(speech[index]));
        }
        double gain = placement.peakLevel() / peak;

        float[] clip = new float[placement.clipSamples()];
        int end = placement.clipSamples() - placement.trailingSamples();
        int length = Math.min(last - first + 1, end);
        int sourceStart = last + 1 - length;
        double sumOfSquares = 0;
        for (int offset = 0; offset < length; offset++) {
            double sample = speech[sourceStart + offset] * gain;
            clip[end - length + offset] = (float) sample;
            sumOfSquares += sample * sample;
        }

        double rms = Math.sqrt(sumOfSquares / length);
        double noiseSigma = Double.isInfinite(placement.signalToNoiseDb()) ? 0
                : rms / Math.pow(10, placement.signalToNoiseDb() / 20);
        for (int index = 0; index < clip.length; index++) {
            double sample = clip[index] + (noiseSigma == 0 ? 0 : noise.nextGaussian() * noiseSigma);
            clip[index] = (float) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, sample));
        }
        return clip;
    }
}
