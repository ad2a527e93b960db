package dev.truthline.connect.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Shared test helpers for {@link ValidateContract}: configuration maps, sink records (with schema,
 * schemaless, Debezium envelopes with and without schema) and reading the {@code dq.*} headers back.
 *
 * <p>Every record built here is on topic {@link #TOPIC}, partition 0, offset {@link #OFFSET}, with a
 * string key {@link #KEY} unless a key is given.
 */
final class Records {

    static final String TOPIC = "orders";
    static final String KEY = "k1";
    static final long OFFSET = 42L;

    private static final JsonFactory JSON = new JsonFactory();

    private Records() {
    }

    // ---------------------------------------------------------------- configuration

    /** A configuration map from alternating keys and values: {@code props("rules", "r", "rules.r.type", "required")}. */
    static Map<String, String> props(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("props takes pairs of key and value");
        }
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            props.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return props;
    }

    /**
     * The configuration of one inline rule named {@code r} with {@code on.failure=tag}, so every record
     * comes back with its verdict in headers. {@code parameters} are pairs of rule parameter (without the
     * {@code rules.r.} prefix) and value: {@code rule("range", "amount", "min", "0")}.
     * Pass {@code field == null} for rules without a field (cel).
     */
    static Map<String, String> rule(String type, String field, String... parameters) {
        if (parameters.length % 2 != 0) {
            throw new IllegalArgumentException("rule parameters come in pairs of name and value");
        }
        Map<String, String> props = props("rules", "r", "on.failure", "tag", "rules.r.type", type);
        if (field != null) {
            props.put("rules.r.field", field);
        }
        for (int i = 0; i < parameters.length; i += 2) {
            props.put("rules.r." + parameters[i], parameters[i + 1]);
        }
        return props;
    }

    /** A configured {@code ValidateContract.Value} for sink records. */
    static ValidateContract<SinkRecord> valueSmt(Map<String, ?> props) {
        ValidateContract<SinkRecord> smt = new ValidateContract.Value<>();
        smt.configure(props);
        return smt;
    }

    // ---------------------------------------------------------------- records

    /** A sink record with the default key and no headers. */
    static SinkRecord record(Schema valueSchema, Object value) {
        return record(KEY, valueSchema, value, new ConnectHeaders());
    }

    /**
     * A sink record with the given key and headers. The key schema is the Struct's own for a Struct key,
     * an optional string schema for any other non-null key, and none for a null key.
     */
    static SinkRecord record(Object key, Schema valueSchema, Object value, Headers headers) {
        Schema keySchema = key == null ? null
                : key instanceof Struct ? ((Struct) key).schema() : Schema.OPTIONAL_STRING_SCHEMA;
        return new SinkRecord(TOPIC, 0, keySchema, key, valueSchema, value, OFFSET, null, null, headers);
    }

    /** A sink record whose value is a Struct, with the Struct's schema as value schema. */
    static SinkRecord record(Struct value) {
        return record(value.schema(), value);
    }

    /** A schemaless sink record (as the JSON converter gives with {@code schemas.enable=false}). */
    static SinkRecord schemaless(Map<String, ?> value) {
        return record(null, value);
    }

    /**
     * Deep copy of a Connect value with every Struct turned into a {@code LinkedHashMap} (field order kept,
     * null fields kept as present keys with value null): the schemaless form of the same data.
     */
    static Object toSchemaless(Object value) {
        if (value instanceof Struct) {
            Struct struct = (Struct) value;
            Map<String, Object> map = new LinkedHashMap<>();
            for (Field field : struct.schema().fields()) {
                map.put(field.name(), toSchemaless(struct.get(field)));
            }
            return map;
        }
        if (value instanceof Map) {
            Map<Object, Object> map = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                map.put(e.getKey(), toSchemaless(e.getValue()));
            }
            return map;
        }
        if (value instanceof List) {
            List<Object> list = new ArrayList<>();
            for (Object element : (List<?>) value) {
                list.add(toSchemaless(element));
            }
            return list;
        }
        return value;
    }

    // ---------------------------------------------------------------- Debezium envelopes

    /** Schema of the {@code source} block of the envelopes built here. */
    static final Schema SOURCE_SCHEMA = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("connector", Schema.STRING_SCHEMA)
            .field("db", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .build();

    /**
     * A Debezium envelope schema around a row schema. The row schema must be optional (as Debezium's
     * {@code before}/{@code after} are), and the row Structs must be built with that same schema.
     */
    static Schema envelopeSchema(Schema rowSchema) {
        if (!rowSchema.isOptional()) {
            throw new IllegalArgumentException("a Debezium row schema is optional: build it with .optional()");
        }
        return SchemaBuilder.struct().name("orders.public.orders.Envelope")
                .field("before", rowSchema)
                .field("after", rowSchema)
                .field("source", SOURCE_SCHEMA)
                .field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
    }

    /** A Debezium change event with schema; {@code op} is c, r, u, d, t or m; images may be null. */
    static Struct envelope(String op, Schema rowSchema, Struct before, Struct after) {
        return new Struct(envelopeSchema(rowSchema))
                .put("before", before)
                .put("after", after)
                .put("source", source())
                .put("op", op)
                .put("ts_ms", 1_700_000_000_000L);
    }

    /** A schemaless Debezium change event (a Map, as the JSON converter gives without schemas). */
    static Map<String, Object> envelopeMap(String op, Object before, Object after) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("before", before);
        event.put("after", after);
        event.put("source", toSchemaless(source()));
        event.put("op", op);
        event.put("ts_ms", 1_700_000_000_000L);
        return event;
    }

    private static Struct source() {
        return new Struct(SOURCE_SCHEMA).put("connector", "postgresql").put("db", "shop").put("table", "orders")
                .put("lsn", 123_456L);
    }

    // ---------------------------------------------------------------- verdict headers

    /** The last value of a header as a string, or {@code null} when the record has no such header. */
    static String header(ConnectRecord<?> record, String name) {
        Header header = record.headers().lastWithName(name);
        return header == null || header.value() == null ? null : header.value().toString();
    }

    /** The {@code dq.violations} header, parsed; empty when the record has none. */
    static List<Map<String, String>> violations(ConnectRecord<?> record) {
        String json = header(record, "dq.violations");
        return json == null ? List.of() : parseViolations(json);
    }

    /**
     * Parses a violations header: a JSON array of flat objects whose values are strings (or null). Each
     * object becomes a map in field order, e.g. {@code {rule=r, field=items[1].qty, message=...}}.
     */
    static List<Map<String, String>> parseViolations(String json) {
        List<Map<String, String>> out = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(json)) {
            expect(parser.nextToken(), JsonToken.START_ARRAY, json);
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                expect(token, JsonToken.START_OBJECT, json);
                Map<String, String> violation = new LinkedHashMap<>();
                while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
                    expect(token, JsonToken.FIELD_NAME, json);
                    String name = parser.currentName();
                    JsonToken valueToken = parser.nextToken();
                    if (valueToken != JsonToken.VALUE_STRING && valueToken != JsonToken.VALUE_NULL) {
                        throw new IllegalStateException("violation field " + name + " is not a string in " + json);
                    }
                    violation.put(name, valueToken == JsonToken.VALUE_NULL ? null : parser.getText());
                }
                out.add(violation);
            }
            if (parser.nextToken() != null) {
                throw new IllegalStateException("trailing content after the violations array: " + json);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not valid JSON: " + json, e);
        }
        return out;
    }

    /** One expected violation, in the form {@link #violations} returns: {@code {rule, field, message}}. */
    static Map<String, String> violation(String rule, String field, String message) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("rule", rule);
        v.put("field", field);
        v.put("message", message);
        return v;
    }

    private static void expect(JsonToken actual, JsonToken expected, String json) {
        if (actual != expected) {
            throw new IllegalStateException("expected " + expected + " but found " + actual + " in " + json);
        }
    }
}
