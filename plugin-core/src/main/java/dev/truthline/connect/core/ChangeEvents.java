package dev.truthline.connect.core;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * {@link ChangeEvent} with the envelope shape of the last value schema remembered, so a task that
 * sees one schema after another looks its fields up once per schema rather than once per record.
 * Safe for concurrent use.
 */
public final class ChangeEvents {

    private volatile Shape last;

    private static final class Shape {
        final Schema schema;
        final boolean envelope;
        final Field op;
        final Field before;
        final Field after;

        Shape(Schema schema) {
            this.schema = schema;
            this.envelope = ChangeEvent.isEnvelopeSchema(schema);
            this.op = envelope ? schema.field("op") : null;
            this.before = envelope ? schema.field("before") : null;
            this.after = envelope ? schema.field("after") : null;
        }
    }

    private Shape shapeOf(Struct struct) {
        Shape shape = last;
        if (shape == null || shape.schema != struct.schema()) {
            shape = new Shape(struct.schema());
            last = shape;
        }
        return shape;
    }

    /** As {@link ChangeEvent#kindOf(Object)}. */
    public ChangeEvent.Kind kindOf(Object value) {
        if (!(value instanceof Struct)) {
            return ChangeEvent.kindOf(value);
        }
        Struct struct = (Struct) value;
        Shape shape = shapeOf(struct);
        if (!shape.envelope) {
            return ChangeEvent.Kind.NOT_AN_ENVELOPE;
        }
        return ChangeEvent.kindOfOp(struct.get(shape.op));
    }

    /** As {@link ChangeEvent#rowImage(Object, ChangeEvent.Kind)}. */
    public Object rowImage(Object value, ChangeEvent.Kind kind) {
        if (!(value instanceof Struct)) {
            return ChangeEvent.rowImage(value, kind);
        }
        Struct struct = (Struct) value;
        Shape shape = shapeOf(struct);
        Field field = kind == ChangeEvent.Kind.ROW_AFTER ? shape.after
                : kind == ChangeEvent.Kind.ROW_BEFORE ? shape.before : null;
        return field == null ? null : struct.get(field);
    }
}
