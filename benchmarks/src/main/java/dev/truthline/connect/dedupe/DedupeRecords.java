package dev.truthline.connect.dedupe;

import java.util.Date;
import java.util.SplittableRandom;

import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;

import dev.truthline.connect.dedupe.DedupeWindow.Outcome;

import dev.truthline.connect.harness.DebeziumEnvelopes;

/**
 * The input of {@link DeduplicateBenchmark}: {@value #RECORDS} pre-built sink records in a fixed
 * order, with the outcome Deduplicate must give each one. Built like {@link IdStream}:
 *
 * <ul>
 *   <li>~80% carry an event not seen before in the pass ({@link Outcome#NEW});
 *   <li>~17% carry the same event as one of the last {@value IdStream#RECENT} new ones, at a
 *       different offset ({@link Outcome#DUPLICATE}: a producer retry, a re-emitted change event);
 *   <li>~3% are the very record of one of those again, same topic, partition and offset
 *       ({@link Outcome#REPLAY}: a redelivery after a rewind).
 * </ul>
 *
 * <p>A pass holds more than {@value #WINDOW} new events, so with window.max.entries at
 * {@value #WINDOW} every event of a pass has been evicted by the time the pass comes round again,
 * and every pass has the same outcomes. The window is full from the first pass on.
 */
final class DedupeRecords {

    /** window.max.entries of the transform. */
    static final int WINDOW = 1_000_000;
    /** Records in one pass: about 1,049,000 new events, 223,000 duplicates and 39,000 replays. */
    static final int RECORDS = 1_310_720;
    static final int PARTITIONS = 6;
    static final long BASE_OFFSET = 40_000_000L;
    static final long BASE_TIME = 1_795_000_000_000L;

    final String name;
    final SinkRecord[] records = new SinkRecord[RECORDS];
    final Outcome[] expected = new Outcome[RECORDS];
    int newEvents;
    int duplicates;
    int replays;

    /** Makes the n-th distinct event: the record's topic, key and value. */
    interface Events {
        Event make(int n, SplittableRandom random);
    }

    record Event(String topic, Schema keySchema, Object key, Schema valueSchema, Object value, long timestamp) {
    }

    private DedupeRecords(String name, long seed, Events events) {
        this.name = name;
        SplittableRandom random = new SplittableRandom(seed);
        int[] recent = new int[IdStream.RECENT];
        for (int i = 0; i < RECORDS; i++) {
            double r = random.nextDouble();
            int available = Math.min(newEvents, IdStream.RECENT);
            if (available == 0 || r < IdStream.NEW_SHARE) {
                records[i] = at(events.make(newEvents, random), i);
                expected[i] = Outcome.NEW;
                recent[newEvents % IdStream.RECENT] = i;
                newEvents++;
                continue;
            }
            SinkRecord original = records[recent[(newEvents - 1 - random.nextInt(available)) % IdStream.RECENT]];
            if (r < IdStream.NEW_SHARE + IdStream.DUPLICATE_SHARE) {
                records[i] = at(new Event(original.topic(), original.keySchema(), original.key(),
                        original.valueSchema(), original.value(), original.timestamp()), i);
                expected[i] = Outcome.DUPLICATE;
                duplicates++;
            } else {
                records[i] = original;
                expected[i] = Outcome.REPLAY;
                replays++;
            }
        }
        if (newEvents <= WINDOW) {
            throw new IllegalStateException("a pass must hold more new events than the window");
        }
    }

    /** The event as the i-th record: partition i % 6, an offset of its own, no headers. */
    private static SinkRecord at(Event e, int i) {
        int partition = i % PARTITIONS;
        long offset = BASE_OFFSET + i / PARTITIONS;
        return new SinkRecord(e.topic(), partition, e.keySchema(), e.key(), e.valueSchema(), e.value(), offset,
                e.timestamp(), TimestampType.CREATE_TIME);
    }

    // ---- event_id: orders with an order_id ----------------------------------------------------

    static final String ORDERS_TOPIC = "orders.events.v1";

    static final Schema ORDER_SCHEMA = SchemaBuilder.struct().name("dev.truthline.orders.Order").version(1)
            .field("order_id", Schema.INT64_SCHEMA)
            .field("customer_id", Schema.INT64_SCHEMA)
            .field("status", Schema.STRING_SCHEMA)
            .field("amount", Schema.FLOAT64_SCHEMA)
            .field("currency", Schema.STRING_SCHEMA)
            .field("created_at", Timestamp.SCHEMA)
            .build();

    private static final String[] STATUSES = {"NEW", "PAID", "SHIPPED", "DELIVERED", "CANCELLED"};
    private static final String[] CURRENCIES = {"EUR", "USD", "GBP"};

    private static DedupeRecords orders;
    private static DedupeRecords[] debezium = new DedupeRecords[4];

    /** Order events keyed by order_id (int64 key, the same value in value.order_id). */
    static synchronized DedupeRecords orders() {
        if (orders == null) {
            orders = new DedupeRecords("event_id", 0x6f72_6465_7273L, (n, random) -> {
                Long orderId = 7_000_000_000L + n;
                Struct value = new Struct(ORDER_SCHEMA)
                        .put("order_id", orderId)
                        .put("customer_id", 1_000L + random.nextInt(50_000))
                        .put("status", STATUSES[random.nextInt(STATUSES.length)])
                        .put("amount", random.nextInt(1_000_000) / 100.0)
                        .put("currency", CURRENCIES[random.nextInt(CURRENCIES.length)])
                        .put("created_at", new Date(BASE_TIME + n * 10L));
                return new Event(ORDERS_TOPIC, Schema.INT64_SCHEMA, orderId, ORDER_SCHEMA, value, BASE_TIME + n * 10L);
            });
        }
        return orders;
    }

