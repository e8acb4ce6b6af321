package dev.quantfleet.common.messages;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.quantfleet.engine.quantize.InvalidQuantConfigException;
import dev.quantfleet.engine.quantize.QuantConfig;

import java.io.IOException;

/**
 * Writes and reads {@link QuantConfig} inside messages through its own canonical JSON
 * ({@link QuantConfig#toJson()} and {@link QuantConfig#fromJson(String)}), so that a config has
 * the same form in a message as in a file and its candidate id is computed from the same text.
 *
 * <p>Unlike the messages around it, a config is read strictly: an unknown property is an error.
 * A worker that ignored a setting it does not know would evaluate another candidate than the
 * one the candidate id names.
 */
final class QuantConfigJsonModule {

    private static final ObjectMapper TREE_READER = new ObjectMapper();

    private QuantConfigJsonModule() {
    }

    static SimpleModule create() {
        SimpleModule module = new SimpleModule("QuantConfigJson");
        module.addSerializer(QuantConfig.class, new ConfigSerializer());
        module.addDeserializer(QuantConfig.class, new ConfigDeserializer());
        return module;
    }

    private static final class ConfigSerializer extends JsonSerializer<QuantConfig> {
        @Override
        public void serialize(QuantConfig config, JsonGenerator generator, SerializerProvider provider)
                throws IOException {
            generator.writeTree(TREE_READER.readTree(config.toJson()));
        }
    }

    private static final class ConfigDeserializer extends JsonDeserializer<QuantConfig> {
        @Override
        public QuantConfig deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode tree = context.readTree(parser);
            if (!tree.isObject()) {
                return (QuantConfig) context.handleUnexpectedToken(QuantConfig.class, tree.asToken(), parser,
                        "a quantization config must be a JSON object");
            }
            try {
                return QuantConfig.fromJson(tree.toString());
            } catch (InvalidQuantConfigException e) {
                throw new InvalidConfigValueException(parser, e);
            }
        }
    }

    /** A config that {@link QuantConfig#fromJson} rejected, carried through Jackson with its problems. */
    static final class InvalidConfigValueException extends com.fasterxml.jackson.databind.JsonMappingException {

        InvalidConfigValueException(JsonParser parser, InvalidQuantConfigException cause) {
            super(parser, String.join("; ", cause.problems()), cause);
        }
    }
}
