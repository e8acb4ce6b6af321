package dev.quantfleet.engine.quantize;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns Jackson's exceptions for a configuration file into plain sentences: the property path as
 * the file spells it ({@code nodeOverrides./x.keepFloat}, {@code nodesToExclude[2]}), the
 * expected type in words, and the known properties in declared order. No Java class name or
 * Jackson token name reaches the message.
 */
final class QuantConfigJsonErrors {

    private QuantConfigJsonErrors() {
    }

    /** Describes {@code error} as one problem of the configuration. */
    static String describe(JsonProcessingException error) {
        if (error instanceof JsonEOFException || error.getOriginalMessage().startsWith("Unexpected end-of-input")) {
            return "the JSON ends early at " + position(error.getLocation())
                    + "; the file looks truncated, so close every '{' and '['";
        }
        if (error instanceof UnrecognizedPropertyException unknown) {
            return "unknown property '" + unknown.getPropertyName() + "'" + where(parentPath(unknown))
                    + "; known properties: " + knownProperties(unknown.getReferringClass(), unknown.getKnownPropertyIds());
        }
        if (error instanceof InvalidNullException invalidNull) {
            return "property " + path(invalidNull) + " is null; give " + expected(invalidNull.getTargetType())
                    + ", or remove the property to use its default";
        }
        if (error instanceof InvalidFormatException format) {
            return "property " + path(format) + " must be " + expected(format.getTargetType()) + ", but is "
                    + describeValue(format.getValue());
        }
        if (error instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "property " + path(mismatch) + " must be " + expected(mismatch.getTargetType()) + ", but is "
                    + describeToken(mismatch);
        }
        String message = error.getOriginalMessage();
        if (message.startsWith("Duplicate field '")) {
            String name = message.substring("Duplicate field '".length(), message.indexOf('\'', 17));
            return "property '" + name + "' appears twice at " + position(error.getLocation()) + "; keep one of them";
        }
        if (error instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return "invalid value of property " + path(mapping) + ": " + message;
        }
        return "invalid JSON at " + position(error.getLocation()) + ": " + message;
    }

    /**
     * Finds the first null value where a configuration tree does not allow one, and describes it
     * with the type that the property takes. Returns empty when there is none.
     */
    static Optional<String> firstNull(JsonNode root) {
        return firstNull(root, "", QuantConfig.class);
    }

    private static Optional<String> firstNull(JsonNode node, String path, Class<?> record) {
        if (node.isNull() && !isNullable(path)) {
            return Optional.of("property " + path + " is null; give " + expectedAt(path, record)
                    + ", or remove the property to use its default");
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<String> problem = firstNull(node.get(i), path + "[" + i + "]", null);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String childPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                Optional<String> problem = firstNull(field.getValue(), childPath, childRecord(path, record));
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Returns whether null is a documented value at {@code path}: opTypesToQuantize (the model's
     * default op types) and the types of a node override (the configuration's types).
     */
    private static boolean isNullable(String path) {
        return path.equals("opTypesToQuantize")
                || (path.startsWith("nodeOverrides.") && (path.endsWith(".activationType") || path.endsWith(".weightType")));
    }

    /** Returns the record whose components the fields of the object at {@code path} are, or null. */
    private static Class<?> childRecord(String path, Class<?> record) {
        if (record == QuantConfig.class && path.isEmpty()) {
            return QuantConfig.class;
        }
        if (path.startsWith("nodeOverrides.") && record == null) {
            return NodeOverride.class;
        }
        return null;
    }

    private static String expectedAt(String path, Class<?> record) {
        if (path.endsWith("]")) {
            return "a string";
        }
        if (path.startsWith("calibrationParameters.")) {
            return "a number";
        }
        String name = path.substring(path.lastIndexOf('.') + 1);
        if (record != null) {
            for (RecordComponent component : record.getRecordComponents()) {
                if (component.getName().equals(name)) {
                    return expected(component.getType());
                }
            }
        }
        return path.startsWith("nodeOverrides.") ? expected(NodeOverride.class) : "a value";
    }

    /** Returns the property path, such as {@code nodeOverrides./x.keepFloat} or {@code nodesToExclude[1]}. */
    static String path(JsonMappingException error) {
        return joinPath(error.getPath());
    }

    private static String parentPath(JsonMappingException error) {
        List<JsonMappingException.Reference> references = error.getPath();
        return joinPath(references.subList(0, Math.max(0, references.size() - 1)));
    }

    private static String joinPath(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String where(String parentPath) {
        return parentPath.isEmpty() ? " at the top level" : " in " + parentPath;
    }

    /** Lists the known properties in the order the class declares them, not Jackson's hash order. */
    private static List<String> knownProperties(Class<?> type, Collection<Object> known) {
        JsonPropertyOrder order = type == null ? null : type.getAnnotation(JsonPropertyOrder.class);
        if (order != null && order.value().length > 0) {
            return List.of(order.value());
        }
        if (type != null && type.isRecord()) {
            return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
        }
        return known.stream().map(String::valueOf).sorted().toList();
    }

    /** Names the JSON type that a Java target type takes, in words. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean (true or false)";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != char.class)) {
            return "a number";
        }
        if (type.isEnum()) {
            return "one of the strings " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).toList();
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        if (type.isRecord()) {
            return "an object with the properties " + knownProperties(type, List.of());
        }
        return "an object";
    }

    /**
     * Describes the JSON value that did not fit. Jackson names the token in its message, such as
     * "(token `JsonToken.START_ARRAY`)" or "String value", while the parser has often moved past
     * the value.
     */
    private static String describeToken(MismatchedInputException mismatch) {
        String message = mismatch.getOriginalMessage();
        for (JsonToken token : JsonToken.values()) {
            if (message.contains("JsonToken." + token.name() + "`")) {
                return switch (token) {
                    case START_OBJECT -> "an object";
                    case START_ARRAY -> "an array";
                    case VALUE_STRING -> "a string";
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                    case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                    case VALUE_NULL -> "null";
                    default -> "a value of another type";
                };
            }
        }
        Map<String, String> shapes = Map.of("String value", "a string", "Integer value", "a number",
                "Floating-point value", "a number", "Boolean value", "a boolean", "Array value", "an array",
                "Object value", "an object");
        return shapes.entrySet().stream()
                .filter(shape -> message.contains(shape.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse("a value of another type");
    }

    private static String describeValue(Object value) {
        if (value instanceof String text) {
            return "the string \"" + text + "\"";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return "the " + (value instanceof Number ? "number " : "boolean ") + value;
        }
        return value == null ? "null" : "a value of another type";
    }

    private static String position(JsonLocation location) {
        return location == null ? "an unknown position"
                : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
