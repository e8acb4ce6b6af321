package dev.quantfleet.benchmarks;

import dev.quantfleet.engine.data.NpyWriter;
import dev.quantfleet.engine.data.synthetic.SpeechClipMixer;
import dev.quantfleet.engine.data.synthetic.SpeechClipMixer.Placement;
import dev.quantfleet.engine.data.synthetic.SpeechSynthesizer;
import dev.quantfleet.engine.data.synthetic.SpeechSynthesizer.Voice;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Labelled clips for the wake word suite, spoken by espeak-ng. Positives contain the wake phrase
 * {@value #WAKE_PHRASE}, negatives a confusable phrase ({@link #CONFUSABLE_PHRASES}, 60 %) or
 * other words ({@link #OTHER_PHRASES}, 40 %). Every clip is
 * {@value WakeWordPipeline#CLIP_SAMPLES} samples long and mixed by {@link SpeechClipMixer}.
 *
 * <p>A plan draws, per clip and from one {@link Random} seeded by the caller: the phrase, an
 * espeak-ng voice of {@link #LANGUAGES} with a variant of {@link #VARIANTS}, a rate of 130 to 180
 * words per minute, a pitch of 25 to 70, 0.30 to 0.50 s of silence after the speech (where the
 * "hey jarvis" model scores highest), a peak level of 2000 to 20000 (int16 units), a
 * signal-to-noise ratio of 10 to 30 dB, and the seed of the clip's noise. Clips alternate
 * positive and negative, so half are positives. The same count and seed give the same plan, and,
 * with the same espeak-ng and sox, the same samples.
 *
 * <p>Calibration and evaluation come from plans of different seeds. A plan can exclude the spoken
 * utterances (phrase, voice, rate and pitch) of another plan, so no utterance is in both sets.
 */
final class WakeWordClips {

    static final String WAKE_PHRASE = "hey jarvis";
    /** Phrases that sound like the wake phrase. "hey java" and "hey charles" are left out: the fp32 model scores them like the wake phrase. */
    static final List<String> CONFUSABLE_PHRASES = List.of("hey travis", "hey jars", "hi service", "hey marvin",
            "hey jasmine", "hey harvest", "hey service", "hey davis", "hey mavis", "jarred", "hey nervous", "hey party");
    static final List<String> OTHER_PHRASES = List.of("play music", "what time is it", "hello there", "good morning",
            "turn on the lights", "weather today", "stop", "ok google", "alexa", "set a timer", "call mom", "hey siri");
    static final List<String> LANGUAGES = List.of("en", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-us", "en-us-nyc");
    static final List<String> VARIANTS = List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5");

    private static final double CONFUSABLE_SHARE = 0.6;

    /**
     * One planned clip.
     *
     * @param text      the spoken phrase
     * @param positive  whether it is the wake phrase
     * @param voice     espeak-ng voice, rate and pitch
     * @param placement where and how loud the speech sits, and the noise level
     * @param noiseSeed seed of the clip's noise generator
     */
    record ClipPlan(String text, boolean positive, Voice voice, Placement placement, long noiseSeed) {

        /** The spoken utterance, which two sets must not share. */
        String utterance() {
            return text + "|" + voice;
        }
    }

    /**
     * Synthesized clips with their plans.
     *
     * @param plans the plan of each clip
     * @param audio the samples of each clip, int16-scaled floats
     */
    record Clips(List<ClipPlan> plans, List<float[]> audio) {

        long[] labels() {
            return plans.stream().mapToLong(plan -> plan.positive() ? 1 : 0).toArray();
        }

        int positiveCount() {
            return (int) plans.stream().filter(ClipPlan::positive).count();
        }

        /** Writes the clips as a float32 array {@code [n, 31712]} and the labels as int64 {@code [n]}. */
        void write(Path audioFile, Path labelsFile) throws IOException {
            ByteBuffer samples = ByteBuffer.allocate(audio.size() * WakeWordPipeline.CLIP_SAMPLES * Float.BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (float[] clip : audio) {
                for (float sample : clip) {
                    samples.putFloat(sample);
                }
            }
            NpyWriter.writeNpy(audioFile, NpyWriter.Array.of("<f4",
                    new long[] {audio.size(), WakeWordPipeline.CLIP_SAMPLES}, samples.array()));
            NpyWriter.writeNpy(labelsFile, NpyWriter.Array.longs(new long[] {audio.size()}, labels()));
        }
    }

    private WakeWordClips() {
    }

    /**
     * Plans {@code count} clips from {@code seed}, drawing again whenever an utterance of
     * {@code avoided} comes up.
     */
    static List<ClipPlan> plan(int count, long seed, Set<String> avoided) {
        Random random = new Random(seed);
        Set<String> used = new HashSet<>(avoided);
        List<ClipPlan> plans = new ArrayList<>();
        while (plans.size() < count) {
            boolean positive = plans.size() % 2 == 0;
            ClipPlan plan = draw(random, positive);
            if (used.add(plan.utterance())) {
                plans.add(plan);
            }
        }
        return plans;
    }

    /** Returns the utterances of {@code plans}, for {@link #plan}'s {@code avoided}. */
    static Set<String> utterances(List<ClipPlan> plans) {
        Set<String> utterances = new HashSet<>();
        plans.forEach(plan -> utterances.add(plan.utterance()));
        return utterances;
    }

    /** Speaks and mixes every planned clip on {@code threads} threads; the result keeps the plans' order. */
    static Clips synthesize(List<ClipPlan> plans, SpeechSynthesizer synthesizer, int threads)
            throws IOException, InterruptedException {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (ClipPlan plan : plans) {
                futures.add(executor.submit(() -> SpeechClipMixer.mix(synthesizer.speak(plan.text(), plan.voice()),
                        plan.placement(), new Random(plan.noiseSeed()))));
            }
            List<float[]> audio = new ArrayList<>();
            for (Future<float[]> future : futures) {
                audio.add(future.get());
            }
            return new Clips(List.copyOf(plans), audio);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("Synthesizing a clip failed: " + e.getCause(), e.getCause());
        } finally {
            executor.shutdownNow();
        }
    }

    private static ClipPlan draw(Random random, boolean positive) {
        String text;
        if (positive) {
            text = WAKE_PHRASE;
        } else if (random.nextDouble() < CONFUSABLE_SHARE) {
            text = pick(random, CONFUSABLE_PHRASES);
        } else {
            text = pick(random, OTHER_PHRASES);
        }
        Voice voice = new Voice(pick(random, LANGUAGES), pick(random, VARIANTS), 130 + random.nextInt(51),
                25 + random.nextInt(46));
        int trailingSamples = (int) Math.round(SpeechSynthesizer.SAMPLE_RATE_HZ * (0.30 + 0.20 * random.nextDouble()));
        double peakLevel = 2000 + 18000 * random.nextDouble();
        double signalToNoiseDb = 10 + 20 * random.nextDouble();
        Placement placement = new Placement(WakeWordPipeline.CLIP_SAMPLES, trailingSamples, peakLevel, signalToNoiseDb);
        return new ClipPlan(text, positive, voice, placement, random.nextLong());
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
