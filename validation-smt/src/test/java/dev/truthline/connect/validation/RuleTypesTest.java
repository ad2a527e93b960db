package dev.truthline.connect.validation;

import static dev.truthline.connect.validation.Records.header;
import static dev.truthline.connect.validation.Records.rule;
import static dev.truthline.connect.validation.Records.toSchemaless;
import static dev.truthline.connect.validation.Records.valueSmt;
import static dev.truthline.connect.validation.Records.violation;
import static dev.truthline.connect.validation.Records.violations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every inline rule type, driven through the public SMT with {@code on.failure=tag}, on every shape of
 * record: a Struct with schema, a schemaless Map, and Debezium envelopes with and without schema for
 * each op that carries a row (after image for c, r, u; before image for d).
 */
class RuleTypesTest {

    // ==================================================================================== record shapes

    /** How a row is delivered to the SMT. */
    enum Shape {
        STRUCT(true, null),
        MAP(false, null),
        DEBEZIUM_STRUCT_C(true, "c"),
        DEBEZIUM_STRUCT_R(true, "r"),
        DEBEZIUM_STRUCT_U(true, "u"),
        DEBEZIUM_STRUCT_D(true, "d"),
        DEBEZIUM_MAP_C(false, "c"),
        DEBEZIUM_MAP_R(false, "r"),
        DEBEZIUM_MAP_U(false, "u"),
        DEBEZIUM_MAP_D(false, "d");

        final boolean withSchema;
        /** The Debezium op, or null for a plain row. */
        final String op;

        Shape(boolean withSchema, String op) {
            this.withSchema = withSchema;
            this.op = op;
        }

        SinkRecord record(Struct row, Struct decoy) {
            return record(row, decoy, Records.KEY, new ConnectHeaders());
        }

        /**
         * The row as this shape. {@code decoy} (same schema as {@code row}, or null) becomes the
         * {@code before} image of an update, so a check of the wrong image gives the wrong verdict.
         */
        SinkRecord record(Struct row, Struct decoy, Object key, Headers headers) {
            if (op == null) {
                return withSchema
                        ? Records.record(key, row.schema(), row, headers)
                        : Records.record(key, null, toSchemaless(row), headers);
            }
            Struct before;
            Struct after;
            switch (op) {
                case "d":
                    before = row;
                    after = null;
                    break;
                case "u":
                    before = decoy;
                    after = row;
                    break;
                default:
                    before = null;
                    after = row;
            }
            if (withSchema) {
                Struct event = Records.envelope(op, row.schema(), before, after);
                return Records.record(key, event.schema(), event, headers);
            }
            return Records.record(key, null, Records.envelopeMap(op, toSchemaless(before), toSchemaless(after)), headers);
        }
    }

    static Stream<Shape> shapes() {
        return Arrays.stream(Shape.values());
    }

    // ==================================================================================== schemas and rows

    private static final Map<Schema, Schema> ROWS = new HashMap<>();

    /** An optional row schema with the given fields (name, schema, name, schema, ...). */
    private static Schema rowSchema(Object... namesAndSchemas) {
        SchemaBuilder builder = SchemaBuilder.struct().name("Row").optional();
        for (int i = 0; i < namesAndSchemas.length; i += 2) {
            builder.field((String) namesAndSchemas[i], (Schema) namesAndSchemas[i + 1]);
        }
        return builder.build();
    }

    /** A Struct of the schema with the given field values (name, value, ...); unnamed fields stay null. */
    private static Struct struct(Schema schema, Object... namesAndValues) {
        Struct struct = new Struct(schema);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            struct.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return struct;
    }

    /** A row with one field {@code v} of the given schema; rows with equal field schemas share a schema. */
    private static Struct v(Schema fieldSchema, Object value) {
        Schema schema = ROWS.computeIfAbsent(fieldSchema, f -> rowSchema("v", f));
        return new Struct(schema).put("v", value);
    }

    private static final Schema STR = Schema.OPTIONAL_STRING_SCHEMA;
    private static final Schema INT = Schema.OPTIONAL_INT32_SCHEMA;
    private static final Schema I8 = Schema.OPTIONAL_INT8_SCHEMA;
    private static final Schema I16 = Schema.OPTIONAL_INT16_SCHEMA;
    private static final Schema I64 = Schema.OPTIONAL_INT64_SCHEMA;
    private static final Schema FLT = Schema.OPTIONAL_FLOAT32_SCHEMA;
    private static final Schema DBL = Schema.OPTIONAL_FLOAT64_SCHEMA;
    private static final Schema BOOL = Schema.OPTIONAL_BOOLEAN_SCHEMA;
    private static final Schema BYTES = Schema.OPTIONAL_BYTES_SCHEMA;
    private static final Schema DEC2 = Decimal.builder(2).optional().build();
    private static final Schema DEC4 = Decimal.builder(4).optional().build();
    private static final Schema DATE = Date.builder().optional().build();
    private static final Schema TS = Timestamp.builder().optional().build();
    private static final Schema TIME = Time.builder().optional().build();
    private static final Schema DBZ_TIME = SchemaBuilder.int32().name("io.debezium.time.Time").optional().build();
    private static final Schema DBZ_MICRO_TIME =
            SchemaBuilder.int64().name("io.debezium.time.MicroTime").optional().build();
    private static final Schema DBZ_DATE = SchemaBuilder.int32().name("io.debezium.time.Date").optional().build();
    private static final Schema DBZ_TS = SchemaBuilder.int64().name("io.debezium.time.Timestamp").optional().build();
    private static final Schema DBZ_MICRO = SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build();
    private static final Schema DBZ_NANO = SchemaBuilder.int64().name("io.debezium.time.NanoTimestamp").optional().build();
    private static final Schema DBZ_ZONED = SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").optional().build();
    private static final Schema INNER = SchemaBuilder.struct().optional().field("a", INT).build();
    private static final Schema MAP = SchemaBuilder.map(Schema.STRING_SCHEMA, INT).optional().build();
    private static final Schema ARR = SchemaBuilder.array(INT).optional().build();

    private static final Schema ITEM = SchemaBuilder.struct().name("Item").optional()
            .field("sku", STR)
            .field("qty", INT)
            .field("tags", SchemaBuilder.array(STR).optional().build())
            .build();
    private static final Schema LINE = SchemaBuilder.struct().name("Line").optional().field("qty", INT).build();
    private static final Schema SUB_ORDER = SchemaBuilder.struct().name("SubOrder").optional()
            .field("lines", SchemaBuilder.array(LINE).optional().build()).build();
    private static final Schema CUSTOMER = SchemaBuilder.struct().name("Customer").optional()
            .field("email", STR).field("country", STR).build();
    private static final Schema ORDER = rowSchema(
            "id", STR,
            "note", STR,
            "amount", INT,
            "currency", STR,
            "ratio", DBL,
            "price", DEC2,
            "customer", CUSTOMER,
            "items", SchemaBuilder.array(ITEM).optional().build(),
            "orders", SchemaBuilder.array(SUB_ORDER).optional().build(),
            "grid", SchemaBuilder.array(SchemaBuilder.array(INT).optional().build()).optional().build());
    private static final Schema ORDER_WITHOUT_ID = rowSchema("note", STR);

