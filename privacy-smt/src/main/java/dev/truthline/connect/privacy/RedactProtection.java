package dev.truthline.connect.privacy;

import java.math.BigDecimal;
import java.util.Date;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * {@code redact}: null, or for a required field the empty value of its type ("" , 0, false, no bytes, the epoch).
 * The field keeps its type; its default is dropped. Not reversible.
 */
final class RedactProtection extends Protection {

    RedactProtection(String rule) {
        super(rule, Method.REDACT);
    }

    @Override
    Object protect(Object value, Schema schema, String path) {
        if (schema == null || schema.isOptional()) {
            return null;
        }
        if (Decimal.LOGICAL_NAME.equals(schema.name())) {
            return BigDecimal.ZERO.setScale(Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD)));
        }
        switch (schema.type()) {
            case STRING:
                return "";
            case INT8:
                return (byte) 0;
            case INT16:
                return (short) 0;
            case INT32:
                return isKafkaTime(schema) ? new Date(0) : 0;
            case INT64:
                return isKafkaTime(schema) ? new Date(0) : 0L;
            case FLOAT32:
                return 0f;
            case FLOAT64:
                return 0d;
            case BOOLEAN:
                return false;
            case BYTES:
                return new byte[0];
            default:
                throw new IllegalStateException("redact of " + schema.type() + " at " + path);
        }
    }

    @Override
    Schema protectedSchema(Schema original, String path) {
        requireScalar(original, path);
        // The same schema without its default (which could be a clear value).
        SchemaBuilder builder = new SchemaBuilder(original.type());
        if (original.name() != null) {
            builder.name(original.name());
        }
        if (original.version() != null) {
            builder.version(original.version());
        }
        if (original.parameters() != null) {
            builder.parameters(original.parameters());
        }
        builder.parameter(METHOD_PARAM, method.label());
        if (original.doc() != null) {
            builder.doc(original.doc());
        }
        if (original.isOptional()) {
            builder.optional();
        }
        return builder.build();
    }
}
