package dev.quantfleet.engine.data;

import java.nio.file.Path;

/** The tokenizer file of {@link TextOptions} cannot be loaded; the text data itself may be fine. */
public final class InvalidTokenizerException extends InvalidDataException {

    private final transient Path tokenizer;

    public InvalidTokenizerException(Path tokenizer, String message, Throwable cause) {
        super(message, cause);
        this.tokenizer = tokenizer;
    }

    /** Returns the tokenizer file that failed to load. */
    public Path tokenizer() {
        return tokenizer;
    }
}
