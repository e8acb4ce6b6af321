package dev.quantfleet.engine.quantize;

import java.util.List;

/** A quantization configuration that is invalid on its own, whatever the model; lists every problem found. */
public class InvalidQuantConfigException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidQuantConfigException(List<String> problems) {
        super("Invalid quantization config: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
