package dev.quantfleet.engine.data;

import java.nio.file.Path;

/**
 * Tokenization settings for text samples.
 *
 * @param tokenizer       a Hugging Face {@code tokenizer.json}, read offline
 * @param maxLength       maximum tokens per sample, special tokens included; longer lines are truncated
 * @param padToMaxLength  whether every sample is padded to {@code maxLength} tokens; samples are
 *                        always padded to the model's sequence length where the model fixes it
 */
public record TextOptions(Path tokenizer, int maxLength, boolean padToMaxLength) {

    /** The maximum sequence length used when none is given: 128 tokens. */
    public static final int DEFAULT_MAX_LENGTH = 128;

    public TextOptions {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength is " + maxLength + "; it must be at least 1 token");
        }
    }

    /** Options with {@link #DEFAULT_MAX_LENGTH} and no padding. */
    public static TextOptions of(Path tokenizer) {
        return new TextOptions(tokenizer, DEFAULT_MAX_LENGTH, false);
    }
}
