package dev.quantfleet.common.messages;

import dev.quantfleet.common.artifacts.ArtifactRef;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A calibration or evaluation data set in the artifact store, with the hints a worker needs to
 * read it.
 *
 * @param data      the data file
 * @param fileName  the file name the data had when submitted, e.g. {@code samples.npz} or
 *                  {@code pairs.jsonl}; its extension selects the reader
 * @param tokenizer the {@code tokenizer.json} for text data; null for tensor data
 * @param maxLength the token limit per text for text data; null selects the tokenizer's own limit
 */
public record DataReference(@JsonProperty(required = true) ArtifactRef data,
                            @JsonProperty(required = true) String fileName,
                            ArtifactRef tokenizer,
                            Integer maxLength) {

    public DataReference {
        WireChecks.required(data, "data");
        WireChecks.requiredText(fileName, "fileName");
        if (fileName.contains("/") || fileName.contains("\\")) {
            throw new IllegalArgumentException("fileName is '" + fileName
                    + "'; give the bare file name without a directory, e.g. samples.npz");
        }
        if (maxLength != null) {
            WireChecks.atLeast(maxLength, 1, "maxLength");
        }
    }
}
