package dev.quantfleet.engine.quantize;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.quantfleet.engine.calibration.CalibrationParameters;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * JSON form of {@link CalibrationParameters} inside a {@link QuantConfig}: the properties
 * {@code percentile}, {@code numBins} and {@code numQuantizedBins} in that order; absent ones
 * take the values of {@link CalibrationParameters#DEFAULTS}, and unknown ones are rejected.
 */
final class CalibrationParametersJson {

    static final List<String> PROPERTIES = List.of("percentile", "numBins", "numQuantizedBins");

    private CalibrationParametersJson() {
    }

    static SimpleModule module() {
        SimpleModule module = new SimpleModule("CalibrationParametersJson");
        module.addSerializer(CalibrationParameters.class, new Writer());
        module.addDeserializer(CalibrationParameters.class, new Reader());
        return module;
    }

    private static final class Writer extends JsonSerializer<CalibrationParameters> {
        @Override
        public void serialize(CalibrationParameters parameters, JsonGenerator generator, SerializerProvider provider)
                throws IOException {
            generator.writeStartObject();
            generator.writeNumberField("percentile", parameters.percentile());
            generator.writeNumberField("numBins", parameters.numBins());
            generator.writeNumberField("numQuantizedBins", parameters.numQuantizedBins());
            generator.writeEndObject();
        }
    }

    private static final class Reader extends JsonDeserializer<CalibrationParameters> {
        @Override
        public CalibrationParameters deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = context.readTree(parser);
            if (!node.isObject()) {
                throw new InvalidQuantConfigException(List.of("calibrationParameters must be an object with "
                        + PROPERTIES + "; got " + node));
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!PROPERTIES.contains(name)) {
                    throw new InvalidQuantConfigException(List.of("unknown property '" + name
                            + "' in calibrationParameters; known properties: " + PROPERTIES));
                }
            }
            CalibrationParameters parameters = CalibrationParameters.DEFAULTS;
            try {
                if (node.has("percentile")) {
                    parameters = parameters.withPercentile(number(node, "percentile").doubleValue());
                }
                if (node.has("numBins")) {
                    parameters = parameters.withNumBins(number(node, "numBins").intValue());
                }
                if (node.has("numQuantizedBins")) {
                    parameters = parameters.withNumQuantizedBins(number(node, "numQuantizedBins").intValue());
                }
            } catch (IllegalArgumentException e) {
                throw new InvalidQuantConfigException(List.of("calibrationParameters: " + e.getMessage()));
            }
            return parameters;
        }

        private static JsonNode number(JsonNode node, String name) {
            JsonNode value = node.get(name);
            if (!value.isNumber()) {
                throw new IllegalArgumentException(name + " must be a number; got " + value);
            }
            return value;
        }
    }
}
