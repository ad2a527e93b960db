package dev.truthline.connect.harness;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * Debezium PostgreSQL change events for tests, in the shape the connector writes them: an envelope of
 * {@code before}, {@code after}, {@code source} (the connector's source block: {@code db}, {@code schema},
 * {@code table}, {@code lsn}, {@code sequence}, {@code txId}, {@code ts_ms}, …), {@code op} and {@code ts_ms} — with a schema (a
 * Struct) or without (a Map, as the JSON converter gives with {@code schemas.enable=false}). The row is
 * {@code id} and {@code status}, keyed by {@code id}.
 */
public final class DebeziumEnvelopes {

    /** Debezium PostgreSQL's source block ({@code io.debezium.connector.postgresql.Source}) as it is on the wire. */
    public static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("version", Schema.STRING_SCHEMA)
            .field("connector", Schema.STRING_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field("snapshot", SchemaBuilder.string().optional().defaultValue("false").build())
            .field("db", Schema.STRING_SCHEMA)
            .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
            .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
            .field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA)
            .field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .field("xmin", Schema.OPTIONAL_INT64_SCHEMA)
            .build();

    /**
     * The reference pipeline's {@code public.orders} row ({@code connector-configs/orders/orders.sql}) as Debezium
     * PostgreSQL writes it: {@code amount} numeric(12,2) a Connect Decimal, {@code updated_at} a ZonedTimestamp string.
     */
    public static final Schema ORDERS_ROW = SchemaBuilder.struct().name("orders.public.orders.Value").optional()
            .field("order_id", Schema.INT64_SCHEMA)
            .field("customer_id", Schema.OPTIONAL_STRING_SCHEMA)
            .field("email", Schema.OPTIONAL_STRING_SCHEMA)
            .field("amount", Decimal.builder(2).optional().build())
            .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
            .field("status", Schema.OPTIONAL_STRING_SCHEMA)
            .field("updated_at", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").build())
            .build();
    /** The key of {@link #ORDERS_ROW}. */
    public static final Schema ORDERS_KEY = SchemaBuilder.struct().name("orders.public.orders.Key")
            .field("order_id", Schema.INT64_SCHEMA).build();

    public static final Schema ROW = SchemaBuilder.struct().name("shop.public.orders.Value").optional()
            .field("id", Schema.INT64_SCHEMA)
            .field("status", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    public static final Schema KEY = SchemaBuilder.struct().name("shop.public.orders.Key")
            .field("id", Schema.INT64_SCHEMA)
            .build();

    public static final Schema ENVELOPE = envelopeSchema(ROW);

    private DebeziumEnvelopes() {
    }

    /** An envelope schema around an optional row schema named {@code <topic>.Value}: {@code <topic>.Envelope}. */
    public static Schema envelopeSchema(Schema rowSchema) {
        return envelopeSchema(rowSchema.name().replaceAll("\\.Value$", "") + ".Envelope", rowSchema);
    }

    /** An envelope schema around an optional row schema (Debezium's {@code before}/{@code after} are optional). */
    public static Schema envelopeSchema(String name, Schema rowSchema) {
        if (!rowSchema.isOptional()) {
            throw new IllegalArgumentException("a Debezium row schema is optional: build it with .optional()");
        }
        return SchemaBuilder.struct().name(name)
                .field("before", rowSchema)
                .field("after", rowSchema)
                .field("source", SOURCE)
                .field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
    }

    /** A change of the row {@code id} of {@code shop.public.orders}; set its position with the builder. */
    public static Change change(String op, long id) {
        return new Change(op, id);
    }

    /** One change event being built; defaults: db {@code shop}, schema {@code public}, table {@code orders}. */
    public static final class Change {
        private final String op;
        private final long id;
        private String db = "shop";
        private String schema = "public";
        private String table = "orders";
        private Long lsn;
        private String sequence;
        private Long txId;
        private long tsMs = 1_700_000_000_000L;
        private String status = "NEW";

        private Change(String op, long id) {
            this.op = op;
            this.id = id;
        }

        public Change table(String db, String schema, String table) {
            this.db = db;
            this.schema = schema;
            this.table = table;
            return this;
        }

        public Change lsn(long lsn) {
            this.lsn = lsn;
            return this;
        }

        /** {@code source.sequence}, e.g. {@code ["100","120"]} (last commit LSN, this change's LSN). */
        public Change sequence(String sequence) {
            this.sequence = sequence;
            return this;
        }

        public Change txId(long txId) {
            this.txId = txId;
            return this;
        }

        /** {@code source.ts_ms}, the commit time, and the envelope's own {@code ts_ms}. */
        public Change tsMs(long tsMs) {
            this.tsMs = tsMs;
            return this;
        }

        public Change status(String status) {
            this.status = status;
            return this;
        }

        public Struct key() {
            return new Struct(KEY).put("id", id);
        }

        public Map<String, Object> keyMap() {
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("id", id);
            return key;
        }

        public Struct struct() {
            Struct source = new Struct(SOURCE).put("version", "3.6.1.Final").put("connector", "postgresql")
                    .put("name", db).put("ts_ms", tsMs).put("db", db).put("schema", schema).put("table", table)
                    .put("lsn", lsn).put("sequence", sequence).put("txId", txId);
            Struct row = new Struct(ROW).put("id", id).put("status", status);
            return new Struct(ENVELOPE).put("before", op.equals("d") ? row : null).put("after", op.equals("d") ? null : row)
                    .put("source", source).put("op", op).put("ts_ms", tsMs);
        }

        /** The same event schemaless; absent {@code lsn}, {@code sequence} and {@code txId} are left out. */
        public Map<String, Object> map() {
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("version", "3.6.1.Final");
            source.put("connector", "postgresql");
            source.put("name", db);
            source.put("db", db);
            source.put("schema", schema);
            source.put("table", table);
            if (lsn != null) {
                source.put("lsn", lsn);
            }
            if (sequence != null) {
                source.put("sequence", sequence);
            }
            if (txId != null) {
                source.put("txId", txId);
            }
            source.put("ts_ms", tsMs);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", id);
            row.put("status", status);
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("before", op.equals("d") ? row : null);
            event.put("after", op.equals("d") ? null : row);
            event.put("source", source);
            event.put("op", op);
            event.put("ts_ms", tsMs);
            return event;
        }
    }
}
