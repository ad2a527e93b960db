package dev.truthline.connect.benchmarks.pipeline;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

import dev.truthline.connect.harness.DebeziumEnvelopes;

/**
 * The reference pipeline's change events as Debezium PostgreSQL writes them to {@code orders.events.v1}: the
 * {@code public.orders} row of {@code connector-configs/orders/orders.sql} ({@code order_id}, {@code customer_id},
 * {@code amount} numeric(12,2) as a Connect Decimal, {@code currency}, {@code status}, {@code updated_at} as
 * Debezium's ZonedTimestamp string) in the Debezium envelope, written by the JSON converter the source connector
 * uses ({@code decimal.format=NUMERIC}). Each order is created once and then updated (REPLICA IDENTITY FULL: the
 * update carries the before image); every change has its own LSN, so none is a duplicate. Every change passes the
 * reference silver contract (the four rules of {@code orders-silver.json}).
 */
final class OrderChanges {

    static final Schema ROW = SchemaBuilder.struct().name("orders.public.orders.Value").optional()
            .field("order_id", Schema.INT64_SCHEMA)
            .field("customer_id", Schema.OPTIONAL_STRING_SCHEMA)
            .field("amount", Decimal.builder(2).optional().parameter("connect.decimal.precision", "12").build())
            .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
            .field("status", Schema.OPTIONAL_STRING_SCHEMA)
            .field("updated_at", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").version(1).build())
            .build();
    static final Schema KEY = SchemaBuilder.struct().name("orders.public.orders.Key")
            .field("order_id", Schema.INT64_SCHEMA).build();
    static final Schema ENVELOPE = DebeziumEnvelopes.envelopeSchema(ROW);

    private static final List<String> STATUSES = List.of("NEW", "PAID", "SHIPPED", "DELIVERED", "CANCELLED");
    private static final List<String> CURRENCIES = List.of("EUR", "USD", "GBP", "CHF", "SEK");
    /** Orders in the table: the first change of each is its insert, the later ones updates. */
    private static final int ORDERS = 100_000;

    private OrderChanges() {
    }

    /** Creates {@code topic} with {@code partitions} partitions and writes {@code count} changes in {@code format}. */
    static void fill(String bootstrap, String topic, int partitions, long count, WireFormat format)
            throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        Serializer keys = new Serializer(format, true, KEY);
        Serializer values = new Serializer(format, false, ENVELOPE);
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024, ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        Random random = new Random(7);
        Future<RecordMetadata> last = null;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (long i = 0; i < count; i++) {
                long orderId = 1 + (i % ORDERS);
                Struct after = row(orderId, random);
                Struct before = i < ORDERS ? null : row(orderId, random);
                Struct value = envelope(i, before, after);
                Struct key = new Struct(KEY).put("order_id", orderId);
                last = producer.send(new ProducerRecord<>(topic, (int) (orderId % partitions),
                        keys.bytes(topic, key), values.bytes(topic, value)));
            }
            producer.flush();
        }
        last.get();
    }

    /** The size in bytes of one change's value in {@code format}, for the report. */
    static int valueBytes(WireFormat format) {
        return new Serializer(format, false, ENVELOPE).bytes("t", sampleUpdate()).length;
    }

    /** An update of order 1, as the topic holds it. */
    static Struct sampleUpdate() {
        Random random = new Random(7);
        return envelope(ORDERS, row(1, random), row(1, random));
    }

    /**
     * What {@code JsonConverter.fromConnectData} writes, faster: with schemas, its envelope
     * {@code {"schema":…,"payload":…}} with the schema's JSON built once (the same bytes, since the converter writes
     * the two fields in that order), so that filling millions of changes takes seconds, not minutes.
     */
    static final class Serializer {
        private final JsonConverter payload;
        private final Schema schema;
        private final byte[] prefix;

        Serializer(WireFormat format, boolean isKey, Schema schema) {
            this.schema = schema;
            this.payload = converter(WireFormat.JSON, isKey);
            this.prefix = format.schemas() ? ("{\"schema\":" + converter(format, isKey).asJsonSchema(schema) + ",\"payload\":")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8) : null;
        }

        byte[] bytes(String topic, Struct value) {
            byte[] body = payload.fromConnectData(topic, schema, value);
            if (prefix == null) {
                return body;
            }
            byte[] out = java.util.Arrays.copyOf(prefix, prefix.length + body.length + 1);
            System.arraycopy(body, 0, out, prefix.length, body.length);
            out[out.length - 1] = '}';
            return out;
        }
    }

    /** The key's or the envelope's schema as the JSON converter writes it, for a sink converter's {@code schema.content}. */
    static String schemaContent(boolean isKey) {
        return converter(WireFormat.JSON_SCHEMAS, isKey).asJsonSchema(isKey ? KEY : ENVELOPE).toString();
    }

    static JsonConverter converter(WireFormat format, boolean isKey) {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", String.valueOf(format.schemas()), "decimal.format", "NUMERIC"), isKey);
        return c;
    }

    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /**
     * A customer id as silver sees it: the source tokenizes it (ProtectFields {@code token}: a Tink AES-SIV
     * ciphertext with its 5-byte key prefix, Base64url), so 38 characters starting "A" and one of [Q-Za-f].
     */
    static String customerToken(Random random) {
        char[] token = new char[38];
        token[0] = 'A';
        token[1] = BASE64URL.charAt(16 + random.nextInt(16));
        for (int i = 2; i < token.length; i++) {
            token[i] = BASE64URL.charAt(random.nextInt(64));
        }
        return new String(token);
    }

    private static Struct row(long orderId, Random random) {
        return new Struct(ROW).put("order_id", orderId)
                .put("customer_id", customerToken(random))
                .put("amount", BigDecimal.valueOf(100 + random.nextInt(10_000_000), 2))
                .put("currency", CURRENCIES.get(random.nextInt(CURRENCIES.size())))
                .put("status", STATUSES.get(random.nextInt(STATUSES.size())))
                .put("updated_at", Instant.ofEpochMilli(1_767_225_600_000L + orderId * 1000).toString());
    }

    private static Struct envelope(long i, Struct before, Struct after) {
        long lsn = 40_000_000L + i * 120;
        long tsMs = 1_767_225_600_000L + i;
        Struct source = new Struct(DebeziumEnvelopes.SOURCE).put("version", "3.6.1.Final").put("connector", "postgresql")
                .put("name", "orders").put("ts_ms", tsMs).put("snapshot", "false").put("db", "shop")
                .put("sequence", "[\"" + (lsn - 120) + "\",\"" + lsn + "\"]").put("ts_us", tsMs * 1000)
                .put("ts_ns", tsMs * 1_000_000).put("schema", "public").put("table", "orders").put("txId", 700L + i)
                .put("lsn", lsn);
        return new Struct(ENVELOPE).put("before", before).put("after", after).put("source", source)
                .put("op", before == null ? "c" : "u").put("ts_ms", tsMs + 3);
    }
}
