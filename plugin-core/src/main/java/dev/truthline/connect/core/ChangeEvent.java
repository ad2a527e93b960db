package dev.truthline.connect.core;

import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Recognises Debezium change-event envelopes ({@code before}, {@code after}, {@code source},
 * {@code op}) with a schema (Struct) or without (a Map, as the JSON converter gives with
 * {@code schemas.enable=false}), and picks the row image a contract applies to.
 */
public final class ChangeEvent {

    /** What a change event's {@code op} says about its row image. */
    public enum Kind {
        /** Not a change-event envelope. */
        NOT_AN_ENVELOPE,
        /** create, read (snapshot) or update: the {@code after} image is the row. */
        ROW_AFTER,
        /** delete: the {@code before} image is the row. */
        ROW_BEFORE,
        /** truncate, message or an unknown op: the event carries no row image. */
        NO_ROW
    }

    private ChangeEvent() {
    }

    /** Whether a value schema has the shape of a Debezium envelope. */
    public static boolean isEnvelopeSchema(Schema schema) {
        return schema != null
                && schema.type() == Schema.Type.STRUCT
                && schema.field("op") != null
                && schema.field("source") != null
                && (schema.field("after") != null || schema.field("before") != null);
    }

    /** Classifies a record value. */
    public static Kind kindOf(Object value) {
        Object op;
        if (value instanceof Struct) {
            Struct struct = (Struct) value;
            if (!isEnvelopeSchema(struct.schema())) {
                return Kind.NOT_AN_ENVELOPE;
            }
            op = struct.get("op");
        } else if (value instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) value;
            if (!map.containsKey("op") || !map.containsKey("source")
                    || !(map.containsKey("after") || map.containsKey("before"))) {
                return Kind.NOT_AN_ENVELOPE;
            }
            op = map.get("op");
        } else {
            return Kind.NOT_AN_ENVELOPE;
        }
        return kindOfOp(op);
    }

    /** What an {@code op} value says about the row image. */
    static Kind kindOfOp(Object op) {
        if (!(op instanceof String)) {
            return Kind.NO_ROW;
        }
        switch ((String) op) {
            case "c":
            case "r":
            case "u":
                return Kind.ROW_AFTER;
            case "d":
                return Kind.ROW_BEFORE;
            default:
                return Kind.NO_ROW;
        }
    }

    /**
     * The row image of an envelope of the given kind ({@code after} or {@code before}); {@code null}
     * when the image is null or the kind has none.
     */
    public static Object rowImage(Object envelope, Kind kind) {
        String name;
        if (kind == Kind.ROW_AFTER) {
            name = "after";
        } else if (kind == Kind.ROW_BEFORE) {
            name = "before";
        } else {
            return null;
        }
        if (envelope instanceof Struct) {
            Struct struct = (Struct) envelope;
            Field field = struct.schema().field(name);
            return field == null ? null : struct.get(field);
        }
        return ((Map<?, ?>) envelope).get(name);
    }

    /** The schema of the row image of an envelope schema, or {@code null}. */
    public static Schema rowSchema(Schema envelopeSchema, Kind kind) {
        if (envelopeSchema == null || envelopeSchema.type() != Schema.Type.STRUCT) {
            return null;
        }
        Field field = envelopeSchema.field(kind == Kind.ROW_BEFORE ? "before" : "after");
        return field == null ? null : field.schema();
    }
}
