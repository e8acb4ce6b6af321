package dev.quantfleet.engine.data.synthetic;

import dev.quantfleet.engine.external.ExternalCommand;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Speaks text with {@code espeak-ng} and converts the result with {@code sox} to 16 kHz mono
 * signed 16-bit PCM, the input format of speech models such as openWakeWord. Both programs run
 * as child processes without a shell, reading and writing temporary files in a work folder, so
 * calls from several threads do not interfere. sox runs without dither, whose random noise would
 * change the last bit from run to run, so for the same text, voice, espeak-ng and sox versions
 * the samples are the same on every run.
 *
 * <p>On Debian both programs come from the packages {@code espeak-ng} and {@code sox}.
 */
public final class SpeechSynthesizer {

    /** Sample rate of the returned audio. */
    public static final int SAMPLE_RATE_HZ = 16_000;

    /** The programs this class runs, in the order it runs them. */
    public static final List<String> PROGRAMS = List.of("espeak-ng", "sox");

    private static final String INSTALL_HINT = "Install espeak-ng and sox (Debian: apt-get install espeak-ng sox).";

    private final Path workFolder;
    private final Duration timeout;

    /**
     * A speaker: an espeak-ng voice and variant, speed and pitch.
     *
     * @param language       espeak-ng voice name, e.g. {@code en-us} or {@code en-gb-scotland}
     * @param variant        espeak-ng variant, e.g. {@code m3} or {@code f2}; null or blank for the voice's default
     * @param wordsPerMinute speaking rate, 80 to 450 (espeak-ng's range; its default is 175)
     * @param pitch          pitch adjustment, 0 to 99 (espeak-ng's default is 50)
     */
    public record Voice(String language, String variant, int wordsPerMinute, int pitch) {

        public Voice {
            Objects.requireNonNull(language, "language");
            if (!language.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("Voice language '" + language + "' is invalid; use an espeak-ng "
                        + "voice name of lower-case letters, digits and '-', e.g. en-us (list: espeak-ng --voices=en)");
            }
            if (variant != null && !variant.isBlank() && !variant.matches("[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException("Voice variant '" + variant + "' is invalid; use an espeak-ng "
                        + "variant name of letters, digits and '_', e.g. m3 (list: espeak-ng --voices=variant)");
            }
            if (wordsPerMinute < 80 || wordsPerMinute > 450) {
                throw new IllegalArgumentException("wordsPerMinute is " + wordsPerMinute + "; espeak-ng accepts 80 to 450");
            }
            if (pitch < 0 || pitch > 99) {
                throw new IllegalArgumentException("pitch is " + pitch + "; espeak-ng accepts 0 to 99");
            }
        }

        /** Returns the value of espeak-ng's {@code -v} option, e.g. {@code en-us+m3}. */
        public String espeakName() {
            return variant == null || variant.isBlank() ? language : language + "+" + variant;
        }

        @Override
        public String toString() {
            return espeakName() + " " + wordsPerMinute + " wpm pitch " + pitch;
        }
    }

    /**
     * @param workFolder folder of the temporary files, created when missing
     * @param timeout    longest time each program may run for one text
     */
    public SpeechSynthesizer(Path workFolder, Duration timeout) {
        this.workFolder = workFolder;
        this.timeout = timeout;
    }

    /**
     * Returns the programs of {@link #PROGRAMS} that are not on the {@code PATH}, so that a caller
     * can skip or explain before any work starts; empty when both are installed.
     */
    public static List<String> missingPrograms() {
        return missingFromPath(PROGRAMS, Objects.requireNonNullElse(System.getenv("PATH"), ""));
    }

    /**
     * Returns the names of {@code programs} that have no executable file in any folder of
     * {@code path}, a list of folders joined by {@link File#pathSeparator} as in {@code PATH}.
     */
    public static List<String> missingFromPath(List<String> programs, String path) {
        List<String> missing = new ArrayList<>();
        for (String program : programs) {
            boolean found = false;
            for (String folder : path.split(File.pathSeparator)) {
                if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, program))) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                missing.add(program);
            }
        }
        return missing;
    }

    /**
     * Speaks {@code text} and returns the 16 kHz mono samples, including the short silences that
     * espeak-ng puts before and after the speech.
     *
     * @throws IllegalArgumentException if {@code text} is blank or starts with '-', which
     *                                  espeak-ng would read as an option
     * @throws IOException              if a program is missing, fails or times out; the message
     *                                  quotes the program's error output
     */
    public short[] speak(String text, Voice voice) throws IOException, InterruptedException {
        if (text.isBlank() || text.strip().startsWith("-")) {
            throw new IllegalArgumentException("Text '" + text + "' cannot be spoken; give non-blank text that does "
                    + "not start with '-'");
        }
        Files.createDirectories(workFolder);
        Path wav = Files.createTempFile(workFolder, "speech-", ".wav");
        Path raw = Files.createTempFile(workFolder, "speech-", ".raw");
        try {
            run(List.of("espeak-ng", "-v", voice.espeakName(), "-s", Integer.toString(voice.wordsPerMinute()),
                    "-p", Integer.toString(voice.pitch()), "-w", wav.toString(), text.strip()));
            run(List.of("sox", "--no-dither", wav.toString(), "-r", Integer.toString(SAMPLE_RATE_HZ), "-c", "1", "-b", "16",
                    "-e", "signed-integer", "-t", "raw", raw.toString()));
            return littleEndianShorts(Files.readAllBytes(raw));
        } finally {
            Files.deleteIfExists(wav);
            Files.deleteIfExists(raw);
        }
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        ExternalCommand.Result result = ExternalCommand.run(command, workFolder, timeout, INSTALL_HINT);
        if (!result.succeeded()) {
            throw new IOException("'" + String.join(" ", command) + "' failed with exit code " + result.exitCode()
                    + ": " + (result.stderr() + result.stdout()).strip());
        }
    }

    private static short[] littleEndianShorts(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        short[] samples = new short[bytes.length / 2];
        buffer.asShortBuffer().get(samples);
        return samples;
    }
}
