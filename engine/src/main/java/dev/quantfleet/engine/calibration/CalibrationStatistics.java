package dev.quantfleet.engine.calibration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The calibration result of a model: for every calibrated tensor name its
 * {@link TensorStatistics}, sorted by name. The JSON form lists tensors in name order and
 * fields in a fixed order, so equal statistics give byte-equal JSON and an equal
 * {@link #contentHash()}; reading the JSON back gives equal statistics. Infinite minima and
 * maxima of tensors without finite values are written as the strings {@code "Infinity"} and
 * {@code "-Infinity"}.
 */
@JsonPropertyOrder({"formatVersion", "tensors"})
public final class CalibrationStatistics {

    /** Version of the JSON layout; readers reject other versions. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final SortedMap<String, TensorStatistics> tensors;

    public CalibrationStatistics(Map<String, TensorStatistics> tensors) {
        TreeMap<String, TensorStatistics> copies = new TreeMap<>();
        tensors.forEach((name, statistics) -> copies.put(name, statistics.copy()));
        this.tensors = Collections.unmodifiableSortedMap(copies);
    }

    @JsonCreator
    static CalibrationStatistics restore(@JsonProperty("formatVersion") int formatVersion,
                                         @JsonProperty("tensors") Map<String, TensorStatistics> tensors) {
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException("Calibration statistics have format version " + formatVersion
                    + "; this Quantfleet version reads version " + FORMAT_VERSION);
        }
        return new CalibrationStatistics(tensors == null ? Map.of() : tensors);
    }

    @JsonProperty("formatVersion")
    int formatVersion() {
        return FORMAT_VERSION;
    }

    /** Tensor name to statistics, sorted by name; the statistics are copies owned by this object. */
    @JsonProperty("tensors")
    public SortedMap<String, TensorStatistics> tensors() {
        return tensors;
    }

    /**
     * Returns the statistics of one tensor.
     *
     * @throws NoSuchElementException if the tensor was not calibrated
     */
    public TensorStatistics tensor(String name) {
        TensorStatistics statistics = tensors.get(name);
        if (statistics == null) {
            throw new NoSuchElementException("Tensor '" + name + "' was not calibrated; calibrated tensors: "
                    + (tensors.size() > 20 ? tensors.size() + " names" : tensors.keySet().toString()));
        }
        return statistics.copy();
    }

    /** Statistics over the samples of both, tensor by tensor; a tensor in only one keeps its statistics. */
    public CalibrationStatistics merge(CalibrationStatistics other) {
        Map<String, TensorStatistics> merged = new TreeMap<>();
        tensors.forEach((name, statistics) -> merged.put(name, statistics.copy()));
        other.tensors.forEach((name, statistics) -> merged.merge(name, statistics.copy(), (mine, theirs) -> {
            mine.merge(theirs);
            return mine;
        }));
        return new CalibrationStatistics(merged);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Failed to write calibration statistics as JSON", e);
        }
    }

    /**
     * Parses statistics written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException if the text is not valid calibration statistics JSON
     */
    public static CalibrationStatistics fromJson(String json) {
        try {
            return JSON.readValue(json, CalibrationStatistics.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid calibration statistics JSON: " + e.getOriginalMessage(), e);
        }
    }

    public void write(Path file) {
        try {
            Files.writeString(file, toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write calibration statistics to " + file, e);
        }
    }

    public static CalibrationStatistics read(Path file) {
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read calibration statistics from " + file, e);
        }
    }

    /** Computes the SHA-256 of the UTF-8 JSON form, as 64 lower-case hex digits. */
    public String contentHash() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(toJson().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM lacks SHA-256, which every Java platform must provide", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CalibrationStatistics that && tensors.equals(that.tensors);
    }

    @Override
    public int hashCode() {
        return tensors.hashCode();
    }

    @Override
    public String toString() {
        return "CalibrationStatistics[" + tensors.size() + " tensors]";
    }
}
