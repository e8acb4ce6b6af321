package dev.quantfleet.engine.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quantfleet.engine.evaluation.Cost;
import dev.quantfleet.engine.evaluation.Latency;
import dev.quantfleet.engine.quantize.InvalidQuantConfigException;
import dev.quantfleet.engine.quantize.QuantConfig;
import dev.quantfleet.engine.runtime.Provenance;

import java.io.IOException;

/**
 * JSON reading and writing of {@link SearchReport}. A {@link QuantConfig} is written as the
 * object of {@link QuantConfig#toJson()} and read with {@link QuantConfig#fromJson}, so the
 * report contains the canonical configuration JSON. Non-finite doubles are written as the strings
 * {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}, Jackson's default.
 */
public final class ReportJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .addMixIn(Cost.class, CostOrder.class)
            .addMixIn(Latency.class, LatencyOrder.class)
            .addMixIn(Provenance.class, ProvenanceOrder.class)
            .addModule(new SimpleModule("quantfleet-report")
                    .addSerializer(QuantConfig.class, new QuantConfigSerializer())
                    .addDeserializer(QuantConfig.class, new QuantConfigDeserializer()))
            .build();

    private static final String LINEAGE = "lineage";

    private ReportJson() {
    }

    static String write(SearchReport report) {
        try {
            return MAPPER.writeValueAsString(report) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Writing the search report as JSON failed", e);
        }
    }

    /**
     * Writes the report without its timing fields: {@code search.wallTimeMs} and the
     * {@code latency} of the winner's, the baseline's and every candidate's cost.
     */
    static String writeWithoutTiming(SearchReport report) {
        ObjectNode tree = MAPPER.valueToTree(report);
        ((ObjectNode) tree.get("search")).remove("wallTimeMs");
        removeLatency(tree.get("winner"));
        removeLatency(tree.get("baseline"));
        tree.get("candidates").forEach(ReportJson::removeLatency);
        try {
            return MAPPER.writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Writing the search report as JSON failed", e);
        }
    }

    private static void removeLatency(JsonNode holder) {
        if (holder != null && holder.get("cost") instanceof ObjectNode cost) {
            cost.remove("latency");
        }
    }

    /**
     * Reads a report. {@code lineage} is the one property that may be missing (reports of searches
     * that are no re-quantization leave it out), so it is added as null before the strict mapping.
     */
    static SearchReport read(String json) {
        try {
            JsonNode tree = MAPPER.readTree(json);
            if (tree instanceof ObjectNode object && !object.has(LINEAGE)) {
                object.putNull(LINEAGE);
            }
            return MAPPER.treeToValue(tree, SearchReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid report.json: " + e.getOriginalMessage()
                    + " at " + e.getLocation() + "; it must follow docs/report-schema.md", e);
        }
    }

    @JsonPropertyOrder({"modelBytes", "integerMacShare", "latency"})
    private abstract static class CostOrder {
    }

    @JsonPropertyOrder({"medianMs", "p10Ms", "p90Ms", "runs", "warmupRuns", "threads", "executionProvider"})
    private abstract static class LatencyOrder {
    }

    @JsonPropertyOrder({"quantfleetVersion", "onnxRuntimeVersion", "executionProvider", "threads", "cpuFeatures",
        "device"})
    private abstract static class ProvenanceOrder {
    }

    private static final class QuantConfigSerializer extends JsonSerializer<QuantConfig> {
        @Override
        public void serialize(QuantConfig config, JsonGenerator generator, SerializerProvider provider)
                throws IOException {
            generator.writeTree(MAPPER.readTree(config.toJson()));
        }
    }

    private static final class QuantConfigDeserializer extends JsonDeserializer<QuantConfig> {
        @Override
        public QuantConfig deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode tree = context.readTree(parser);
            try {
                return QuantConfig.fromJson(tree.toString());
            } catch (InvalidQuantConfigException e) {
                throw context.weirdStringException(tree.toString(), QuantConfig.class,
                        "invalid quantization config: " + e.getMessage());
            }
        }
    }
}
