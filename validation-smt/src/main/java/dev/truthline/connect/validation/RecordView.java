package dev.truthline.connect.validation;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Headers;

/**
 * What the rules of one record see: the part the field rules address (the key, the value, or a
 * Debezium row image) and, for CEL, the record's topic, key, value (row image) and headers.
 * Created per record; converts for CEL lazily and at most once.
 */
final class RecordView {

    private final String topic;
    private final Object target;
    private final Schema targetSchema;
    private final Object key;
    private final Object value;
    private final Headers headers;
    private Object celValue;
    private Object celKey;
    private Object celHeaders;

    RecordView(String topic, Object target, Schema targetSchema, Object key, Object value, Headers headers) {
        this.topic = topic;
        this.target = target;
        this.targetSchema = targetSchema;
        this.key = key;
        this.value = value;
        this.headers = headers;
    }

    /** The root that field paths are resolved against. */
    Object target() {
        return target;
    }

    /** The schema of {@link #target()}, or {@code null} for schemaless records. */
    Schema targetSchema() {
        return targetSchema;
    }

    String topic() {
        return topic;
    }

    Object celValue() {
        if (celValue == null) {
            celValue = CelValues.of(value);
        }
        return celValue;
    }

    Object celKey() {
        if (celKey == null) {
            celKey = CelValues.of(key);
        }
        return celKey;
    }

    Object celHeaders() {
        if (celHeaders == null) {
            celHeaders = CelValues.headers(headers);
        }
        return celHeaders;
    }
}
