package dev.truthline.connect.validation;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Struct;

/** Names Connect data values by type, for violation messages that must not carry the value itself. */
final class TypeNames {

    private TypeNames() {
    }

    static String of(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Long) {
            return "long";
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return "int";
        }
        if (value instanceof Double) {
            return "double";
        }
        if (value instanceof Float) {
            return "float";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof BigDecimal) {
            return "decimal";
        }
        if (value instanceof byte[] || value instanceof ByteBuffer) {
            return "bytes";
        }
        if (value instanceof Struct) {
            return "struct";
        }
        if (value instanceof Map) {
            return "map";
        }
        if (value instanceof List) {
            return "array";
        }
        if (value instanceof Date) {
            return "date/time";
        }
        return value.getClass().getSimpleName();
    }
}
