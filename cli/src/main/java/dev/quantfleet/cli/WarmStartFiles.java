package dev.quantfleet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.report.SearchReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the files of {@code quantize --warm-start}. Each file is either one quantization config as
 * {@code QuantConfig.toJson()} writes it (for example the {@code winner.config} object of a
 * report), or a whole {@code report.json}, recognized by its {@code schemaVersion} and
 * {@code winner} properties, whose winner's config is taken.
 */
final class WarmStartFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private WarmStartFiles() {
    }

    /**
     * Returns the configs of {@code files}, in order.
     *
     * @throws InvalidInputException naming the file and the fix when one cannot be read or is neither form
     */
    static List<QuantConfig> read(List<Path> files) {
        List<QuantConfig> configs = new ArrayList<>();
        for (Path file : files) {
            configs.add(read(file));
        }
        return configs;
    }

    private static QuantConfig read(Path file) {
        String json;
        JsonNode tree;
        try {
            json = Files.readString(file);
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw invalid(file, "it is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw invalid(file, "it cannot be read: " + e.getMessage(), e);
        }
        try {
            if (tree != null && tree.has("schemaVersion") && tree.has("winner")) {
                SearchReport report = SearchReport.fromJson(json);
                if (report.winner() == null) {
                    throw invalid(file, "the report has no winner", null);
                }
                return report.winner().config();
            }
            return QuantConfig.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw invalid(file, e.getMessage(), e);
        }
    }

    private static InvalidInputException invalid(Path file, String problem, Exception cause) {
        return new InvalidInputException("Invalid value for --warm-start: '" + file + "': " + problem
                + "; give a quantization config as JSON or a report.json with a winner", cause);
    }
}
