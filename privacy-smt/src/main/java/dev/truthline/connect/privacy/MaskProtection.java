package dev.truthline.connect.privacy;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

/**
 * {@code mask}: every character but the last {@code keep.last} becomes {@code *}; the length stays. Numbers and
 * booleans are masked in their text form, so the field becomes a string. Not reversible.
 */
final class MaskProtection extends Protection {

    static final char MASK = '*';

    private final int keepLast;

    MaskProtection(String rule, int keepLast) {
        super(rule, Method.MASK);
        this.keepLast = keepLast;
    }

    @Override
    Object protect(Object value, Schema schema, String path) {
        if (isBytes(value, null) || value instanceof java.util.Date) {
            throw new DataException("Field " + path + " holds a " + ValueCodec.kind(value) + "; rule " + rule
                    + " (mask) masks text, numbers and booleans");
        }
        if (value instanceof java.util.Map || value instanceof java.util.List
                || value instanceof org.apache.kafka.connect.data.Struct) {
            ValueCodec.encode(value, path); // throws the error that names the field's parts
        }
        char[] chars = value.toString().toCharArray();
        for (int i = 0; i < chars.length - keepLast; i++) {
            chars[i] = MASK;
        }
        return new String(chars);
    }

    @Override
    Schema protectedSchema(Schema original, String path) {
        requireScalar(original, path);
        if (original.type() == Schema.Type.BYTES || isKafkaTime(original)) {
            throw new DataException("Field " + path + " is " + (original.name() != null ? original.name()
                    : original.type().getName()) + "; rule " + rule + " (mask) masks text, numbers and booleans");
        }
        return recorded(original, Schema.Type.STRING);
    }
}
