package dev.quantfleet.common.messages;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Jackson's exceptions into one plain sentence: the field path as the JSON spells it
 * ({@code artifacts.model.onnx.sha256}, {@code warmStart[1]}) and what is wrong with it. No Java
 * class name or Jackson token name reaches the message.
 */
final class WireJsonErrors {

    private static final Pattern MISSING_PROPERTY = Pattern.compile("Missing required creator property '([^']+)'");
    private static final Pattern DUPLICATE_FIELD = Pattern.compile("Duplicate field '([^']+)'");

    private static final Map<Class<?>, String> TYPE_WORDS = Map.of(
            int.class, "a whole number", Integer.class, "a whole number",
            long.class, "a whole number", Long.class, "a whole number",
            double.class, "a number", Double.class, "a number",
            boolean.class, "true or false", Boolean.class, "true or false",
            String.class, "a string");

    private WireJsonErrors() {
    }

    static String describe(JsonProcessingException error) {
        String message = error.getOriginalMessage();
        if (error instanceof WireJson.NotAnObjectException) {
            return message;
        }
        if (error instanceof JsonEOFException || message.startsWith("Unexpected end-of-input")) {
            return "the JSON ends early at " + position(error.getLocation()) + "; the payload looks truncated";
        }
        if (error instanceof QuantConfigJsonModule.InvalidConfigValueException) {
            return "field " + path(error) + " is not a valid quantization config: " + message;
        }
        if (error instanceof ValueInstantiationException && error.getCause() instanceof IllegalArgumentException cause) {
            return prefix(error) + cause.getMessage();
        }
        Matcher missing = MISSING_PROPERTY.matcher(message);
        if (missing.find()) {
            String path = path(error);
            return "field " + (path.endsWith(missing.group(1)) ? path : join(path, missing.group(1)))
                    + " is missing; it is required";
        }
        if (error instanceof InvalidNullException invalidNull) {
            return "field " + path(error) + " is null; give " + expected(invalidNull.getTargetType());
        }
        if (error instanceof InvalidFormatException format) {
            return "field " + path(error) + " must be " + expected(format.getTargetType()) + ", but is '"
                    + format.getValue() + "'";
        }
        if (error instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "field " + path(error) + " must be " + expected(mismatch.getTargetType())
                    + ", but has another JSON type";
        }
        Matcher duplicate = DUPLICATE_FIELD.matcher(message);
        if (duplicate.find()) {
            return "field '" + duplicate.group(1) + "' appears twice at " + position(error.getLocation())
                    + "; keep one of them";
        }
        if (error instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return "invalid value of field " + path(error) + ": " + message;
        }
        return "invalid JSON at " + position(error.getLocation()) + ": " + message;
    }

    /** Returns the field path of {@code error}, e.g. {@code artifacts.model.onnx}, or {@code (root)}. */
    static String path(JsonProcessingException error) {
        if (!(error instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return "(root)";
        }
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : mapping.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "(root)" : path.toString();
    }

    private static String prefix(JsonProcessingException error) {
        String path = path(error);
        return path.equals("(root)") ? "" : "in " + path + ", ";
    }

    private static String join(String path, String field) {
        return path.equals("(root)") ? field : path + "." + field;
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another value";
        }
        if (type.isEnum()) {
            List<String> names = Arrays.stream(type.getEnumConstants())
                    .map(constant -> WireJson.MAPPER.convertValue(constant, String.class)).toList();
            return "one of " + names;
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return TYPE_WORDS.getOrDefault(type, "an object (" + type.getSimpleName() + ")");
    }

    private static String position(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "an unknown position";
        }
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
