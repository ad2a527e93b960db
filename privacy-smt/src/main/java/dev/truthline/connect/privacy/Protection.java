package dev.truthline.connect.privacy;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.errors.DataException;

/**
 * What one rule does to each of its fields, in both directions. Values given here are never null (nulls pass
 * untouched before they get here). {@code path} names the field in errors; no error carries a value.
 *
 * <p>A protected field's schema records what it was, in parameters, so that {@code RevealFields} can give the
 * original schema back: {@value #METHOD_PARAM} (the method), {@value #TYPE_PARAM} (the original Connect type, e.g.
 * {@code int64}) and {@value #NAME_PARAM} and {@value #VERSION_PARAM} (the original schema name, e.g. a logical type, and
 * version); the original
 * parameters are kept. Defaults are dropped: a default could be a clear value.
 */
abstract class Protection {

    static final String METHOD_PARAM = "truthline.protected.method";
    static final String TYPE_PARAM = "truthline.protected.type";
    static final String NAME_PARAM = "truthline.protected.name";
    static final String VERSION_PARAM = "truthline.protected.version";

    static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
    static final Base64.Decoder BASE64_DECODER = Base64.getUrlDecoder();

    final String rule;
    final Method method;
    /** Fields this rule protected (or revealed). */
    final LongAdder fields = new LongAdder();

    Protection(String rule, Method method) {
        this.rule = rule;
        this.method = method;
    }

    /** The protected value; {@code schema} is null for schemaless values. */
    abstract Object protect(Object value, Schema schema, String path);

    /** The schema of a protected field, given the original field schema. */
    abstract Schema protectedSchema(Schema original, String path);

    /** The clear value again; methods that cannot be undone return the value as it is. */
    Object reveal(Object value, Schema revealedSchema, String path) {
        return value;
    }

    /** The schema of a revealed field: the original one where the parameters tell it. */
    Schema revealedSchema(Schema protectedSchema, String path) {
        if (!method.reversible()) {
            return protectedSchema;
        }
        Map<String, String> params = protectedSchema.parameters();
        String type = params == null ? null : params.get(TYPE_PARAM);
        if (type == null) {
            return protectedSchema;
        }
        SchemaBuilder builder = new SchemaBuilder(Schema.Type.valueOf(type.toUpperCase(Locale.ROOT)));
        Map<String, String> original = new LinkedHashMap<>(params);
        original.keySet().removeIf(k -> k.startsWith("truthline.protected."));
        if (!original.isEmpty()) {
            builder.parameters(original);
        }
        if (params.get(NAME_PARAM) != null) {
            builder.name(params.get(NAME_PARAM));
        }
        if (params.get(VERSION_PARAM) != null) {
            builder.version(Integer.valueOf(params.get(VERSION_PARAM)));
        }
        return finish(builder, protectedSchema);
    }

    /** A schema of {@code type} standing for {@code original}, with the parameters that record the original. */
    final Schema recorded(Schema original, Schema.Type type) {
        SchemaBuilder builder = new SchemaBuilder(type);
        if (original.parameters() != null) {
            builder.parameters(original.parameters());
        }
        builder.parameter(METHOD_PARAM, method.label()).parameter(TYPE_PARAM, original.type().getName());
        if (original.name() != null) {
            builder.parameter(NAME_PARAM, original.name());
        }
        if (original.version() != null) {
            builder.parameter(VERSION_PARAM, original.version().toString());
        }
        return finish(builder, original);
    }

    private static Schema finish(SchemaBuilder builder, Schema like) {
        if (like.doc() != null) {
            builder.doc(like.doc());
        }
        if (like.isOptional()) {
            builder.optional();
        }
        return builder.build();
    }

    static boolean isBytes(Object value, Schema schema) {
        return schema != null ? schema.type() == Schema.Type.BYTES && schema.name() == null
                : value instanceof byte[] || value instanceof ByteBuffer;
    }

    /** Checks a revealed value against the schema it goes into, naming the field instead of the value. */
    static Object checked(Object value, Schema schema, String path) {
        if (schema != null) {
            try {
                ConnectSchema.validateValue(schema, value);
            } catch (DataException e) {
                throw new DataException("Field " + path + " reveals a " + ValueCodec.kind(value) + ", but its schema is "
                        + schema.type().getName() + " without the " + TYPE_PARAM + " parameter ProtectFields writes");
            }
        }
        return value;
    }

    /** Connect's Date, Time and Timestamp, whose values are {@link java.util.Date}s. */
    static boolean isKafkaTime(Schema schema) {
        String name = schema.name();
        return org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(name)
                || org.apache.kafka.connect.data.Time.LOGICAL_NAME.equals(name)
                || org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME.equals(name);
    }

    static void requireScalar(Schema schema, String path) {
        switch (schema.type()) {
            case STRUCT:
            case MAP:
            case ARRAY:
                throw new DataException("Field " + path + " is a " + schema.type().getName() + ", which cannot be "
                        + "protected as one value; name its fields (" + path + ".<field>) or elements (" + path + "[*])");
            default:
        }
    }
}
