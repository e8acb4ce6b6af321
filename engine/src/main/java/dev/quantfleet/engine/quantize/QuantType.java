package dev.quantfleet.engine.quantize;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.quantfleet.engine.onnx.ElementType;

import java.util.Arrays;
import java.util.Locale;

/**
 * Integer type of quantized values, named as in ONNX Runtime's quantization tool
 * ({@code QuantType.QInt8} ...). JSON uses these names; reading also accepts the ONNX element
 * type names ({@code int8}, {@code uint16} ...), case-insensitively.
 */
public enum QuantType {
    QInt8(ElementType.INT8),
    QUInt8(ElementType.UINT8),
    QInt16(ElementType.INT16),
    QUInt16(ElementType.UINT16),
    QInt4(ElementType.INT4),
    QUInt4(ElementType.UINT4);

    private final ElementType elementType;

    QuantType(ElementType elementType) {
        this.elementType = elementType;
    }

    public ElementType elementType() {
        return elementType;
    }

    public int bits() {
        return elementType.bits();
    }

    public boolean isSigned() {
        return elementType.minValue() < 0;
    }

    @JsonValue
    public String jsonName() {
        return name();
    }

    /** Parses {@code QInt8}, {@code qint8} or {@code int8} (and so on for every type). */
    @JsonCreator
    public static QuantType parse(String text) {
        String requested = text.trim();
        for (QuantType type : values()) {
            if (type.name().equalsIgnoreCase(requested) || type.elementType.name().equalsIgnoreCase(requested)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown quantization type '" + text + "'; expected one of "
                + Arrays.toString(values()) + " or the element type names "
                + Arrays.stream(values()).map(type -> type.elementType.name().toLowerCase(Locale.ROOT)).toList());
    }

    public static QuantType of(ElementType elementType) {
        for (QuantType type : values()) {
            if (type.elementType == elementType) {
                return type;
            }
        }
        throw new IllegalArgumentException("Element type " + elementType + " is not a quantization type; expected one of "
                + Arrays.stream(values()).map(QuantType::elementType).toList());
    }
}