    private static Struct order(Object... namesAndValues) {
        return struct(ORDER, namesAndValues);
    }

    private static Struct item(String sku, Integer qty, String... tags) {
        return struct(ITEM, "sku", sku, "qty", qty, "tags", tags.length == 0 ? null : List.of(tags));
    }

    private static Struct subOrder(Integer... quantities) {
        List<Struct> lines = new ArrayList<>();
        for (Integer q : quantities) {
            lines.add(struct(LINE, "qty", q));
        }
        return struct(SUB_ORDER, "lines", lines);
    }

    // ==================================================================================== the matrix

    /** One expected-invalid row and its violations (with schema, and schemaless when they differ). */
    record Bad(Struct row, List<Map<String, String>> withSchema, List<Map<String, String>> schemaless) {
    }

    /** A rule configuration with rows that must pass and rows that must fail. */
    static final class Case {
        final String name;
        final Map<String, String> props;
        final List<Struct> valid = new ArrayList<>();
        final List<Bad> invalid = new ArrayList<>();
        boolean schemaOnly;

        Case(String name, Map<String, String> props) {
            this.name = name;
            this.props = props;
        }

        Case valid(Struct... rows) {
            valid.addAll(List.of(rows));
            return this;
        }

        Case invalid(Struct row, String field, String message) {
            return invalid(row, field, message, message);
        }

        Case invalid(Struct row, String field, String message, String schemalessMessage) {
            invalid.add(new Bad(row, List.of(violation("r", field, message)),
                    List.of(violation("r", field, schemalessMessage))));
            return this;
        }

        /** A row with several violations: pairs of field and message. */
        Case invalidMany(Struct row, String... fieldsAndMessages) {
            List<Map<String, String>> expected = new ArrayList<>();
            for (int i = 0; i < fieldsAndMessages.length; i += 2) {
                expected.add(violation("r", fieldsAndMessages[i], fieldsAndMessages[i + 1]));
            }
            invalid.add(new Bad(row, expected, expected));
            return this;
        }