    // ---- debezium: PostgreSQL change events -----------------------------------------------------

    /** Debezium PostgreSQL's source block (io.debezium.connector.postgresql.Source), as it is on the wire. */
    static final Schema SOURCE_SCHEMA = DebeziumEnvelopes.SOURCE;

    /** One captured table: its topic, key, row and envelope schemas. */
    record Table(String name, String topic, Schema key, Schema row, Schema envelope) {
        static Table of(String name) {
            String topic = "pg.inventory." + name;
            Schema key = SchemaBuilder.struct().name(topic + ".Key").field("id", Schema.INT64_SCHEMA).build();
            Schema row = SchemaBuilder.struct().name(topic + ".Value").optional()
                    .field("id", Schema.INT64_SCHEMA)
                    .field("customer_id", Schema.INT64_SCHEMA)
                    .field("status", Schema.STRING_SCHEMA)
                    .field("amount", Schema.FLOAT64_SCHEMA)
                    .field("updated_at", Schema.INT64_SCHEMA)
                    .build();
            Schema envelope = SchemaBuilder.struct().name(topic + ".Envelope").version(2)
                    .field("before", row)
                    .field("after", row)
                    .field("source", SOURCE_SCHEMA)
                    .field("op", Schema.STRING_SCHEMA)
                    .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                    .build();
            return new Table(name, topic, key, row, envelope);
        }
    }

    private static final String[] TABLE_NAMES = {"orders", "customers", "order_lines"};

    /**
     * Debezium PostgreSQL change events of {@code tables} tables (1 to 3, interleaved at random): ~30%
     * creates, ~60% updates, ~10% deletes of 200,000 rows per table; transactions of 1 to 4 events
     * (one commit LSN, increasing event LSNs); {@code source.sequence} set as Debezium 2+ sets it.
     * REPLICA IDENTITY DEFAULT: {@code before} is null but for deletes, where it holds the key.
     */
    static synchronized DedupeRecords debezium(int tables) {
        if (tables < 1 || tables > TABLE_NAMES.length) {
            throw new IllegalArgumentException("tables must be 1 to " + TABLE_NAMES.length);
        }
        if (debezium[tables] == null) {
            Table[] captured = new Table[tables];
            for (int t = 0; t < tables; t++) {
                captured[t] = Table.of(TABLE_NAMES[t]);
            }
            long[] lsn = {30_000_000_000L};
            long[] commitLsn = {0};
            long[] txId = {900_000};
            int[] leftInTx = {0};
            debezium[tables] = new DedupeRecords("debezium", 0x6465_627aL + tables, (n, random) -> {
                if (leftInTx[0] == 0) {
                    leftInTx[0] = 1 + random.nextInt(4);
                    txId[0]++;
                    commitLsn[0] = lsn[0] + 56L * leftInTx[0] + 24;
                }
                leftInTx[0]--;
                lsn[0] += 56;
                Table table = captured[tables == 1 ? 0 : random.nextInt(tables)];
                long id = 1 + random.nextInt(200_000);
                long tsMs = BASE_TIME + n * 3L;
                double r = random.nextDouble();
                String op = r < 0.3 ? "c" : r < 0.9 ? "u" : "d";
                Struct key = new Struct(table.key()).put("id", id);
                Struct row = new Struct(table.row())
                        .put("id", id)
                        .put("customer_id", 1_000L + random.nextInt(50_000))
                        .put("status", STATUSES[random.nextInt(STATUSES.length)])
                        .put("amount", random.nextInt(1_000_000) / 100.0)
                        .put("updated_at", tsMs * 1000);
                Struct source = new Struct(SOURCE_SCHEMA)
                        .put("version", "3.6.1.Final")
                        .put("connector", "postgresql")
                        .put("name", "pg")
                        .put("ts_ms", tsMs)
                        .put("snapshot", "false")
                        .put("db", "shop")
                        .put("sequence", "[\"" + (commitLsn[0] - 4096) + "\",\"" + lsn[0] + "\"]")
                        .put("ts_us", tsMs * 1000)
                        .put("ts_ns", tsMs * 1_000_000)
                        .put("schema", "inventory")
                        .put("table", table.name())
                        .put("txId", txId[0])
                        .put("lsn", lsn[0]);
                Struct before = null;
                if (op.equals("d")) {
                    before = new Struct(table.row()).put("id", id).put("customer_id", 0L).put("status", "")
                            .put("amount", 0.0).put("updated_at", 0L);
                    row = null;
                }
                Struct envelope = new Struct(table.envelope())
                        .put("before", before)
                        .put("after", row)
                        .put("source", source)
                        .put("op", op)
                        .put("ts_ms", tsMs + 40);
                return new Event(table.topic(), table.key(), key, table.envelope(), envelope, tsMs + 40);
            });
        }
        return debezium[tables];
    }
}
