package dev.truthline.connect.validation;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Writes Connect data as a stream of JSON tokens, so that Jackson can bind it to a class without an
 * intermediate copy: Structs and maps become objects (fields in schema order), lists arrays, decimals
 * exact numbers, bytes binary. Connect's date, time and timestamp values become ISO-8601 text
 * ({@code 2024-03-01}, {@code 10:15:30}, {@code 2024-03-01T10:15:30Z}), which Jackson reads into
 * {@code LocalDate}, {@code LocalTime}, {@code Instant}, {@code OffsetDateTime} or {@code java.util.Date}.
 */
final class ConnectTokens {

    private ConnectTokens() {
    }

    /**
     * @param schema the value's schema, or null for schemaless data
     */
    static void write(JsonGenerator out, Object value, Schema schema) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof Struct) {
            Struct struct = (Struct) value;
            out.writeStartObject();
            for (Field field : struct.schema().fields()) {
                out.writeFieldName(field.name());
                write(out, struct.get(field), field.schema());
            }
            out.writeEndObject();
        } else if (value instanceof Map) {
            Schema valueSchema = schema == null || schema.type() != Schema.Type.MAP ? null : schema.valueSchema();
            out.writeStartObject();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                out.writeFieldName(String.valueOf(entry.getKey()));
                write(out, entry.getValue(), valueSchema);
            }
            out.writeEndObject();
        } else if (value instanceof List) {
            Schema elementSchema = schema == null || schema.type() != Schema.Type.ARRAY ? null : schema.valueSchema();
            out.writeStartArray();
            for (Object element : (List<?>) value) {
                write(out, element, elementSchema);
            }
            out.writeEndArray();
        } else if (value instanceof String) {
            out.writeString((String) value);
        } else if (value instanceof Long) {
            out.writeNumber((Long) value);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            out.writeNumber(((Number) value).intValue());
        } else if (value instanceof Double) {
            out.writeNumber((Double) value);
        } else if (value instanceof Float) {
            out.writeNumber((Float) value);
        } else if (value instanceof BigDecimal) {
            out.writeNumber((BigDecimal) value);
        } else if (value instanceof BigInteger) {
            out.writeNumber((BigInteger) value);
        } else if (value instanceof Boolean) {
            out.writeBoolean((Boolean) value);
        } else if (value instanceof byte[]) {
            out.writeBinary((byte[]) value);
        } else if (value instanceof ByteBuffer) {
            ByteBuffer buffer = ((ByteBuffer) value).duplicate();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            out.writeBinary(bytes);
        } else if (value instanceof java.util.Date) {
            out.writeString(isoText((java.util.Date) value, schema));
        } else {
            out.writeString(value.toString());
        }
    }

    private static String isoText(java.util.Date value, Schema schema) {
        Instant instant = value.toInstant();
        String logical = schema == null ? null : schema.name();
        if (Date.LOGICAL_NAME.equals(logical)) {
            return instant.atOffset(ZoneOffset.UTC).toLocalDate().toString();
        }
        if (Time.LOGICAL_NAME.equals(logical)) {
            return instant.atOffset(ZoneOffset.UTC).toLocalTime().toString();
        }
        return instant.toString();
    }
}