        /** Only meaningful with a schema (logical types). */
        Case schemaOnly() {
            schemaOnly = true;
            return this;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Case check(String name, Map<String, String> props) {
        return new Case(name, props);
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();

        // ---------------------------------------------------------------- required
        cases.add(check("required", rule("required", "id"))
                .valid(order("id", "o-1"), order("id", ""))
                .invalid(order("id", null), "id", "is required but is null")
                .invalid(struct(ORDER_WITHOUT_ID, "note", "x"), "id", "is required but is missing"));
        cases.add(check("required nested", rule("required", "customer.email"))
                .valid(order("customer", struct(CUSTOMER, "email", "a@example.com")))
                .invalid(order("customer", struct(CUSTOMER, "email", null)), "customer.email", "is required but is null")
                .invalid(order("customer", null), "customer.email", "is required but is missing"));
        cases.add(check("required with message", rule("required", "id", "message", "an order needs an id"))
                .valid(order("id", "o-1"))
                .invalid(order("id", null), "id", "an order needs an id"));

        // ---------------------------------------------------------------- type
        cases.add(check("type string", rule("type", "v", "expected", "string"))
                .valid(v(STR, "x"), v(STR, ""))
                .invalid(v(INT, 5), "v", "expected type string but was int")
                .invalid(v(BOOL, true), "v", "expected type string but was boolean")
                .invalid(v(BYTES, new byte[] {1}), "v", "expected type string but was bytes"));
        cases.add(check("type int", rule("type", "v", "expected", "INT"))
                .valid(v(INT, 5), v(I8, (byte) 1), v(I16, (short) 2), v(I64, 5L),
                        v(I64, (long) Integer.MIN_VALUE), v(I64, (long) Integer.MAX_VALUE))
                .invalid(v(I64, Integer.MAX_VALUE + 1L), "v", "expected type int but was long")
                .invalid(v(I64, Integer.MIN_VALUE - 1L), "v", "expected type int but was long")
                .invalid(v(DBL, 1.0), "v", "expected type int but was double")
                .invalid(v(STR, "5"), "v", "expected type int but was string"));
        cases.add(check("type long", rule("type", "v", "expected", "long"))
                .valid(v(I64, Long.MAX_VALUE), v(INT, 5), v(I16, (short) 5), v(I8, (byte) 5))
                .invalid(v(DBL, 1.0), "v", "expected type long but was double")
                .invalid(v(FLT, 1.0f), "v", "expected type long but was float")
                .invalid(v(STR, "5"), "v", "expected type long but was string"));
        cases.add(check("type float", rule("type", "v", "expected", "float"))
                .valid(v(FLT, 1.5f), v(DBL, 2.5), v(INT, 3), v(I64, 4L))
                .invalid(v(STR, "1.5"), "v", "expected type float but was string")
                .invalid(v(DEC2, new BigDecimal("1.50")), "v",
                        "expected type float but was org.apache.kafka.connect.data.Decimal",
                        "expected type float but was decimal"));
        cases.add(check("type double", rule("type", "v", "expected", "double"))
                .valid(v(DBL, 2.5), v(FLT, 1.5f), v(DBL, Double.NaN), v(I64, 4L))
                .invalid(v(BOOL, false), "v", "expected type double but was boolean")
                .invalid(v(DEC2, new BigDecimal("1.50")), "v",
                        "expected type double but was org.apache.kafka.connect.data.Decimal",
                        "expected type double but was decimal"));
        cases.add(check("type boolean", rule("type", "v", "expected", "boolean"))
                .valid(v(BOOL, true), v(BOOL, false))
                .invalid(v(STR, "true"), "v", "expected type boolean but was string")
                .invalid(v(INT, 1), "v", "expected type boolean but was int"));
        cases.add(check("type bytes", rule("type", "v", "expected", "bytes"))
                .valid(v(BYTES, new byte[] {1, 2}), v(BYTES, ByteBuffer.wrap(new byte[] {3})))
                .invalid(v(STR, "AQI="), "v", "expected type bytes but was string")
                .invalid(v(ARR, List.of(1, 2)), "v", "expected type bytes but was array"));
        cases.add(check("type struct", rule("type", "v", "expected", "struct"))
                .valid(v(INNER, struct(INNER, "a", 1)))
                .invalid(v(STR, "x"), "v", "expected type struct but was string")
                .invalid(v(ARR, List.of(1)), "v", "expected type struct but was array"));
        cases.add(check("type struct rejects a Connect map", rule("type", "v", "expected", "struct"))
                .schemaOnly()
                .invalid(v(MAP, Map.of("a", 1)), "v", "expected type struct but was map"));
        cases.add(check("type map", rule("type", "v", "expected", "map"))
                .valid(v(MAP, Map.of("a", 1)), v(MAP, Map.of()))
                .invalid(v(STR, "x"), "v", "expected type map but was string")
                .invalid(v(ARR, List.of()), "v", "expected type map but was array"));
        cases.add(check("type map rejects a Struct", rule("type", "v", "expected", "map"))
                .schemaOnly()
                .invalid(v(INNER, struct(INNER, "a", 1)), "v", "expected type map but was struct"));
        cases.add(check("type array", rule("type", "v", "expected", "array"))
                .valid(v(ARR, List.of(1, 2)), v(ARR, List.of()))
                .invalid(v(STR, "[1]"), "v", "expected type array but was string")
                .invalid(v(MAP, Map.of("a", 1)), "v", "expected type array but was map"));
        cases.add(check("type decimal", rule("type", "v", "expected", "decimal"))
                .valid(v(DEC2, new BigDecimal("1.50")), v(DEC4, new BigDecimal("-0.0001")))
                .invalid(v(DBL, 1.5), "v", "expected type decimal but was double")
                .invalid(v(STR, "1.50"), "v", "expected type decimal but was string"));
        cases.add(check("type date", rule("type", "v", "expected", "date"))
                .schemaOnly()
                .valid(v(DATE, new java.util.Date(0)), v(DBZ_DATE, 19_000))
                .invalid(v(INT, 19_000), "v", "expected type date but was int")
                .invalid(v(STR, "2024-01-01"), "v", "expected type date but was string")
                .invalid(v(TS, new java.util.Date(0)), "v",
                        "expected type date but was org.apache.kafka.connect.data.Timestamp"));
        cases.add(check("type number", rule("type", "v", "expected", "number"))
                .valid(v(INT, 1), v(I64, 1L), v(I8, (byte) 1), v(DBL, 1.5), v(FLT, 1.5f), v(DEC2, new BigDecimal("1.50")))
                .invalid(v(STR, "1"), "v", "expected type number but was string")
                .invalid(v(BOOL, true), "v", "expected type number but was boolean"));
        cases.add(check("type time", rule("type", "v", "expected", "time"))
                .schemaOnly()
                .valid(v(TIME, new java.util.Date(3_600_000L)), v(DBZ_TIME, 3_600_000), v(DBZ_MICRO_TIME, 3_600_000_000L))
                .invalid(v(I64, 3_600_000L), "v", "expected type time but was long")
                .invalid(v(STR, "10:00:00"), "v", "expected type time but was string")
                .invalid(v(TS, new java.util.Date(0)), "v",
                        "expected type time but was org.apache.kafka.connect.data.Timestamp"));
        cases.add(check("type timestamp", rule("type", "v", "expected", "timestamp"))
                .schemaOnly()
                .valid(v(TS, new java.util.Date(1_700_000_000_000L)), v(DBZ_TS, 1_700_000_000_000L),
                        v(DBZ_MICRO, 1_700_000_000_000_000L), v(DBZ_NANO, 1L),
                        v(DBZ_ZONED, "2024-01-01T00:00:00Z"))
                .invalid(v(I64, 1_700_000_000_000L), "v", "expected type timestamp but was long")
                .invalid(v(DATE, new java.util.Date(0)), "v",
                        "expected type timestamp but was org.apache.kafka.connect.data.Date")
                .invalid(v(DBZ_DATE, 19_000), "v", "expected type timestamp but was io.debezium.time.Date"));

        // ---------------------------------------------------------------- range
        cases.add(check("range ints", rule("range", "v", "min", "1", "max", "10"))
                .valid(v(INT, 1), v(INT, 10), v(INT, 5), v(I64, 10L), v(I8, (byte) 1), v(I16, (short) 7))
                .invalid(v(INT, 0), "v", "must be between 1 and 10")
                .invalid(v(INT, 11), "v", "must be between 1 and 10")
                .invalid(v(I64, Long.MAX_VALUE), "v", "must be between 1 and 10")
                .invalid(v(I64, Long.MIN_VALUE), "v", "must be between 1 and 10")
                .invalid(v(STR, "5"), "v", "expected a number but was string")
                .invalid(v(BOOL, true), "v", "expected a number but was boolean"));
        cases.add(check("range doubles", rule("range", "v", "min", "-1.5", "max", "2.25"))
                .valid(v(DBL, -1.5), v(DBL, 2.25), v(DBL, 0.0), v(DBL, -0.0), v(FLT, 2.25f), v(FLT, -1.5f))
                .invalid(v(DBL, 2.2500001), "v", "must be between -1.5 and 2.25")
                .invalid(v(DBL, -1.5000001), "v", "must be between -1.5 and 2.25")
                .invalid(v(DBL, Double.NaN), "v", "is not a number (NaN)")
                .invalid(v(FLT, Float.NaN), "v", "is not a number (NaN)")
                .invalid(v(DBL, Double.POSITIVE_INFINITY), "v", "must be between -1.5 and 2.25")
                .invalid(v(DBL, Double.NEGATIVE_INFINITY), "v", "must be between -1.5 and 2.25")
                .invalid(v(FLT, Float.POSITIVE_INFINITY), "v", "must be between -1.5 and 2.25"));
        cases.add(check("range only min", rule("range", "v", "min", "0"))
                .valid(v(INT, 0), v(DBL, 0.0), v(DBL, Double.POSITIVE_INFINITY), v(I64, Long.MAX_VALUE),
                        v(DBL, Double.MAX_VALUE))
                .invalid(v(INT, -1), "v", "must be at least 0")
                .invalid(v(DBL, -Double.MIN_VALUE), "v", "must be at least 0")
                .invalid(v(DBL, Double.NEGATIVE_INFINITY), "v", "must be at least 0")
                .invalid(v(DBL, Double.NaN), "v", "is not a number (NaN)"));
        cases.add(check("range only max", rule("range", "v", "max", "100"))
                .valid(v(INT, 100), v(DBL, 100.0), v(DBL, Double.NEGATIVE_INFINITY), v(I64, Long.MIN_VALUE),
                        v(DBL, -Double.MAX_VALUE))
                .invalid(v(INT, 101), "v", "must be at most 100")
                .invalid(v(DBL, 100.00000000000001), "v", "must be at most 100")
                .invalid(v(DBL, Double.POSITIVE_INFINITY), "v", "must be at most 100"));
        cases.add(check("range decimals", rule("range", "v", "min", "0.01", "max", "999.99"))
                .valid(v(DEC2, new BigDecimal("0.01")), v(DEC2, new BigDecimal("999.99")),
                        v(DEC2, new BigDecimal("500.00")), v(DEC4, new BigDecimal("999.9900")))
                .invalid(v(DEC2, new BigDecimal("0.00")), "v", "must be between 0.01 and 999.99")
                .invalid(v(DEC2, new BigDecimal("-0.01")), "v", "must be between 0.01 and 999.99")
                .invalid(v(DEC2, new BigDecimal("1000.00")), "v", "must be between 0.01 and 999.99")
                .invalid(v(DEC4, new BigDecimal("999.9901")), "v", "must be between 0.01 and 999.99")
                .invalid(v(DEC4, new BigDecimal("0.0099")), "v", "must be between 0.01 and 999.99"));
        cases.add(check("range fractional bounds on integers", rule("range", "v", "min", "0.5", "max", "2.5"))
                .valid(v(INT, 1), v(I64, 2L))
                .invalid(v(INT, 0), "v", "must be between 0.5 and 2.5")
                .invalid(v(INT, 3), "v", "must be between 0.5 and 2.5"));
        cases.add(check("range bound in exponent notation", rule("range", "v", "max", "1e3"))
                .valid(v(INT, 1000), v(DBL, 1000.0))
                .invalid(v(INT, 1001), "v", "must be at most 1000"));
        cases.add(check("range huge longs at the bounds",
                rule("range", "v", "min", "-9223372036854775807", "max", "9223372036854775806"))
                .valid(v(I64, Long.MIN_VALUE + 1), v(I64, Long.MAX_VALUE - 1), v(I64, 0L))
                .invalid(v(I64, Long.MIN_VALUE), "v", "must be between -9223372036854775807 and 9223372036854775806")
                .invalid(v(I64, Long.MAX_VALUE), "v", "must be between -9223372036854775807 and 9223372036854775806"));
        cases.add(check("range longs beyond double precision (min)", rule("range", "v", "min", "9007199254740993"))
                .valid(v(I64, 9_007_199_254_740_993L), v(I64, 9_007_199_254_740_994L), v(I64, Long.MAX_VALUE))
                .invalid(v(I64, 9_007_199_254_740_992L), "v", "must be at least 9007199254740993"));
        cases.add(check("range longs beyond double precision (max)", rule("range", "v", "max", "9007199254740992"))
                .valid(v(I64, 9_007_199_254_740_992L), v(I64, 9_007_199_254_740_991L))
                .invalid(v(I64, 9_007_199_254_740_993L), "v", "must be at most 9007199254740992"));
        cases.add(check("range exclusive min", rule("range", "v", "min", "0", "min.exclusive", "true"))
                .valid(v(INT, 1), v(DBL, Double.MIN_VALUE), v(DEC2, new BigDecimal("0.01")), v(DBL, Double.POSITIVE_INFINITY))
                .invalid(v(INT, 0), "v", "must be greater than 0")
                .invalid(v(DBL, 0.0), "v", "must be greater than 0")
                .invalid(v(DBL, -0.0), "v", "must be greater than 0")
                .invalid(v(DEC2, new BigDecimal("0.00")), "v", "must be greater than 0")
                .invalid(v(I64, -1L), "v", "must be greater than 0"));
        cases.add(check("range exclusive max", rule("range", "v", "max", "1.1", "max.exclusive", "true"))
                .valid(v(INT, 1), v(DBL, 1.0999999), v(DEC4, new BigDecimal("1.0999")), v(DBL, Double.NEGATIVE_INFINITY))
                .invalid(v(DBL, 1.1), "v", "must be less than 1.1")
                .invalid(v(FLT, 1.1f), "v", "must be less than 1.1")
                .invalid(v(DEC2, new BigDecimal("1.10")), "v", "must be less than 1.1")
                .invalid(v(INT, 2), "v", "must be less than 1.1"));
        cases.add(check("range exclusive both", rule("range", "v", "min", "1", "max", "10",
                        "min.exclusive", "true", "max.exclusive", "true"))
                .valid(v(INT, 2), v(INT, 9), v(DBL, 9.999))
                .invalid(v(INT, 1), "v", "must be greater than 1 and less than 10")
                .invalid(v(INT, 10), "v", "must be greater than 1 and less than 10"));
        cases.add(check("range exclusive min, inclusive max", rule("range", "v", "min", "1", "max", "10",
                        "min.exclusive", "true"))
                .valid(v(INT, 10), v(DBL, 1.0000001))
                .invalid(v(INT, 1), "v", "must be greater than 1 and at most 10")
                .invalid(v(INT, 11), "v", "must be greater than 1 and at most 10"));
        cases.add(check("range inclusive min, exclusive max", rule("range", "v", "min", "1", "max", "10",
                        "max.exclusive", "true"))
                .valid(v(INT, 1))
                .invalid(v(INT, 10), "v", "must be at least 1 and less than 10"));
        cases.add(check("range exclusive bounds beyond double precision",
                rule("range", "v", "min", "9007199254740992", "min.exclusive", "true",
                        "max", "9007199254740994", "max.exclusive", "true"))
                .valid(v(I64, 9_007_199_254_740_993L))
                .invalid(v(I64, 9_007_199_254_740_992L), "v",
                        "must be greater than 9007199254740992 and less than 9007199254740994")
                .invalid(v(I64, 9_007_199_254_740_994L), "v",
                        "must be greater than 9007199254740992 and less than 9007199254740994"));
        cases.add(check("range with message", rule("range", "amount", "min", "1", "message", "amount must be positive"))
                .valid(order("amount", 1))
                .invalid(order("amount", 0), "amount", "amount must be positive"));

        // ---------------------------------------------------------------- regex
        cases.add(check("regex", rule("regex", "v", "pattern", "[A-Z]{3}-\\d+"))
                .valid(v(STR, "ABC-1"), v(STR, "XYZ-123"))
                .invalid(v(STR, "xABC-1"), "v", "does not match pattern [A-Z]{3}-\\d+")
                .invalid(v(STR, "ABC-1x"), "v", "does not match pattern [A-Z]{3}-\\d+")
                .invalid(v(STR, "abc-1"), "v", "does not match pattern [A-Z]{3}-\\d+")
                .invalid(v(STR, ""), "v", "does not match pattern [A-Z]{3}-\\d+")
                .invalid(v(INT, 5), "v", "expected a string but was int")
                .invalid(v(BYTES, new byte[] {65}), "v", "expected a string but was bytes"));
        cases.add(check("regex matches the whole value", rule("regex", "v", "pattern", "b"))
                .valid(v(STR, "b"))
                .invalid(v(STR, "abc"), "v", "does not match pattern b")
                .invalid(v(STR, "bb"), "v", "does not match pattern b"));
        cases.add(check("regex alternation must cover the whole value", rule("regex", "v", "pattern", "a|ab"))
                .valid(v(STR, "a"), v(STR, "ab"))
                .invalid(v(STR, "abc"), "v", "does not match pattern a|ab"));
        cases.add(check("regex case-insensitive flag", rule("regex", "v", "pattern", "(?i)abc"))
                .valid(v(STR, "ABC"), v(STR, "aBc"))
                .invalid(v(STR, "abcd"), "v", "does not match pattern (?i)abc"));
        cases.add(check("regex unicode classes", rule("regex", "v", "pattern", "\\p{L}+"))
                .valid(v(STR, "Zoë"), v(STR, "日本"))
                .invalid(v(STR, "a1"), "v", "does not match pattern \\p{L}+"));

        // ---------------------------------------------------------------- in
        cases.add(check("in strings", rule("in", "v", "values", "EUR, USD"))
                .valid(v(STR, "EUR"), v(STR, "USD"))
                .invalid(v(STR, "eur"), "v", "is not one of the allowed values")
                .invalid(v(STR, "GBP"), "v", "is not one of the allowed values")
                .invalid(v(STR, " EUR"), "v", "is not one of the allowed values")
                .invalid(v(STR, ""), "v", "is not one of the allowed values")
                .invalid(v(INNER, struct(INNER, "a", 1)), "v",
                        "expected a string, number or boolean but was struct",
                        "expected a string, number or boolean but was map")
                .invalid(v(ARR, List.of(1)), "v", "expected a string, number or boolean but was array"));
        cases.add(check("in ignore.case", rule("in", "v", "values", "eur,Usd", "ignore.case", "true"))
                .valid(v(STR, "EUR"), v(STR, "usd"), v(STR, "UsD"))
                .invalid(v(STR, "gbp"), "v", "is not one of the allowed values"));
        cases.add(check("in numbers", rule("in", "v", "values", "1,2,3"))
                .valid(v(INT, 2), v(I64, 3L), v(I8, (byte) 1), v(I16, (short) 2), v(STR, "2"))
                .invalid(v(INT, 4), "v", "is not one of the allowed values")
                .invalid(v(INT, -1), "v", "is not one of the allowed values")
                .invalid(v(DBL, 2.5), "v", "is not one of the allowed values"));
        cases.add(check("in booleans", rule("in", "v", "values", "true"))
                .valid(v(BOOL, true), v(STR, "true"))
                .invalid(v(BOOL, false), "v", "is not one of the allowed values"));
        cases.add(check("in booleans ignoring case", rule("in", "v", "values", "TRUE", "ignore.case", "true"))
                .valid(v(BOOL, true))
                .invalid(v(BOOL, false), "v", "is not one of the allowed values"));
        cases.add(check("in decimals", rule("in", "v", "values", "9.99,19.99,20"))
                .valid(v(DEC2, new BigDecimal("19.99")), v(DEC2, new BigDecimal("9.99")),
                        v(DEC2, new BigDecimal("20.00")), v(DEC4, new BigDecimal("9.9900")))
                .invalid(v(DEC2, new BigDecimal("5.00")), "v", "is not one of the allowed values")
                .invalid(v(DEC2, new BigDecimal("19.90")), "v", "is not one of the allowed values"));

        // ---------------------------------------------------------------- length
        cases.add(check("length of strings in code points", rule("length", "v", "min", "2", "max", "4"))
                .valid(v(STR, "ab"), v(STR, "abcd"), v(STR, "😀😀"), v(STR, "😀😀😀😀"), v(STR, "Zoë"))
                .invalid(v(STR, "a"), "v", "length must be between 2 and 4")
                .invalid(v(STR, ""), "v", "length must be between 2 and 4")
                .invalid(v(STR, "abcde"), "v", "length must be between 2 and 4")
                .invalid(v(STR, "😀"), "v", "length must be between 2 and 4")
                .invalid(v(STR, "😀😀😀😀😀"), "v", "length must be between 2 and 4")
                .invalid(v(INT, 5), "v", "expected a string, bytes, array or map but was int"));
        cases.add(check("length of bytes", rule("length", "v", "min", "1", "max", "3"))
                .valid(v(BYTES, new byte[1]), v(BYTES, new byte[3]), v(BYTES, ByteBuffer.wrap(new byte[10], 8, 2)))
                .invalid(v(BYTES, new byte[0]), "v", "length must be between 1 and 3")
                .invalid(v(BYTES, new byte[4]), "v", "length must be between 1 and 3")
                .invalid(v(BYTES, ByteBuffer.wrap(new byte[4])), "v", "length must be between 1 and 3"));
        cases.add(check("length of arrays", rule("length", "v", "max", "2"))
                .valid(v(ARR, List.of()), v(ARR, List.of(1, 2)))
                .invalid(v(ARR, List.of(1, 2, 3)), "v", "length must be at most 2"));
        cases.add(check("length of maps", rule("length", "v", "min", "1"))
                .valid(v(MAP, Map.of("a", 1)), v(MAP, Map.of("a", 1, "b", 2)))
                .invalid(v(MAP, Map.of()), "v", "length must be at least 1")
                .invalid(v(BOOL, true), "v", "expected a string, bytes, array or map but was boolean"));
        cases.add(check("length exact", rule("length", "v", "min", "2", "max", "2"))
                .valid(v(STR, "DE"))
                .invalid(v(STR, "DEU"), "v", "length must be between 2 and 2"));

        // ---------------------------------------------------------------- iso codes
        cases.add(check("iso_country", rule("iso_country", "v"))
                .valid(v(STR, "DE"), v(STR, "US"), v(STR, "JP"))
                .invalid(v(STR, "de"), "v", "is not an ISO 3166-1 alpha-2 country code")
                .invalid(v(STR, "XX"), "v", "is not an ISO 3166-1 alpha-2 country code")
                .invalid(v(STR, "DEU"), "v", "is not an ISO 3166-1 alpha-2 country code")
                .invalid(v(STR, ""), "v", "is not an ISO 3166-1 alpha-2 country code")
                .invalid(v(INT, 49), "v", "expected a string but was int"));
        cases.add(check("iso_currency", rule("iso_currency", "v"))
                .valid(v(STR, "EUR"), v(STR, "USD"), v(STR, "JPY"))
                .invalid(v(STR, "eur"), "v", "is not an ISO 4217 currency code")
                .invalid(v(STR, "EURO"), "v", "is not an ISO 4217 currency code")
                .invalid(v(STR, "ABC"), "v", "is not an ISO 4217 currency code")
                .invalid(v(INT, 978), "v", "expected a string but was int"));

        // ---------------------------------------------------------------- cel
        String amountAndCurrency = "value.amount > 0 && value.currency in ['EUR', 'USD']";
        cases.add(check("cel", rule("cel", null, "expr", amountAndCurrency))
                .valid(order("amount", 5, "currency", "EUR"), order("amount", 1, "currency", "USD"))
                .invalid(order("amount", 0, "currency", "EUR"), "", "expression is false: " + amountAndCurrency)
                .invalid(order("amount", 5, "currency", "GBP"), "", "expression is false: " + amountAndCurrency));
        cases.add(check("cel with message", rule("cel", null, "expr", "value.amount > 0", "message", "amount must be positive"))
                .valid(order("amount", 5))
                .invalid(order("amount", -5), "", "amount must be positive"));
        cases.add(check("cel null field present with value null", rule("cel", null, "expr", "value.note == null"))
                .valid(order("note", null))
                .invalid(order("note", "x"), "", "expression is false: value.note == null"));
        cases.add(check("cel has()", rule("cel", null, "expr", "has(value.id)"))
                .valid(order("id", "o-1"), order("id", null))
                .invalid(struct(ORDER_WITHOUT_ID, "note", "x"), "", "expression is false: has(value.id)"));
        cases.add(check("cel doubles", rule("cel", null, "expr", "value.ratio >= 0.5"))
                .valid(order("ratio", 0.5), order("ratio", 1.0))
                .invalid(order("ratio", 0.49), "", "expression is false: value.ratio >= 0.5"));
        cases.add(check("cel int against double literal", rule("cel", null, "expr", "value.amount > 1.5"))
                .valid(order("amount", 2))
                .invalid(order("amount", 1), "", "expression is false: value.amount > 1.5"));
        cases.add(check("cel nested struct", rule("cel", null, "expr", "value.customer.country == 'DE'"))
                .valid(order("customer", struct(CUSTOMER, "country", "DE")))
                .invalid(order("customer", struct(CUSTOMER, "country", "FR")), "",
                        "expression is false: value.customer.country == 'DE'"));
        cases.add(check("cel all() over an array", rule("cel", null, "expr", "value.items.all(i, i.qty > 0)"))
                .valid(order("items", List.of(item("a", 1), item("b", 2))), order("items", List.of()))
                .invalid(order("items", List.of(item("a", 1), item("b", 0))), "",
                        "expression is false: value.items.all(i, i.qty > 0)"));
        cases.add(check("cel exists() and size()", rule("cel", null, "expr",
                "size(value.items) <= 2 && value.items.exists(i, i.sku == 'A')"))
                .valid(order("items", List.of(item("A", 1))), order("items", List.of(item("B", 1), item("A", 1))))
                .invalid(order("items", List.of(item("B", 1))), "",
                        "expression is false: size(value.items) <= 2 && value.items.exists(i, i.sku == 'A')")
                .invalid(order("items", List.of(item("A", 1), item("A", 1), item("A", 1))), "",
                        "expression is false: size(value.items) <= 2 && value.items.exists(i, i.sku == 'A')"));
        cases.add(check("cel decimal field", rule("cel", null, "expr", "value.price >= 10.5 && value.price < 100"))
                .valid(order("price", new BigDecimal("10.50")), order("price", new BigDecimal("99.99")))
                .invalid(order("price", new BigDecimal("10.49")), "",
                        "expression is false: value.price >= 10.5 && value.price < 100")
                .invalid(order("price", new BigDecimal("100.00")), "",
                        "expression is false: value.price >= 10.5 && value.price < 100"));

        // ---------------------------------------------------------------- [*] paths
        cases.add(check("range over items[*].qty", rule("range", "items[*].qty", "min", "1"))
                .valid(order("items", List.of(item("a", 1), item("b", 7))), order("items", List.of()),
                        order("items", null), order("items", List.of(item("a", null))))
                .invalid(order("items", List.of(item("a", 1), item("b", 0), item("c", 5))),
                        "items[1].qty", "must be at least 1")
                .invalidMany(order("items", List.of(item("a", 0), item("b", 1), item("c", -3))),
                        "items[0].qty", "must be at least 1", "items[2].qty", "must be at least 1"));
        cases.add(check("required over items[*].sku", rule("required", "items[*].sku"))
                .valid(order("items", List.of(item("a", 1), item("b", 2))), order("items", List.of()))
                .invalid(order("items", List.of(item("a", 1), item(null, 2))), "items[1].sku", "is required but is null")
                .invalid(order("items", Arrays.asList(item("a", 1), null)), "items[1].sku", "is required but is missing")
                .invalid(order("items", null), "items[*].sku", "is required but is missing"));
        cases.add(check("nested orders[*].lines[*].qty", rule("range", "orders[*].lines[*].qty", "min", "1"))
                .valid(order("orders", List.of(subOrder(1, 2), subOrder(3))))
                .invalid(order("orders", List.of(subOrder(1, 2), subOrder(0))), "orders[1].lines[0].qty", "must be at least 1")
                .invalidMany(order("orders", List.of(subOrder(1, 0), subOrder(5, 6, -1))),
                        "orders[0].lines[1].qty", "must be at least 1", "orders[1].lines[2].qty", "must be at least 1"));
        cases.add(check("in over items[*].tags[*]", rule("in", "items[*].tags[*]", "values", "red,blue"))
                .valid(order("items", List.of(item("a", 1, "red", "blue"), item("b", 1))))
                .invalid(order("items", List.of(item("a", 1, "red"), item("b", 1, "blue", "green"))),
                        "items[1].tags[1]", "is not one of the allowed values"));
        cases.add(check("range over grid[*][*]", rule("range", "grid[*][*]", "max", "9"))
                .valid(order("grid", List.of(List.of(1, 2), List.of(9))))
                .invalid(order("grid", List.of(List.of(1, 2), List.of(3, 10))), "grid[1][1]", "must be at most 9"));
        cases.add(check("type over items[*]", rule("type", "items[*]", "expected", "struct"))
                .valid(order("items", List.of(item("a", 1))), order("items", Arrays.asList(item("a", 1), null))));
        return cases;
    }

    static Stream<Arguments> matrix() {
        return cases().stream().flatMap(c -> shapes()
                .filter(s -> s.withSchema || !c.schemaOnly)
                .map(s -> Arguments.of(c, s)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("matrix")
    void ruleOnEveryShape(Case c, Shape shape) {
        ValidateContract<SinkRecord> smt = valueSmt(c.props);
        SoftAssertions softly = new SoftAssertions();
        for (Struct good : c.valid) {
            Struct decoy = c.invalid.stream().map(Bad::row)
                    .filter(r -> r.schema().equals(good.schema())).findFirst().orElse(null);
            SinkRecord out = smt.apply(shape.record(good, decoy));
            softly.assertThat(header(out, "dq.status")).as("status of valid row %s", good).isEqualTo("valid");
            softly.assertThat(header(out, "dq.violations")).as("violations of valid row %s", good).isNull();
            softly.assertThat(header(out, "dq.rules")).as("rules of valid row %s", good).isNull();
        }
        for (Bad bad : c.invalid) {
            Struct decoy = c.valid.stream()
                    .filter(r -> r.schema().equals(bad.row().schema())).findFirst().orElse(null);
            SinkRecord out = smt.apply(shape.record(bad.row(), decoy));
            softly.assertThat(header(out, "dq.status")).as("status of invalid row %s", bad.row()).isEqualTo("invalid");
            softly.assertThat(header(out, "dq.rules")).as("rules of invalid row %s", bad.row()).isEqualTo("r");
            softly.assertThat(violations(out)).as("violations of invalid row %s", bad.row())
                    .isEqualTo(shape.withSchema ? bad.withSchema() : bad.schemaless());
        }
        softly.assertAll();
    }

    // ==================================================================================== absent and null

    private static final Schema NULLABLE = rowSchema(
            "v", STR,
            "p", rowSchema("v", STR),
            "items", SchemaBuilder.array(rowSchema("v", STR)).optional().build());
    private static final Schema UNRELATED = rowSchema("other", STR);

    /** Rows in which {@code v}, {@code p.v} and {@code items[*].v} are each null or absent. */
    private static List<Struct> nullOrAbsentRows() {
        Schema element = NULLABLE.field("items").schema().valueSchema();
        Schema parent = NULLABLE.field("p").schema();
        return List.of(
                struct(NULLABLE),
                struct(NULLABLE, "p", struct(parent), "items", List.of(struct(element))),
                struct(NULLABLE, "items", Arrays.asList(struct(element), null)),
                struct(UNRELATED, "other", "x"));
    }

    static Stream<Arguments> nonRequiredRules() {
        List<String[]> rules = new ArrayList<>();
        for (TypeRule.Expected expected : TypeRule.Expected.values()) {
            rules.add(new String[] {"type", "expected", expected.label()});
        }
        rules.add(new String[] {"range", "min", "1", "max", "2"});
        rules.add(new String[] {"range", "min", "1"});
        rules.add(new String[] {"regex", "pattern", "x"});
        rules.add(new String[] {"in", "values", "a"});
        rules.add(new String[] {"length", "min", "1"});
        rules.add(new String[] {"iso_country"});
        rules.add(new String[] {"iso_currency"});
        return rules.stream().flatMap(r -> shapes().map(s -> Arguments.of(String.join(" ", r), r, s)));
    }

    @ParameterizedTest(name = "{0} on {2}")
    @MethodSource("nonRequiredRules")
    void absentAndNullFieldsPassEveryRuleButRequired(String label, String[] definition, Shape shape) {
        SoftAssertions softly = new SoftAssertions();
        for (String field : List.of("v", "p.v", "items[*].v")) {
            ValidateContract<SinkRecord> smt = valueSmt(rule(definition[0], field,
                    Arrays.copyOfRange(definition, 1, definition.length)));
            for (Struct row : nullOrAbsentRows()) {
                SinkRecord out = smt.apply(shape.record(row, null));
                softly.assertThat(header(out, "dq.status")).as("%s on %s of %s", label, field, row).isEqualTo("valid");
                softly.assertThat(header(out, "dq.violations")).as("%s on %s of %s", label, field, row).isNull();
            }
        }
        softly.assertAll();
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void requiredFailsOnNullAndAbsent(Shape shape) {
        List<Struct> rows = nullOrAbsentRows();
        Map<String, List<List<Map<String, String>>>> expected = Map.of(
                "v", List.of(
                        List.of(violation("r", "v", "is required but is null")),
                        List.of(violation("r", "v", "is required but is null")),
                        List.of(violation("r", "v", "is required but is null")),
                        List.of(violation("r", "v", "is required but is missing"))),
                "p.v", List.of(
                        List.of(violation("r", "p.v", "is required but is missing")),
                        List.of(violation("r", "p.v", "is required but is null")),
                        List.of(violation("r", "p.v", "is required but is missing")),
                        List.of(violation("r", "p.v", "is required but is missing"))),
                "items[*].v", List.of(
                        List.of(violation("r", "items[*].v", "is required but is missing")),
                        List.of(violation("r", "items[0].v", "is required but is null")),
                        List.of(violation("r", "items[0].v", "is required but is null"),
                                violation("r", "items[1].v", "is required but is missing")),
                        List.of(violation("r", "items[*].v", "is required but is missing"))));
        SoftAssertions softly = new SoftAssertions();
        expected.forEach((field, perRow) -> {
            ValidateContract<SinkRecord> smt = valueSmt(rule("required", field));
            for (int i = 0; i < rows.size(); i++) {
                SinkRecord out = smt.apply(shape.record(rows.get(i), null));
                softly.assertThat(header(out, "dq.status")).as("%s of %s", field, rows.get(i)).isEqualTo("invalid");
                softly.assertThat(violations(out)).as("%s of %s", field, rows.get(i)).isEqualTo(perRow.get(i));
            }
        });
        softly.assertAll();
    }

    // ==================================================================================== type without schema

    @Test
    void logicalTypesNeedASchema() {
        Map<String, Object> row = new HashMap<>();
        row.put("d", new java.util.Date(0));
        row.put("ts", 1_700_000_000_000L);
        row.put("price", new BigDecimal("1.50"));
        row.put("nested", Map.of("a", 1));

        assertThat(violations(valueSmt(rule("type", "d", "expected", "date")).apply(Records.schemaless(row))))
                .containsExactly(violation("r", "d", "expected type date but was date/time"));
        assertThat(violations(valueSmt(rule("type", "d", "expected", "timestamp")).apply(Records.schemaless(row))))
                .containsExactly(violation("r", "d", "expected type timestamp but was date/time"));
        assertThat(violations(valueSmt(rule("type", "ts", "expected", "timestamp")).apply(Records.schemaless(row))))
                .containsExactly(violation("r", "ts", "expected type timestamp but was long"));
        // A BigDecimal is a decimal with or without schema; a schemaless nested object is both struct and map.
        assertThat(header(valueSmt(rule("type", "price", "expected", "decimal")).apply(Records.schemaless(row)), "dq.status"))
                .isEqualTo("valid");
        assertThat(header(valueSmt(rule("type", "nested", "expected", "struct")).apply(Records.schemaless(row)), "dq.status"))
                .isEqualTo("valid");
        assertThat(header(valueSmt(rule("type", "nested", "expected", "map")).apply(Records.schemaless(row)), "dq.status"))
                .isEqualTo("valid");
    }

    @Test
    void typeRuleFollowsTheSchemaOfEachRecord() {
        ValidateContract<SinkRecord> smt = valueSmt(rule("type", "v", "expected", "date"));
        assertThat(header(smt.apply(Records.record(v(DATE, new java.util.Date(0)))), "dq.status")).isEqualTo("valid");
        assertThat(violations(smt.apply(Records.record(v(TS, new java.util.Date(0))))))
                .containsExactly(violation("r", "v", "expected type date but was org.apache.kafka.connect.data.Timestamp"));
        assertThat(header(smt.apply(Records.record(v(DBZ_DATE, 1))), "dq.status")).isEqualTo("valid");
    }

    // ==================================================================================== range edge cases

    /**
     * A double written exactly as a bound must be in range: {@code 0.3} is at least {@code min=0.3} and
     * {@code 1.1} at most {@code max=1.1}, though their binary values are a hair below and above.
     */
    @ParameterizedTest
    @EnumSource(value = Shape.class, names = {"STRUCT", "MAP", "DEBEZIUM_STRUCT_U", "DEBEZIUM_MAP_D"})
    void rangeBoundsAreInclusiveForDoublesWrittenAsTheBound(Shape shape) {
        ValidateContract<SinkRecord> smt = valueSmt(rule("range", "v", "min", "0.3", "max", "1.1"));
        SoftAssertions softly = new SoftAssertions();
        for (double d : new double[] {0.3, 1.1, 0.7}) {
            SinkRecord out = smt.apply(shape.record(v(DBL, d), null));
            softly.assertThat(header(out, "dq.status")).as("%s in [0.3, 1.1]", d).isEqualTo("valid");
            softly.assertThat(violations(out)).as("%s in [0.3, 1.1]", d).isEmpty();
        }
        softly.assertAll();
    }

    // ==================================================================================== in edge cases

    /** {@code values=1.50} allows a Decimal 1.50: the value is normalised, so the allowed values must be too. */
    @ParameterizedTest
    @EnumSource(value = Shape.class, names = {"STRUCT", "MAP", "DEBEZIUM_STRUCT_C"})
    void inAcceptsADecimalWrittenWithItsTrailingZeros(Shape shape) {
        ValidateContract<SinkRecord> smt = valueSmt(rule("in", "v", "values", "1.50,2.00"));
        SoftAssertions softly = new SoftAssertions();
        for (String d : List.of("1.50", "2.00")) {
            SinkRecord out = smt.apply(shape.record(v(DEC2, new BigDecimal(d)), null));
            softly.assertThat(header(out, "dq.status")).as("Decimal %s in [1.50, 2.00]", d).isEqualTo("valid");
        }
        softly.assertAll();
    }

    // ==================================================================================== regex engine

    @Test
    void regexIsLinearTime() {
        ValidateContract<SinkRecord> smt = valueSmt(rule("regex", "v", "pattern", "(a+)+$"));
        String evil = "a".repeat(50) + "!";
        SinkRecord out = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> smt.apply(Records.record(v(STR, evil))));
        assertThat(header(out, "dq.status")).isEqualTo("invalid");
        assertThat(violations(out)).containsExactly(violation("r", "v", "does not match pattern (a+)+$"));
    }

    @Test
    void regexIsCompiledWithRe2j() {
        // java.util.regex accepts backreferences, lookaround and possessive quantifiers; RE2 has none.
        java.util.regex.Pattern.compile("(a)\\1");
        java.util.regex.Pattern.compile("(?=a)a");
        java.util.regex.Pattern.compile("a++");
        assertThatThrownBy(() -> valueSmt(rule("regex", "v", "pattern", "(a)\\1")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value (a)\\1 for configuration rules.r.pattern: not a valid RE2 regular "
                        + "expression: error parsing regexp: invalid escape sequence: `\\1`");
        assertThatThrownBy(() -> valueSmt(rule("regex", "v", "pattern", "(?=a)a")))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("error parsing regexp: invalid or unsupported Perl syntax: `(?=`");
        assertThatThrownBy(() -> valueSmt(rule("regex", "v", "pattern", "a++")))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("error parsing regexp: invalid nested repetition operator: `++`");
    }

    // ==================================================================================== cel specifics

    @ParameterizedTest
    @MethodSource("shapes")
    void celMissingKeyIsAViolationNamingTheKey(Shape shape) {
        ValidateContract<SinkRecord> smt = valueSmt(rule("cel", null, "expr", "value.missing == 1"));
        SinkRecord out = smt.apply(shape.record(order("id", "o-1"), null));
        assertThat(header(out, "dq.status")).isEqualTo("invalid");
        assertThat(header(out, "dq.rules")).isEqualTo("r");
        List<Map<String, String>> violations = violations(out);
        assertThat(violations).hasSize(1);
        assertThat(violations.get(0)).containsEntry("rule", "r").containsEntry("field", "");
        assertThat(violations.get(0).get("message"))
                .startsWith("expression could not be evaluated: ")
                .contains("key 'missing' is not present in map");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void celEvaluationErrorIsAViolation(Shape shape) {
        ValidateContract<SinkRecord> smt = valueSmt(rule("cel", null, "expr", "100 / value.amount > 1"));
        SinkRecord ok = smt.apply(shape.record(order("amount", 5), null));
        assertThat(header(ok, "dq.status")).isEqualTo("valid");

        SinkRecord out = smt.apply(shape.record(order("amount", 0), null));
        assertThat(header(out, "dq.status")).isEqualTo("invalid");
        List<Map<String, String>> violations = violations(out);
        assertThat(violations).hasSize(1);
        assertThat(violations.get(0)).containsEntry("rule", "r").containsEntry("field", "");
        assertThat(violations.get(0).get("message"))
                .startsWith("expression could not be evaluated: ")
                .containsIgnoringCase("by zero");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void celTypeMismatchIsAViolation(Shape shape) {
        ValidateContract<SinkRecord> smt = valueSmt(rule("cel", null, "expr", "value.id > 3"));
        SinkRecord out = smt.apply(shape.record(order("id", "o-1"), null));
        assertThat(header(out, "dq.status")).isEqualTo("invalid");
        assertThat(violations(out).get(0).get("message")).startsWith("expression could not be evaluated: ");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void celSeesKeyHeadersAndTopic(Shape shape) {
        ValidateContract<SinkRecord> smt = valueSmt(rule("cel", null, "expr",
                "key == 'k1' && headers['source'] == 'erp' && headers.attempt == 2 && topic == 'orders' "
                        + "&& value.id == 'o-1'"));
        Struct row = order("id", "o-1");
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("source", "crm").addString("source", "erp").addInt("attempt", 2);
        assertThat(header(smt.apply(shape.record(row, null, "k1", headers)), "dq.status")).isEqualTo("valid");

        SinkRecord otherKey = smt.apply(shape.record(row, null, "k2", headers));
        assertThat(violations(otherKey)).extracting(v -> v.get("message")).containsExactly(
                "expression is false: key == 'k1' && headers['source'] == 'erp' && headers.attempt == 2 "
                        + "&& topic == 'orders' && value.id == 'o-1'");

        ConnectHeaders noSource = new ConnectHeaders();
        noSource.addInt("attempt", 2);
        SinkRecord missingHeader = smt.apply(shape.record(row, null, "k1", noSource));
        assertThat(header(missingHeader, "dq.status")).isEqualTo("invalid");
        // CEL's index operator reports a missing key by its name only ("...: source").
        assertThat(violations(missingHeader).get(0).get("message"))
                .startsWith("expression could not be evaluated: ")
                .contains("source");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void celSeesNullAndStructKeys(Shape shape) {
        ValidateContract<SinkRecord> nullKey = valueSmt(rule("cel", null, "expr", "key == null && !('x' in headers)"));
        assertThat(header(nullKey.apply(shape.record(order("id", "o"), null, null, new ConnectHeaders())), "dq.status"))
                .isEqualTo("valid");

        Schema keySchema = SchemaBuilder.struct().name("Key").field("order_id", Schema.INT64_SCHEMA).build();
        ValidateContract<SinkRecord> structKey = valueSmt(rule("cel", null, "expr", "key.order_id == 7"));
        assertThat(header(structKey.apply(shape.record(order("id", "o"), null,
                new Struct(keySchema).put("order_id", 7L), new ConnectHeaders())), "dq.status")).isEqualTo("valid");
        assertThat(header(structKey.apply(shape.record(order("id", "o"), null,
                new Struct(keySchema).put("order_id", 8L), new ConnectHeaders())), "dq.status")).isEqualTo("invalid");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void celComparesTimestampAndDateFields(Shape shape) {
        Schema schema = rowSchema("ts", TS, "day", DATE);
        Struct row = struct(schema,
                "ts", java.util.Date.from(Instant.parse("2023-11-14T22:13:20Z")),
                "day", java.util.Date.from(Instant.parse("2022-01-08T00:00:00Z")));
        ValidateContract<SinkRecord> smt = valueSmt(rule("cel", null, "expr",
                "value.ts > timestamp('2023-01-01T00:00:00Z') && value.ts < timestamp('2024-01-01T00:00:00Z') "
                        + "&& value.day == timestamp('2022-01-08T00:00:00Z')"));
        SinkRecord out = smt.apply(shape.record(row, null));
        assertThat(violations(out)).isEmpty();
        assertThat(header(out, "dq.status")).isEqualTo("valid");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void celComparesBytesFields(Shape shape) {
        Schema schema = rowSchema("data", BYTES, "buffer", BYTES);
        Struct row = struct(schema, "data", new byte[] {'a', 'b', 'c'}, "buffer", ByteBuffer.wrap(new byte[] {'x', 'y'}));
        ValidateContract<SinkRecord> smt = valueSmt(rule("cel", null, "expr",
                "size(value.data) == 3 && value.data == b'abc' && value.buffer == b'xy'"));
        SinkRecord out = smt.apply(shape.record(row, null));
        assertThat(violations(out)).isEmpty();
        assertThat(header(out, "dq.status")).isEqualTo("valid");

        Struct other = struct(schema, "data", new byte[] {'a', 'b', 'd'}, "buffer", ByteBuffer.wrap(new byte[] {'x', 'y'}));
        assertThat(header(smt.apply(shape.record(other, null)), "dq.status")).isEqualTo("invalid");
    }
}
