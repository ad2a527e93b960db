package dev.truthline.connect.dedupe;

import static dev.truthline.connect.dedupe.Fixtures.TIMESTAMP;
import static dev.truthline.connect.dedupe.Fixtures.header;
import static dev.truthline.connect.dedupe.Fixtures.headerCount;
import static dev.truthline.connect.dedupe.Fixtures.map;
import static dev.truthline.connect.dedupe.Fixtures.metric;
import static dev.truthline.connect.dedupe.Fixtures.moved;
import static dev.truthline.connect.dedupe.Fixtures.props;
import static dev.truthline.connect.dedupe.Fixtures.sink;
import static dev.truthline.connect.dedupe.Fixtures.smt;
import static dev.truthline.connect.dedupe.Fixtures.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.truthline.connect.core.IdEncoder;
import dev.truthline.connect.core.TruthlineVersion;

/** {@link Deduplicate} through its public SMT interface, on sink and source records. */
class DeduplicateTest {

    // ---------------------------------------------------------------- schemas

    static final Schema EVENT = SchemaBuilder.struct().name("Event")
            .field("event_id", Schema.OPTIONAL_STRING_SCHEMA)
            .field("n", Schema.OPTIONAL_INT32_SCHEMA)
            .field("meta", SchemaBuilder.struct().name("Meta").optional()
                    .field("id", Schema.OPTIONAL_INT32_SCHEMA).build())
            .build();

    static final Schema ID_KEY = SchemaBuilder.struct().name("Key").field("id", Schema.INT64_SCHEMA).build();

    static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("db", Schema.STRING_SCHEMA)
            .field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    static final Schema ROW = SchemaBuilder.struct().name("db.public.orders.Value").optional()
            .field("id", Schema.INT32_SCHEMA)
            .field("status", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    static final Schema ENVELOPE = SchemaBuilder.struct().name("db.public.orders.Envelope")
            .field("before", ROW)
            .field("after", ROW)
            .field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .build();

    static final Schema ROW_KEY = SchemaBuilder.struct().name("db.public.orders.Key")
            .field("id", Schema.INT32_SCHEMA).build();

    static Struct event(String id, int n) {
        return new Struct(EVENT).put("event_id", id).put("n", n);
    }

    static Struct rowKey(int id) {
        return new Struct(ROW_KEY).put("id", id);
    }

    /** A Debezium change event with schema; {@code sequence} may be null (only source.lsn then). */
    static Struct change(String db, String schema, String table, Long lsn, String sequence, String op, int id,
            long tsMs) {
        Struct src = new Struct(SOURCE).put("db", db).put("schema", schema).put("table", table).put("lsn", lsn)
                .put("sequence", sequence);
        Struct row = new Struct(ROW).put("id", id).put("status", "NEW");
        Struct envelope = new Struct(ENVELOPE).put("source", src).put("op", op).put("ts_ms", tsMs);
        if (op.equals("d")) {
            envelope.put("before", row);
        } else {
            envelope.put("after", row);
        }
        return envelope;
    }

    static Struct change(String table, Long lsn, String sequence, String op, int id) {
        return change("shop", "public", table, lsn, sequence, op, id, 1L);
    }

    static SinkRecord dbz(long offset, Struct change) {
        int id = change.getStruct("after") != null ? change.getStruct("after").getInt32("id")
                : change.getStruct("before").getInt32("id");
        return sink("shop.public.orders", 0, offset, ROW_KEY, rowKey(id), ENVELOPE, change);
    }

    /** A schemaless Debezium change event (JSON converter without schemas). */
    static Map<String, Object> changeMap(String table, Long lsn, String sequence, String op, int id, long tsMs) {
        Map<String, Object> src = map("db", "shop", "schema", "public", "table", table);
        if (lsn != null) {
            src.put("lsn", lsn);
        }
        if (sequence != null) {
            src.put("sequence", sequence);
        }
        Map<String, Object> row = map("id", (long) id, "status", "NEW");
        return map("before", op.equals("d") ? row : null, "after", op.equals("d") ? null : row, "source", src,
                "op", op, "ts_ms", tsMs);
    }

    static SinkRecord dbzMap(long offset, Map<String, Object> change) {
        @SuppressWarnings("unchecked")
        Map<String, Object> row = (Map<String, Object>) (change.get("after") != null ? change.get("after")
                : change.get("before"));
        return sink("shop.public.orders", 0, offset, map("id", row.get("id")), change);
    }

    // ================================================================ event_id

    @Nested
    class EventId {

        @Test
        void valueFieldDuplicateAtAnotherOffsetIsDropped() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.event_id"));
            SinkRecord first = sink("t", 0, 1, null, map("event_id", "e1", "n", 1L));
            assertThat(smt.apply(first)).isSameAs(first);
            assertThat(smt.apply(sink("t", 0, 2, null, map("event_id", "e1", "n", 2L)))).isNull();
            SinkRecord other = sink("t", 0, 3, null, map("event_id", "e2", "n", 1L));
            assertThat(smt.apply(other)).isSameAs(other);
            assertThat(smt.apply(sink("t", 0, 4, null, map("event_id", "e2")))).isNull();
        }

        @Test
        void valueFieldOnStructAndNestedPath() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.meta.id"));
            Struct a = event("x", 1).put("meta", new Struct(EVENT.field("meta").schema()).put("id", 7));
            Struct b = event("y", 2).put("meta", new Struct(EVENT.field("meta").schema()).put("id", 7));
            Struct c = event("x", 1).put("meta", new Struct(EVENT.field("meta").schema()).put("id", 8));
            assertThat(smt.apply(sink("t", 0, 1, null, null, EVENT, a))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 2, null, null, EVENT, b))).as("same meta.id, other fields differ")
                    .isNull();
            assertThat(smt.apply(sink("t", 0, 3, null, null, EVENT, c))).isNotNull();
        }

        @Test
        void wholeKey() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "key"));
            assertThat(smt.apply(sink("t", 0, 1, "k1", map("n", 1L)))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 2, "k1", map("n", 2L)))).isNull();
            assertThat(smt.apply(sink("t", 0, 3, "k2", map("n", 1L)))).isNotNull();
        }

        @Test
        void wholeStructKey() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "key"));
            assertThat(smt.apply(sink("t", 0, 1, ID_KEY, new Struct(ID_KEY).put("id", 1L), null, map()))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 2, ID_KEY, new Struct(ID_KEY).put("id", 1L), null, map()))).isNull();
            assertThat(smt.apply(sink("t", 0, 3, ID_KEY, new Struct(ID_KEY).put("id", 2L), null, map()))).isNotNull();
        }

        @Test
        void keyPathOnStructAndMapKeys() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "key.id"));
            assertThat(smt.apply(sink("t", 0, 1, ID_KEY, new Struct(ID_KEY).put("id", 5L), null, map()))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 2, null, map("id", 5L, "other", "x"), null, map())))
                    .as("a schemaless key with the same id").isNull();
            assertThat(smt.apply(sink("t", 0, 3, null, map("id", 6), null, map()))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 4, null, map("id", 6L), null, map())))
                    .as("an int and a long 6 are one id").isNull();
        }

        @Test
        void headerField() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "header.event-id"));
            ConnectHeaders h1 = new ConnectHeaders();
            h1.addString("event-id", "old");
            h1.addString("event-id", "e1"); // the last one counts
            ConnectHeaders h2 = new ConnectHeaders();
            h2.addString("event-id", "e1");
            ConnectHeaders h3 = new ConnectHeaders();
            h3.addString("event-id", "old");
            assertThat(smt.apply(sink("t", 0, 1, null, null, null, map(), h1))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 2, null, null, null, map(), h2))).isNull();
            assertThat(smt.apply(sink("t", 0, 3, null, null, null, map(), h3))).isNotNull();
        }

        @Test
        void compositeId() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.customer, value.seq"));
            assertThat(smt.apply(sink("t", 0, 1, null, map("customer", "c1", "seq", 1L)))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 2, null, map("customer", "c1", "seq", 2L)))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 3, null, map("customer", "c2", "seq", 1L)))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 4, null, map("seq", 1L, "customer", "c1")))).isNull();
            assertThat(smt.apply(sink("t", 0, 5, null, map("customer", "c2", "seq", 2L)))).isNotNull();
        }

        @Test
        void compositeIdPartsDoNotRunIntoEachOther() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.a,value.b"));
            assertThat(smt.apply(sink("t", 0, 1, null, map("a", "ab", "b", "c")))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 2, null, map("a", "a", "b", "bc")))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 3, null, map("a", "abc", "b", "")))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 4, null, map("a", "ab", "b", "c")))).isNull();
        }

        @Test
        void compositeIdOrderMatters() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.a,value.b"));
            assertThat(smt.apply(sink("t", 0, 1, null, map("a", "x", "b", "y")))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 2, null, map("a", "y", "b", "x")))).isNotNull();
        }

        @Test
        void compositeIdAcrossKeyValueAndHeader() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "key,value.n,header.src"));
            ConnectHeaders a = new ConnectHeaders();
            a.addString("src", "A");
            ConnectHeaders b = new ConnectHeaders();
            b.addString("src", "B");
            assertThat(smt.apply(sink("t", 0, 1, null, "k", null, map("n", 1L), a))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 2, null, "k", null, map("n", 1L), b))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 3, null, "k2", null, map("n", 1L), a))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 4, null, "k", null, map("n", 2L), a))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 5, null, "k", null, map("n", 1L), a.duplicate()))).isNull();
        }

        @Test
        void intFromStructAndLongFromJsonAreOneId() {
            Schema schema = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.id"));
            assertThat(smt.apply(sink("t", 0, 1, null, null, schema, new Struct(schema).put("id", 5)))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 2, null, map("id", 5L)))).isNull();
        }

        @Test
        void decimalsEqualInValueAreOneId() {
            Schema decimal = Decimal.schema(2);
            Schema schema = SchemaBuilder.struct().field("amount", decimal).build();
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.amount"));
            assertThat(smt.apply(sink("t", 0, 1, null, null, schema,
                    new Struct(schema).put("amount", new BigDecimal("1.50"))))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 2, null, map("amount", new BigDecimal("1.5"))))).isNull();
            assertThat(smt.apply(sink("t", 0, 3, null, map("amount", new BigDecimal("1.51"))))).isNotNull();
        }

        @Test
        void stringAndNumberAreDifferentIds() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.id"));
            assertThat(smt.apply(sink("t", 0, 1, null, map("id", 5L)))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 2, null, map("id", "5")))).isNotNull();
        }

        @Test
        void idsAreRememberedAcrossTopicsInOneTask() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.id", "on.duplicate", "tag"));
            smt.apply(sink("orders", 0, 5, null, map("id", "e1")));
            SinkRecord dup = smt.apply(sink("orders-retry", 0, 5, null, map("id", "e1")));
            assertThat(header(dup, "dq.duplicate")).isEqualTo("true");
            assertThat(header(dup, "dq.duplicate.of")).isEqualTo("orders/0/5");
        }
    }

    // ================================================================ debezium

    @Nested
    class Debezium {

        private final Deduplicate<SinkRecord> smt = smt(props("strategy", "debezium"));

        @Test
        void sameChangeReEmittedAtNewOffsetIsCaught() {
            SinkRecord first = dbz(10, change("orders", 100L, "[\"90\",\"100\"]", "c", 1));
            assertThat(smt.apply(first)).isSameAs(first);
            // After a connector restart Debezium sends the change again, with a new ts_ms, at a new offset.
            Struct again = change("shop", "public", "orders", 100L, "[\"90\",\"100\"]", "c", 1, 999L);
            assertThat(smt.apply(dbz(57, again))).isNull();
        }

        @Test
        void otherConnectorsAreIdentifiedByTheirOwnLogPosition() {
            // Shapes as Debezium documents them; ChangeIdentityTest covers each connector's fields.
            Map<String, Object> mysql = map("before", null, "after", map("id", 1004L), "op", "c", "ts_ms", 1L, "source",
                    map("connector", "mysql", "db", "inventory", "table", "customers", "file", "mysql-bin.000003",
                            "pos", 154L, "row", 0, "gtid", null));
            Map<String, Object> sqlServer = map("before", null, "after", map("id", 1004L), "op", "c", "ts_ms", 1L,
                    "source", map("connector", "sqlserver", "db", "testDB", "schema", "dbo", "table", "customers",
                            "change_lsn", "00000027:00000758:0003", "commit_lsn", "00000027:00000758:0005",
                            "event_serial_no", 1L));
            Map<String, Object> reEmittedMysql = new java.util.LinkedHashMap<>(mysql);
            reEmittedMysql.put("ts_ms", 2L);
            assertThat(smt.apply(dbzMap(1, mysql))).isNotNull();
            assertThat(smt.apply(dbzMap(2, sqlServer))).isNotNull();
            assertThat(smt.apply(dbzMap(3, reEmittedMysql))).as("MySQL change re-emitted").isNull();
            assertThat(smt.apply(dbzMap(1, mysql))).as("redelivery").isNotNull();
            assertThat(smt.duplicates.sum()).isEqualTo(1);
        }

        @Test
        void redeliveryAtSameOffsetPasses() {
            smt.apply(dbz(10, change("orders", 100L, "[\"90\",\"100\"]", "c", 1)));
            SinkRecord rewound = dbz(10, change("orders", 100L, "[\"90\",\"100\"]", "c", 1));
            assertThat(smt.apply(rewound)).isSameAs(rewound);
        }

        @Test
        void rowsOfOneMultiRowInsertAreNotMerged() {
            // Same transaction, same sequence and op; only the key differs.
            for (int id = 1; id <= 5; id++) {
                SinkRecord r = dbz(id, change("orders", 100L, "[\"90\",\"100\"]", "c", id));
                assertThat(smt.apply(r)).as("row %d", id).isSameAs(r);
            }
        }

        @Test
        void oneRowUpdatedSeveralTimesInATransactionIsNotMerged() {
            for (int i = 0; i < 4; i++) {
                SinkRecord r = dbz(20 + i, change("orders", 200L + i, "[\"190\",\"" + (200 + i) + "\"]", "u", 1));
                assertThat(smt.apply(r)).as("update %d", i).isSameAs(r);
            }
        }

        @Test
        void distinctOpsAreNotMerged() {
            for (String op : List.of("c", "u", "d", "r")) {
                SinkRecord r = dbz(op.charAt(0), change("orders", 100L, "[\"90\",\"100\"]", op, 1));
                assertThat(smt.apply(r)).as("op %s", op).isSameAs(r);
            }
        }

        @Test
        void distinctTablesSchemasAndDatabasesAreNotMerged() {
            assertThat(smt.apply(dbz(1, change("shop", "public", "orders", 100L, "[\"1\",\"2\"]", "c", 1, 1))))
                    .isNotNull();
            assertThat(smt.apply(dbz(2, change("shop", "public", "customers", 100L, "[\"1\",\"2\"]", "c", 1, 1))))
                    .isNotNull();
            assertThat(smt.apply(dbz(3, change("shop", "audit", "orders", 100L, "[\"1\",\"2\"]", "c", 1, 1))))
                    .isNotNull();
            assertThat(smt.apply(dbz(4, change("shop2", "public", "orders", 100L, "[\"1\",\"2\"]", "c", 1, 1))))
                    .isNotNull();
            assertThat(smt.apply(dbz(5, change("shop", "public", "orders", 100L, "[\"1\",\"2\"]", "c", 1, 1))))
                    .isNull();
        }

        @Test
        void sequenceTellsApartEventsSharingAnLsn() {
            assertThat(smt.apply(dbz(1, change("orders", 100L, "[\"90\",\"100\"]", "u", 1)))).isNotNull();
            assertThat(smt.apply(dbz(2, change("orders", 100L, "[\"95\",\"100\"]", "u", 1)))).isNotNull();
        }

        @Test
        void onlyLsnWhenSequenceIsNull() {
            assertThat(smt.apply(dbz(1, change("orders", 100L, null, "c", 1)))).isNotNull();
            assertThat(smt.apply(dbz(2, change("orders", 101L, null, "c", 1)))).isNotNull();
            assertThat(smt.apply(dbz(3, change("orders", 100L, null, "c", 1)))).isNull();
            assertThat(smt.apply(dbz(4, change("orders", 100L, null, "c", 2)))).isNotNull();
        }

        @Test
        void schemalessEnvelopeWithSequence() {
            assertThat(smt.apply(dbzMap(1, changeMap("orders", 100L, "[\"90\",\"100\"]", "c", 1, 1)))).isNotNull();
            assertThat(smt.apply(dbzMap(2, changeMap("orders", 100L, "[\"90\",\"100\"]", "c", 2, 1)))).isNotNull();
            assertThat(smt.apply(dbzMap(3, changeMap("orders", 100L, "[\"90\",\"100\"]", "u", 1, 1)))).isNotNull();
            assertThat(smt.apply(dbzMap(4, changeMap("orders", 100L, "[\"90\",\"100\"]", "c", 1, 5)))).isNull();
            SinkRecord replay = dbzMap(1, changeMap("orders", 100L, "[\"90\",\"100\"]", "c", 1, 1));
            assertThat(smt.apply(replay)).isSameAs(replay);
        }

        @Test
        void schemalessEnvelopeWithOnlyLsn() {
            assertThat(smt.apply(dbzMap(1, changeMap("orders", 100L, null, "c", 1, 1)))).isNotNull();
            assertThat(smt.apply(dbzMap(2, changeMap("orders", 101L, null, "c", 1, 1)))).isNotNull();
            assertThat(smt.apply(dbzMap(3, changeMap("orders", 100L, null, "c", 1, 2)))).isNull();
            assertThat(smt.apply(dbzMap(4, changeMap("orders", 100L, null, "d", 1, 2)))).isNotNull();
        }

        @Test
        void missingTableFails() {
            Map<String, Object> change = changeMap("orders", 100L, null, "c", 1, 1);
            ((Map<?, ?>) change.get("source")).remove("table");
            assertThatThrownBy(() -> smt.apply(dbzMap(1, change))).isInstanceOf(DataException.class)
                    .hasMessage("Record has no value for id field value.source.table "
                            + "(topic shop.public.orders, strategy debezium)");
        }

        @Test
        void missingSequenceAndLsnFails() {
            assertThatThrownBy(() -> smt.apply(dbzMap(1, changeMap("orders", null, null, "c", 1, 1))))
                    .isInstanceOf(DataException.class)
                    .hasMessage("Record has no value for id field value.source.lsn "
                            + "(topic shop.public.orders, strategy debezium)");
            assertThatThrownBy(() -> smt.apply(dbz(2, change("orders", null, null, "c", 1))))
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("value.source.lsn");
        }

        @Test
        void missingOpFails() {
            Map<String, Object> change = changeMap("orders", 100L, null, "c", 1, 1);
            change.remove("op");
            assertThatThrownBy(() -> smt.apply(dbzMap(1, change))).isInstanceOf(DataException.class)
                    .hasMessage("Record has no value for id field value.op (topic shop.public.orders, strategy debezium)");
        }

        @Test
        void notAnEnvelopeFailsOrPasses() {
            assertThatThrownBy(() -> smt.apply(sink("t", 0, 1, null, map("id", 1L))))
                    .isInstanceOf(DataException.class).hasMessageContaining("value.source.table");
            Deduplicate<SinkRecord> lenient = smt(props("strategy", "debezium", "missing.id", "pass"));
            SinkRecord plain = sink("t", 0, 1, null, map("id", 1L));
            assertThat(lenient.apply(plain)).isSameAs(plain);
            assertThat(lenient.missing.sum()).isEqualTo(1);
        }
    }

    // ================================================================ entity_version

    @Nested
    class EntityVersion {

        private SinkRecord v(String key, long offset, Object version) {
            return sink("t", 0, offset, key, map("version", version, "status", "s" + version));
        }

        @Test
        void outOfOrderNumericVersionsAreStale() {
            Deduplicate<SinkRecord> smt = smt(props("strategy", "entity_version", "version.field", "value.version"));
            SinkRecord v1 = v("a", 1, 1L);
            SinkRecord v3 = v("a", 2, 3L);
            assertThat(smt.apply(v1)).isSameAs(v1);
            assertThat(smt.apply(v3)).isSameAs(v3);
            assertThat(smt.apply(v("a", 3, 2L))).as("older").isNull();
            assertThat(smt.apply(v("a", 4, 3L))).as("equal, elsewhere").isNull();
            SinkRecord v3again = v("a", 2, 3L);
            assertThat(smt.apply(v3again)).as("redelivery of the newest").isSameAs(v3again);
            assertThat(smt.apply(v("a", 1, 1L))).as("redelivery of a superseded record").isNull();
            SinkRecord v4 = v("a", 5, 4L);
            assertThat(smt.apply(v4)).isSameAs(v4);
            assertThat(smt.stale.sum()).isEqualTo(3);
            assertThat(smt.replays.sum()).isEqualTo(1);
            assertThat(smt.passed.sum()).isEqualTo(3);
        }

        @Test
        void entitiesAreIndependent() {
            Deduplicate<SinkRecord> smt = smt(props("strategy", "entity_version", "version.field", "value.version"));
            assertThat(smt.apply(v("a", 1, 10L))).isNotNull();
            assertThat(smt.apply(v("b", 2, 1L))).isNotNull();
            assertThat(smt.apply(v("a", 3, 5L))).isNull();
            assertThat(smt.apply(v("b", 4, 2L))).isNotNull();
        }

        @Test
        void intShortAndDecimalVersions() {
            Deduplicate<SinkRecord> smt = smt(props("strategy", "entity_version", "version.field", "value.version"));
            assertThat(smt.apply(v("a", 1, 5))).isNotNull();
            assertThat(smt.apply(v("a", 2, (short) 5))).isNull();
            assertThat(smt.apply(v("a", 3, new BigDecimal("6")))).isNotNull();
            assertThat(smt.apply(v("a", 4, (byte) 6))).isNull();
            assertThat(smt.apply(v("a", 5, 7L))).isNotNull();
        }

        @Test
        void connectTimestampVersions() {
            Schema schema = SchemaBuilder.struct().name("Order")
                    .field("id", Schema.INT64_SCHEMA)
                    .field("updated_at", Timestamp.SCHEMA)
                    .build();
            Deduplicate<SinkRecord> smt = smt(props("strategy", "entity_version", "entity.fields", "value.id",
                    "version.field", "value.updated_at"));
            Instant t0 = Instant.parse("2024-05-01T10:00:00Z");
            Struct at2 = new Struct(schema).put("id", 1L).put("updated_at", Date.from(t0.plusSeconds(2)));
            Struct at1 = new Struct(schema).put("id", 1L).put("updated_at", Date.from(t0.plusSeconds(1)));
            Struct at1ms = new Struct(schema).put("id", 1L).put("updated_at", Date.from(t0.plusMillis(2001)));
            assertThat(smt.apply(sink("t", 0, 1, null, null, schema, at2))).isNotNull();
            assertThat(smt.apply(sink("t", 0, 2, null, null, schema, at1))).as("an earlier update arriving late")
                    .isNull();
            assertThat(smt.apply(sink("t", 0, 3, null, null, schema, at1ms))).as("one millisecond later").isNotNull();
        }

        @Test
        void isoStringVersions() {
            Deduplicate<SinkRecord> smt = smt(props("strategy", "entity_version", "version.field", "value.version"));
            assertThat(smt.apply(v("a", 1, "2024-05-01T10:00:00.000002Z"))).isNotNull();
            assertThat(smt.apply(v("a", 2, "2024-05-01T10:00:00.000001Z"))).as("a microsecond older").isNull();
            assertThat(smt.apply(v("a", 3, "2024-05-01T09:59:59Z"))).isNull();
            assertThat(smt.apply(v("a", 4, " 2024-05-01T10:00:00.000003Z "))).as("trimmed, newer").isNotNull();
            assertThat(smt.apply(v("a", 5, "2024-05-01T12:00:00.000003+02:00"))).as("same instant, other offset")
                    .isNull();
            assertThat(smt.apply(v("a", 6, "2024-05-01T12:00:00.000004+02:00"))).isNotNull();
        }

        @Test
        void integerStringVersions() {
            Deduplicate<SinkRecord> smt = smt(props("strategy", "entity_version", "version.field", "value.version"));
            assertThat(smt.apply(v("a", 1, "42"))).isNotNull();
            assertThat(smt.apply(v("a", 2, "41"))).isNull();
            assertThat(smt.apply(v("a", 3, "100"))).as("numeric, not lexicographic").isNotNull();
        }

        @Test
        void debeziumRowsByKeyAndLsn() {
            Deduplicate<SinkRecord> smt = smt(props("strategy", "entity_version", "entity.fields",
                    "value.source.table,value.after.id", "version.field", "value.source.lsn"));
            assertThat(smt.apply(dbzMap(1, changeMap("orders", 300L, null, "u", 1, 1)))).isNotNull();
            assertThat(smt.apply(dbzMap(2, changeMap("orders", 200L, null, "u", 1, 1)))).isNull();
            assertThat(smt.apply(dbzMap(3, changeMap("orders", 200L, null, "u", 2, 1)))).isNotNull();
            assertThat(smt.apply(dbzMap(4, changeMap("customers", 200L, null, "u", 1, 1)))).isNotNull();
            assertThat(smt.apply(dbzMap(5, changeMap("orders", 301L, null, "u", 1, 1)))).isNotNull();
        }

        @Test
        void staleRecordsAreTaggedWithTheNewestPosition() {
            Deduplicate<SinkRecord> smt = smt(props("strategy", "entity_version", "version.field", "value.version",
                    "on.duplicate", "tag"));
            smt.apply(v("a", 1, 1L));
            smt.apply(v("a", 7, 5L));
            SinkRecord late = v("a", 9, 3L);
            SinkRecord out = smt.apply(late);
            assertThat(out).isNotNull().isNotSameAs(late);
            assertThat(header(out, "dq.duplicate")).isEqualTo("true");
            assertThat(header(out, "dq.duplicate.reason")).isEqualTo("stale");
            assertThat(header(out, "dq.duplicate.of")).isEqualTo("t/0/7");
            assertThat(late.headers()).isEmpty();
        }

        @Test
        void missingVersionFailsNamingTheField() {
            Deduplicate<SinkRecord> smt = smt(props("strategy", "entity_version", "version.field", "value.version"));
            assertThatThrownBy(() -> smt.apply(sink("t", 0, 1, "a", map("status", "x"))))
                    .isInstanceOf(DataException.class)
                    .hasMessage("Record has no value for id field value.version (topic t, strategy entity_version)");
            assertThatThrownBy(() -> smt.apply(sink("t", 0, 1, "a", map("version", null))))
                    .isInstanceOf(DataException.class)
                    .hasMessage("Record has no value for id field value.version (topic t, strategy entity_version)");
        }

        @Test
        void missingEntityFailsNamingTheField() {
            Deduplicate<SinkRecord> smt = smt(props("strategy", "entity_version", "version.field", "value.version"));
            assertThatThrownBy(() -> smt.apply(sink("t", 0, 1, null, map("version", 1L))))
                    .isInstanceOf(DataException.class)
                    .hasMessage("Record has no value for id field key (topic t, strategy entity_version)");
        }

        @Test
        void missingVersionPassesWhenAsked() {
            Deduplicate<SinkRecord> smt = smt(props("strategy", "entity_version", "version.field", "value.version",
                    "missing.id", "pass"));
            SinkRecord r = sink("t", 0, 1, "a", map("status", "x"));
            assertThat(smt.apply(r)).isSameAs(r);
            assertThat(smt.missing.sum()).isEqualTo(1);
            assertThat(smt.window().size()).isZero();
        }

        @Test
        void unusableVersionsFail() {
            Deduplicate<SinkRecord> smt = smt(props("strategy", "entity_version", "version.field", "value.version",
                    "missing.id", "pass"));
            assertThatThrownBy(() -> smt.apply(v("a", 1, "yesterday"))).isInstanceOf(DataException.class)
                    .hasMessage("version is a string that is neither an integer nor an ISO-8601 instant");
            assertThatThrownBy(() -> smt.apply(v("a", 2, true))).isInstanceOf(DataException.class)
                    .hasMessage("version must be an integer, a timestamp or a string holding one, not Boolean");
            assertThatThrownBy(() -> smt.apply(v("a", 3, new BigDecimal("1.5")))).isInstanceOf(DataException.class)
                    .hasMessageContaining("decimal with a fraction");
            assertThat(smt.window().size()).isZero();
        }
    }

    // ================================================================ positions

    @Nested
    class Positions {

        @Test
        void rewoundPartitionLosesNothingAndPassesNoDuplicate() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.id"));
            // offsets 0..9 carry e0..e9, offsets 10..14 repeat e0..e4
            List<SinkRecord> batch = new ArrayList<>();
            for (int o = 0; o < 15; o++) {
                batch.add(sink("t", 2, o, null, map("id", "e" + (o % 10))));
            }
            List<Long> firstPass = new ArrayList<>();
            for (SinkRecord r : batch) {
                SinkRecord out = smt.apply(r);
                if (out != null) {
                    firstPass.add(out.kafkaOffset());
                }
            }
            assertThat(firstPass).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            // The consumer rewinds (e.g. the sink's write failed) and everything is delivered again.
            List<Long> secondPass = new ArrayList<>();
            for (int o = 0; o < 15; o++) {
                SinkRecord out = smt.apply(sink("t", 2, o, null, map("id", "e" + (o % 10))));
                if (out != null) {
                    secondPass.add(out.kafkaOffset());
                }
            }
            assertThat(secondPass).isEqualTo(firstPass);
            assertThat(smt.replays.sum()).isEqualTo(10);
            assertThat(smt.duplicates.sum()).isEqualTo(10);
            assertThat(smt.passed.sum()).isEqualTo(10);
        }

        @Test
        void duplicatesAcrossPartitionsAreCaught() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.id", "on.duplicate", "tag"));
            assertThat(smt.apply(sink("t", 0, 5, null, map("id", "e1"))).headers()).isEmpty();
            SinkRecord dup = smt.apply(sink("t", 1, 5, null, map("id", "e1")));
            assertThat(header(dup, "dq.duplicate.of")).isEqualTo("t/0/5");
            SinkRecord dup2 = smt.apply(sink("t", 3, 900, null, map("id", "e1")));
            assertThat(header(dup2, "dq.duplicate.of")).isEqualTo("t/0/5");
        }

        @Test
        void sameOffsetInAnotherPartitionOrTopicIsAnotherPosition() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.id"));
            smt.apply(sink("t", 0, 5, null, map("id", "e1")));
            assertThat(smt.apply(sink("t", 1, 5, null, map("id", "e1")))).isNull();
            assertThat(smt.apply(sink("u", 0, 5, null, map("id", "e1")))).isNull();
            SinkRecord same = sink("t", 0, 5, null, map("id", "e1"));
            assertThat(smt.apply(same)).isSameAs(same);
        }

        @Test
        void sinkPositionIsTheOriginalOne() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.id", "on.duplicate", "tag"));
            SinkRecord first = sink("t", 0, 5, null, map("id", "e1"));
            assertThat(smt.apply(first)).isSameAs(first);
            // Redelivered, then renamed by an earlier SMT (e.g. RegexRouter): still position t/0/5.
            SinkRecord renamed = sink("t", 0, 5, null, map("id", "e1"))
                    .newRecord("t-renamed", 3, null, null, null, map("id", "e1"), TIMESTAMP);
            assertThat(renamed.originalTopic()).isEqualTo("t");
            assertThat(smt.apply(renamed)).isSameAs(renamed);
            SinkRecord movedReplay = moved("x", 9, 99, "t", 0, 5, null, map("id", "e1"));
            assertThat(smt.apply(movedReplay)).isSameAs(movedReplay);
            // Now at t/0/5 but originally from src/0/5: another record, a duplicate, reported by original position.
            SinkRecord impostor = moved("t", 0, 5, "src", 0, 5, null, map("id", "e1"));
            SinkRecord tagged = smt.apply(impostor);
            assertThat(header(tagged, "dq.duplicate")).isEqualTo("true");
            assertThat(header(tagged, "dq.duplicate.of")).isEqualTo("t/0/5");
            // A duplicate that was renamed is reported by its original position too.
            SinkRecord renamedFirst = moved("y", 1, 1, "orig", 4, 44, null, map("id", "e2"));
            smt.apply(renamedFirst);
            SinkRecord dup = smt.apply(sink("t", 0, 6, null, map("id", "e2")));
            assertThat(header(dup, "dq.duplicate.of")).isEqualTo("orig/4/44");
        }

        @Test
        void sourceRecordsSameSourcePositionIsReplay() {
            Deduplicate<SourceRecord> smt = smt(props("id.fields", "value.id"));
            Map<String, ?> partition = Map.of("server", "pg1");
            SourceRecord first = source(partition, Map.of("lsn", 100L), null, map("id", "e1"));
            assertThat(smt.apply(first)).isSameAs(first);
            SourceRecord again = source(partition, Map.of("lsn", 100L), null, map("id", "e1"));
            assertThat(smt.apply(again)).isSameAs(again);
            assertThat(smt.replays.sum()).isEqualTo(1);
            assertThat(smt.apply(source(partition, Map.of("lsn", 101L), null, map("id", "e1")))).isNull();
            assertThat(smt.apply(source(Map.of("server", "pg2"), Map.of("lsn", 100L), null, map("id", "e1"))))
                    .as("same offset in another source partition").isNull();
            assertThat(smt.duplicates.sum()).isEqualTo(2);
        }

        @Test
        void sourceOffsetMapOrderDoesNotMatter() {
            Deduplicate<SourceRecord> smt = smt(props("id.fields", "value.id"));
            Map<String, Object> offset1 = new LinkedHashMap<>();
            offset1.put("lsn", 100L);
            offset1.put("txId", 7L);
            Map<String, Object> offset2 = new LinkedHashMap<>();
            offset2.put("txId", 7L);
            offset2.put("lsn", 100L);
            smt.apply(source(Map.of("server", "pg1"), offset1, null, map("id", "e1")));
            SourceRecord again = source(Map.of("server", "pg1"), offset2, null, map("id", "e1"));
            assertThat(smt.apply(again)).isSameAs(again);
        }

        @Test
        void sourceDuplicateIsTaggedWithSourceFingerprint() {
            Deduplicate<SourceRecord> smt = smt(props("id.fields", "value.id", "on.duplicate", "tag"));
            Map<String, ?> partition = Map.of("server", "pg1");
            Map<String, ?> offset = Map.of("lsn", 100L);
            smt.apply(source(partition, offset, null, map("id", "e1")));
            SourceRecord dup = source(partition, Map.of("lsn", 200L), "k", map("id", "e1"));
            SourceRecord out = smt.apply(dup);
            long fingerprint = new IdEncoder().add(partition).add(offset).hash128()[0];
            assertThat(header(out, "dq.duplicate.of")).isEqualTo(String.format("source:%016x", fingerprint))
                    .matches("source:[0-9a-f]{16}");
            assertThat(header(out, "dq.duplicate.reason")).isEqualTo("duplicate");
            // The tagged copy keeps its own source position and everything else.
            assertThat(out.sourcePartition()).isEqualTo(partition);
            assertThat(out.sourceOffset()).isEqualTo(Map.of("lsn", 200L));
            assertThat(out.key()).isEqualTo("k");
            assertThat(out.value()).isEqualTo(dup.value());
            assertThat(dup.headers()).isEmpty();
        }

        @Test
        void sourceEntityVersions() {
            Deduplicate<SourceRecord> smt = smt(props("strategy", "entity_version", "version.field", "value.v"));
            Map<String, ?> p = Map.of("server", "pg1");
            assertThat(smt.apply(source(p, Map.of("lsn", 1L), "a", map("v", 2L)))).isNotNull();
            assertThat(smt.apply(source(p, Map.of("lsn", 2L), "a", map("v", 1L)))).isNull();
            assertThat(smt.apply(source(p, Map.of("lsn", 1L), "a", map("v", 2L)))).as("redelivery").isNotNull();
        }

        @Test
        void concurrentUseLetsEachIdPassExactlyOnce() throws Exception {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.id", "window.max.entries", "100000"));
            int ids = 2000;
            int threads = 4;
            AtomicInteger passed = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int partition = t;
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < ids; i++) {
                            if (smt.apply(sink("t", partition, i, null, map("id", "e" + i))) != null) {
                                passed.incrementAndGet();
                            }
                        }
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(passed.get()).isEqualTo(ids);
            assertThat(smt.duplicates.sum()).isEqualTo((long) ids * (threads - 1));
            assertThat(smt.window().size()).isEqualTo(ids);
        }
    }

    // ================================================================ tag / drop

    @Nested
    class TagMode {

        @Test
        void dropModeReturnsNull() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.id", "on.duplicate", "drop"));
            smt.apply(sink("t", 0, 1, null, map("id", 1L)));
            assertThat(smt.apply(sink("t", 0, 2, null, map("id", 1L)))).isNull();
        }

        @Test
        void tagsACopyAndLeavesTheIncomingHeadersAlone() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.id", "on.duplicate", "tag"));
            SinkRecord first = sink("t", 0, 1, null, map("id", 1L));
            SinkRecord passed = smt.apply(first);
            assertThat(passed).isSameAs(first);
            assertThat(passed.headers()).isEmpty();

            ConnectHeaders headers = new ConnectHeaders();
            headers.addString("trace", "abc");
            SinkRecord dup = sink("t", 4, 2, null, "k", null, map("id", 1L), headers);
            SinkRecord out = smt.apply(dup);
            assertThat(out).isNotNull().isNotSameAs(dup);
            assertThat(header(out, "dq.duplicate")).isEqualTo("true");
            assertThat(header(out, "dq.duplicate.reason")).isEqualTo("duplicate");
            assertThat(header(out, "dq.duplicate.of")).isEqualTo("t/0/1");
            assertThat(header(out, "trace")).isEqualTo("abc");
            assertThat(out.headers().size()).isEqualTo(4);
            // the incoming record is untouched
            assertThat(dup.headers().size()).isEqualTo(1);
            assertThat(header(dup, "dq.duplicate")).isNull();
            // everything else is carried over
            assertThat(out.topic()).isEqualTo("t");
            assertThat(out.kafkaPartition()).isEqualTo(4);
            assertThat(out.kafkaOffset()).isEqualTo(2);
            assertThat(out.originalTopic()).isEqualTo("t");
            assertThat(out.originalKafkaPartition()).isEqualTo(4);
            assertThat(out.originalKafkaOffset()).isEqualTo(2);
            assertThat(out.key()).isEqualTo("k");
            assertThat(out.value()).isSameAs(dup.value());
            assertThat(out.timestamp()).isEqualTo(TIMESTAMP);
            assertThat(out.timestampType()).isEqualTo(dup.timestampType());
        }

        @Test
        void tagsCarryStructSchemas() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.event_id", "on.duplicate", "tag"));
            smt.apply(sink("t", 0, 1, ID_KEY, new Struct(ID_KEY).put("id", 1L), EVENT, event("e", 1)));
            SinkRecord out = smt.apply(sink("t", 0, 2, ID_KEY, new Struct(ID_KEY).put("id", 1L), EVENT, event("e", 2)));
            assertThat(out.keySchema()).isSameAs(ID_KEY);
            assertThat(out.valueSchema()).isSameAs(EVENT);
            assertThat(((Struct) out.value()).getInt32("n")).isEqualTo(2);
        }

        @Test
        void existingVerdictHeadersAreReplacedNotRepeated() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.id", "on.duplicate", "tag"));
            smt.apply(sink("t", 0, 1, null, map("id", 1L)));
            ConnectHeaders headers = new ConnectHeaders();
            headers.addString("dq.duplicate", "false");
            headers.addString("dq.duplicate.reason", "bogus");
            headers.addString("dq.duplicate.of", "elsewhere/0/0");
            headers.addString("dq.status", "valid");
            SinkRecord dup = sink("t", 0, 2, null, null, null, map("id", 1L), headers);
            SinkRecord out = smt.apply(dup);
            assertThat(headerCount(out, "dq.duplicate")).isEqualTo(1);
            assertThat(headerCount(out, "dq.duplicate.reason")).isEqualTo(1);
            assertThat(headerCount(out, "dq.duplicate.of")).isEqualTo(1);
            assertThat(header(out, "dq.duplicate")).isEqualTo("true");
            assertThat(header(out, "dq.duplicate.of")).isEqualTo("t/0/1");
            assertThat(header(out, "dq.status")).isEqualTo("valid");
            assertThat(header(dup, "dq.duplicate")).isEqualTo("false");
            assertThat(dup.headers().size()).isEqualTo(4);
        }

        @Test
        void customHeaderPrefix() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.id", "on.duplicate", "tag",
                    "headers.prefix", "x-"));
            smt.apply(sink("t", 0, 1, null, map("id", 1L)));
            SinkRecord out = smt.apply(sink("t", 0, 2, null, map("id", 1L)));
            assertThat(header(out, "x-duplicate")).isEqualTo("true");
            assertThat(header(out, "x-duplicate.reason")).isEqualTo("duplicate");
            assertThat(header(out, "x-duplicate.of")).isEqualTo("t/0/1");
            assertThat(header(out, "dq.duplicate")).isNull();
        }

        @Test
        void replaysPassUntaggedInTagMode() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.id", "on.duplicate", "TAG"));
            smt.apply(sink("t", 0, 1, null, map("id", 1L)));
            SinkRecord replay = sink("t", 0, 1, null, map("id", 1L));
            assertThat(smt.apply(replay)).isSameAs(replay);
            assertThat(replay.headers()).isEmpty();
        }
    }

    // ================================================================ missing ids, tombstones

    @Nested
    class MissingIdsAndTombstones {

        @Test
        void missingIdFailsNamingTheField() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.event_id"));
            assertThatThrownBy(() -> smt.apply(sink("t", 0, 1, null, map("other", 1L))))
                    .isInstanceOf(DataException.class)
                    .hasMessage("Record has no value for id field value.event_id (topic t, strategy event_id)");
        }

        @Test
        void nullIdFailsNamingTheField() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.event_id"));
            assertThatThrownBy(() -> smt.apply(sink("t", 0, 1, null, null, EVENT, event(null, 1))))
                    .isInstanceOf(DataException.class)
                    .hasMessage("Record has no value for id field value.event_id (topic t, strategy event_id)");
        }

        @Test
        void missingPartOfCompositeIdIsNamed() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.a,value.b,header.h"));
            assertThatThrownBy(() -> smt.apply(sink("orders", 0, 1, null, map("a", 1L))))
                    .isInstanceOf(DataException.class)
                    .hasMessage("Record has no value for id field value.b (topic orders, strategy event_id)");
            assertThatThrownBy(() -> smt.apply(sink("orders", 0, 1, null, map("a", 1L, "b", 2L))))
                    .isInstanceOf(DataException.class)
                    .hasMessage("Record has no value for id field header.h (topic orders, strategy event_id)");
        }

        @Test
        void missingKeyIsNamed() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "key.id"));
            assertThatThrownBy(() -> smt.apply(sink("t", 0, 1, null, map("id", 1L))))
                    .isInstanceOf(DataException.class)
                    .hasMessage("Record has no value for id field key.id (topic t, strategy event_id)");
        }

        @Test
        void missingIdPassesAndIsCountedWhenAsked() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.event_id", "missing.id", "pass"));
            SinkRecord r = sink("t", 0, 1, null, map("other", 1L));
            assertThat(smt.apply(r)).isSameAs(r);
            SinkRecord r2 = sink("t", 0, 2, null, map("other", 1L));
            assertThat(smt.apply(r2)).isSameAs(r2);
            assertThat(smt.missing.sum()).isEqualTo(2);
            assertThat(smt.total.sum()).isEqualTo(2);
            assertThat(smt.passed.sum()).isZero();
            assertThat(smt.window().size()).isZero();
        }

        @ParameterizedTest
        @ValueSource(strings = {"event_id", "debezium", "entity_version"})
        void tombstonesPassUntouched(String strategy) {
            Deduplicate<SinkRecord> smt = smt(props("strategy", strategy, "id.fields", "value.id",
                    "version.field", "value.version", "on.duplicate", "tag"));
            ConnectHeaders headers = new ConnectHeaders();
            headers.addString("h", "1");
            SinkRecord tombstone = sink("t", 0, 1, ROW_KEY, rowKey(1), ENVELOPE, null, headers);
            assertThat(smt.apply(tombstone)).isSameAs(tombstone);
            SinkRecord again = sink("t", 0, 2, ROW_KEY, rowKey(1), ENVELOPE, null, headers);
            assertThat(smt.apply(again)).isSameAs(again);
            SinkRecord noKey = sink("t", 0, 3, null, null);
            assertThat(smt.apply(noKey)).isSameAs(noKey);
            assertThat(tombstone.headers().size()).isEqualTo(1);
            assertThat(smt.skipped.sum()).isEqualTo(3);
            assertThat(smt.missing.sum()).isZero();
            assertThat(smt.window().size()).isZero();
        }
    }

    // ================================================================ the tombstone behind a delete

    /**
     * Debezium writes a tombstone right behind each delete (same key, same partition). Order 1 created, deleted and
     * created again; a rewind re-emits the delete, its tombstone and the new create. The copy of the delete and of
     * the create are dropped; the copy of the tombstone must go with the delete, or an upsert sink deletes the row
     * created again, and its copy — the only other record that could restore it — was dropped.
     */
    @Nested
    class TombstoneBehindADelete {

        private static final String TOPIC = "shop.public.orders";

        private SinkRecord at(int partition, long offset, Struct change) {
            int id = change.getStruct("after") != null ? change.getStruct("after").getInt32("id")
                    : change.getStruct("before").getInt32("id");
            return sink(TOPIC, partition, offset, ROW_KEY, rowKey(id), ENVELOPE, change);
        }

        private SinkRecord tombstone(int partition, long offset, int id) {
            return sink(TOPIC, partition, offset, ROW_KEY, rowKey(id), ENVELOPE, null);
        }

        /** The history of order 1 at offsets 0–3, re-emitted by a rewind at 4–7; what passes of the copies. */
        private List<Long> rewound(Deduplicate<SinkRecord> smt) {
            List<SinkRecord> history = List.of(at(0, 0, change("orders", 100L, null, "c", 1)),
                    at(0, 1, change("orders", 200L, null, "d", 1)), tombstone(0, 2, 1),
                    at(0, 3, change("orders", 300L, null, "c", 1)));
            for (SinkRecord r : history) {
                assertThat(smt.apply(r)).as("first time, offset %d", r.kafkaOffset()).isSameAs(r);
            }
            List<Long> passed = new ArrayList<>();
            for (SinkRecord r : history) {
                SinkRecord copy = r.value() == null ? tombstone(0, r.kafkaOffset() + 4, 1)
                        : at(0, r.kafkaOffset() + 4, (Struct) r.value());
                if (smt.apply(copy) != null) {
                    passed.add(copy.kafkaOffset());
                }
            }
            return passed;
        }

        @Test
        void debeziumDropsTheReEmittedTombstoneWithItsDelete() {
            Deduplicate<SinkRecord> smt = smt(props("strategy", "debezium"));
            assertThat(rewound(smt)).as("copies passed").isEmpty();
            assertThat(smt.staleTombstones.sum()).isEqualTo(1);
            assertThat(smt.skipped.sum()).as("the first tombstone").isEqualTo(1);
            assertThat(smt.duplicates.sum()).as("the tombstone is not a change event").isEqualTo(3);
        }

        @Test
        void entityVersionDropsTheTombstoneOfAStaleDelete() {
            Deduplicate<SinkRecord> smt = smt(props("strategy", "entity_version", "entity.fields", "key",
                    "version.field", "value.source.lsn"));
            assertThat(rewound(smt)).as("copies passed").isEmpty();
            assertThat(smt.staleTombstones.sum()).isEqualTo(1);
            assertThat(smt.stale.sum()).isEqualTo(3);
        }

        @Test
        void withoutItTheRowCreatedAgainWouldBeDeleted() {
            // The same history through a plain upsert table: key → row, a tombstone deletes.
            Deduplicate<SinkRecord> smt = smt(props("strategy", "debezium"));
            Map<Object, Object> table = new LinkedHashMap<>();
            List<SinkRecord> history = List.of(at(0, 0, change("orders", 100L, null, "c", 1)),
                    at(0, 1, change("orders", 200L, null, "d", 1)), tombstone(0, 2, 1),
                    at(0, 3, change("orders", 300L, null, "c", 1)), at(0, 4, change("orders", 200L, null, "d", 1)),
                    tombstone(0, 5, 1), at(0, 6, change("orders", 300L, null, "c", 1)));
            for (SinkRecord r : history) {
                SinkRecord out = smt.apply(r);
                if (out != null && out.value() == null) {
                    table.remove(out.key());
                } else if (out != null && !"d".equals(((Struct) out.value()).getString("op"))) {
                    table.put(out.key(), ((Struct) out.value()).getStruct("source").getInt64("lsn"));
                }
            }
            assertThat(table).containsExactly(Map.entry(rowKey(1), 300L));
        }

        @Test
        void taggedWithTheDeletesVerdict() {
            Deduplicate<SinkRecord> smt = smt(props("strategy", "debezium", "on.duplicate", "tag"));
            smt.apply(at(0, 1, change("orders", 200L, null, "d", 1)));
            smt.apply(tombstone(0, 2, 1));
            smt.apply(at(0, 5, change("orders", 200L, null, "d", 1)));
            SinkRecord copy = tombstone(0, 6, 1);
            SinkRecord out = smt.apply(copy);
            assertThat(out).isNotNull().isNotSameAs(copy);
            assertThat(out.value()).isNull();
            assertThat(header(out, "dq.duplicate")).isEqualTo("true");
            assertThat(header(out, "dq.duplicate.reason")).isEqualTo("duplicate");
            assertThat(header(out, "dq.duplicate.of")).as("the delete's first position").isEqualTo(TOPIC + "/0/1");
            assertThat(copy.headers()).isEmpty();
        }

        @Test
        void onlyTheRecordRightBehindItInItsPartitionWithItsKey() {
            Deduplicate<SinkRecord> smt = smt(props("strategy", "debezium"));
            smt.apply(at(0, 1, change("orders", 200L, null, "d", 1)));
            smt.apply(at(0, 2, change("orders", 210L, null, "d", 2)));
            smt.apply(tombstone(0, 3, 1));
            smt.apply(tombstone(0, 4, 2));
            // Copies: another record between the delete and the tombstone; a tombstone of another key.
            assertThat(smt.apply(at(0, 11, change("orders", 200L, null, "d", 1)))).isNull();
            assertThat(smt.apply(at(0, 12, change("orders", 400L, null, "c", 3)))).isNotNull();
            assertThat(smt.apply(tombstone(0, 13, 1))).as("not right behind the delete").isNotNull();
            assertThat(smt.apply(at(0, 14, change("orders", 210L, null, "d", 2)))).isNull();
            assertThat(smt.apply(tombstone(0, 15, 1))).as("another key").isNotNull();
            assertThat(smt.apply(tombstone(0, 16, 2))).as("its delete is no longer the last record").isNotNull();
            assertThat(smt.staleTombstones.sum()).isZero();
        }

        @Test
        void notBehindAnUpdateNorADeleteThatPassed() {
            Deduplicate<SinkRecord> smt = smt(props("strategy", "debezium"));
            smt.apply(at(0, 1, change("orders", 200L, null, "u", 1)));
            assertThat(smt.apply(at(0, 2, change("orders", 200L, null, "u", 1)))).as("a duplicate update").isNull();
            assertThat(smt.apply(tombstone(0, 3, 1))).as("behind an update").isNotNull();
            SinkRecord delete = at(0, 4, change("orders", 300L, null, "d", 1));
            assertThat(smt.apply(delete)).isSameAs(delete);
            assertThat(smt.apply(tombstone(0, 5, 1))).as("behind a delete that passed").isNotNull();
            assertThat(smt.apply(delete)).as("the delete redelivered").isSameAs(delete);
            assertThat(smt.apply(tombstone(0, 5, 1))).as("its tombstone redelivered").isNotNull();
            assertThat(smt.staleTombstones.sum()).isZero();
        }

        @Test
        void partitionsAreReadApart() {
            Deduplicate<SinkRecord> smt = smt(props("strategy", "debezium"));
            smt.apply(at(0, 1, change("orders", 200L, null, "d", 1)));
            smt.apply(at(1, 1, change("orders", 210L, null, "d", 2)));
            assertThat(smt.apply(at(0, 9, change("orders", 200L, null, "d", 1)))).isNull();
            assertThat(smt.apply(at(1, 9, change("orders", 210L, null, "d", 2)))).isNull();
            assertThat(smt.apply(at(1, 10, change("orders", 500L, null, "c", 7)))).isNotNull();
            assertThat(smt.apply(tombstone(0, 10, 1))).as("partition 0: right behind its delete").isNull();
            assertThat(smt.apply(tombstone(1, 11, 2))).as("partition 1: a create came between").isNotNull();
        }

        @Test
        void schemalessEnvelopes() {
            Deduplicate<SinkRecord> smt = smt(props("strategy", "debezium"));
            smt.apply(dbzMap(1, changeMap("orders", 200L, null, "d", 1, 1)));
            assertThat(smt.apply(dbzMap(5, changeMap("orders", 200L, null, "d", 1, 2)))).isNull();
            assertThat(smt.apply(sink(TOPIC, 0, 6, map("id", 1L), null))).isNull();
            assertThat(smt.staleTombstones.sum()).isEqualTo(1);
        }

        @Test
        void sourceRecordsByTheirTopic() {
            Deduplicate<SourceRecord> smt = smt(props("strategy", "debezium"));
            Map<String, Object> delete = changeMap("orders", 200L, null, "d", 1, 1);
            Map<String, Object> key = map("id", 1L);
            smt.apply(source(Map.of("server", "shop"), Map.of("lsn", 200L), key, delete));
            assertThat(smt.apply(source(Map.of("server", "shop"), Map.of("lsn", 201L), key, delete))).isNull();
            assertThat(smt.apply(source(Map.of("server", "shop"), Map.of("lsn", 201L), key, null))).isNull();
            assertThat(smt.staleTombstones.sum()).isEqualTo(1);
        }
    }

    // ================================================================ window bounds through the SMT

    @Nested
    class WindowBounds {

        @Test
        void evictionBySize() {
            Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.id", "window.max.entries", "2"));
            smt.apply(sink("t", 0, 1, null, map("id", "a")));
            smt.apply(sink("t", 0, 2, null, map("id", "b")));
            smt.apply(sink("t", 0, 3, null, map("id", "c"))); // a is forgotten
            assertThat(smt.window().size()).isEqualTo(2);
            assertThat(smt.window().evictions()).isEqualTo(1);
            assertThat(smt.apply(sink("t", 0, 4, null, map("id", "c")))).as("c is remembered").isNull();
            assertThat(smt.apply(sink("t", 0, 5, null, map("id", "a")))).as("a was evicted").isNotNull();
            assertThat(smt.apply(sink("t", 0, 6, null, map("id", "b")))).as("b was evicted by a").isNotNull();
            assertThat(smt.window().evictions()).isEqualTo(3);
        }

        @Test
        void evictionByTtl() {
            Fixtures.ManualTime time = new Fixtures.ManualTime(1_000_000);
            Deduplicate<SinkRecord> smt = smt(time, props("id.fields", "value.id", "window.ttl.ms", "1000"));
            smt.apply(sink("t", 0, 1, null, map("id", "a")));
            time.advance(999);
            assertThat(smt.apply(sink("t", 0, 2, null, map("id", "a")))).isNull();
            time.advance(1);
            assertThat(smt.apply(sink("t", 0, 3, null, map("id", "a")))).as("forgotten after its TTL").isNotNull();
            assertThat(smt.window().evictions()).isEqualTo(1);
            assertThat(smt.apply(sink("t", 0, 4, null, map("id", "a")))).isNull();
        }

        @Test
        void entityVersionTtlCountsFromTheNewestVersion() {
            Fixtures.ManualTime time = new Fixtures.ManualTime(0);
            Deduplicate<SinkRecord> smt = smt(time, props("strategy", "entity_version", "version.field",
                    "value.version", "window.ttl.ms", "100"));
            smt.apply(sink("t", 0, 1, "a", map("version", 1L)));
            time.set(60);
            smt.apply(sink("t", 0, 2, "a", map("version", 2L)));
            time.set(150);
            assertThat(smt.apply(sink("t", 0, 3, "a", map("version", 1L)))).isNull();
            time.set(160);
            assertThat(smt.apply(sink("t", 0, 4, "a", map("version", 1L)))).as("forgotten 100 ms after v2")
                    .isNotNull();
        }
    }

    // ================================================================ metrics

    @Nested
    class MetricsTests {

        private void scenario(Deduplicate<SinkRecord> smt) {
            smt.apply(sink("t", 0, 1, null, map("id", "a"))); // new
            smt.apply(sink("t", 0, 2, null, map("id", "b"))); // new
            smt.apply(sink("t", 0, 3, null, map("id", "c"))); // new, evicts a
            smt.apply(sink("t", 0, 4, null, map("id", "b"))); // duplicate
            smt.apply(sink("t", 0, 2, null, map("id", "b"))); // replay
            smt.apply(sink("t", 0, 5, null, map("other", "x"))); // missing id, passed
            smt.apply(sink("t", 0, 6, null, null)); // tombstone
        }

        private void assertScenario(Metrics registry) {
            assertThat(metric(registry, "records-total")).isEqualTo(7.0);
            assertThat(metric(registry, "records-passed")).isEqualTo(3.0);
            assertThat(metric(registry, "duplicates-total")).isEqualTo(1.0);
            assertThat(metric(registry, "stale-total")).isEqualTo(0.0);
            assertThat(metric(registry, "replays-total")).isEqualTo(1.0);
            assertThat(metric(registry, "missing-id-total")).isEqualTo(1.0);
            assertThat(metric(registry, "records-skipped")).isEqualTo(1.0);
            assertThat(metric(registry, "stale-tombstones-total")).isEqualTo(0.0);
            assertThat(metric(registry, "window-entries")).isEqualTo(2.0);
            assertThat(metric(registry, "window-evictions-total")).isEqualTo(1.0);
        }

        private Map<String, String> config() {
            return props("id.fields", "value.id", "missing.id", "pass", "window.max.entries", "2");
        }

        @Test
        void publishedThroughPluginMetricsAfterConfigure() {
            try (Metrics registry = new Metrics()) {
                Deduplicate<SinkRecord> smt = smt(config());
                smt.withPluginMetrics(new PluginMetricsImpl(registry,
                        new LinkedHashMap<>(Map.of("connector", "c", "task", "0"))));
                scenario(smt);
                assertScenario(registry);
                assertThat(registry.metrics().keySet()).filteredOn(n -> n.name().equals("records-total"))
                        .singleElement().satisfies(n -> assertThat(n.tags()).containsEntry("connector", "c")
                                .containsEntry("task", "0"));
            }
        }

        @Test
        void publishedThroughPluginMetricsRegisteredBeforeConfigure() {
            try (Metrics registry = new Metrics()) {
                Deduplicate<SinkRecord> smt = new Deduplicate<>();
                smt.withPluginMetrics(new PluginMetricsImpl(registry, new LinkedHashMap<>()));
                smt.configure(config());
                scenario(smt);
                assertScenario(registry);
            }
        }

        @Test
        void staleCounted() {
            try (Metrics registry = new Metrics()) {
                Deduplicate<SinkRecord> smt = smt(props("strategy", "entity_version", "version.field",
                        "value.version"));
                smt.withPluginMetrics(new PluginMetricsImpl(registry, new LinkedHashMap<>()));
                smt.apply(sink("t", 0, 1, "a", map("version", 2L)));
                smt.apply(sink("t", 0, 2, "a", map("version", 1L)));
                smt.apply(sink("t", 0, 3, "a", map("version", 2L)));
                smt.apply(sink("t", 0, 4, "a", map("version", 3L)));
                assertThat(metric(registry, "stale-total")).isEqualTo(2.0);
                assertThat(metric(registry, "records-passed")).isEqualTo(2.0);
                assertThat(metric(registry, "duplicates-total")).isEqualTo(0.0);
                assertThat(metric(registry, "window-entries")).isEqualTo(1.0);
                assertThat(metric(registry, "records-total")).isEqualTo(4.0);
            }
        }
    }

    // ================================================================ plugin surface

    @Test
    void versionIsTheProjectVersion() {
        String version = new Deduplicate<SinkRecord>().version();
        assertThat(version).isEqualTo(TruthlineVersion.get()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void configIsTheConfigDef() {
        Deduplicate<SinkRecord> smt = new Deduplicate<>();
        assertThat(smt.config()).isSameAs(Deduplicate.CONFIG_DEF);
        assertThat(smt.config().names()).contains("strategy", "id.fields", "entity.fields", "version.field",
                "window.max.entries", "window.ttl.ms", "on.duplicate", "missing.id", "headers.prefix");
    }

    @Test
    void closeForgetsTheWindowAndIsSafeBeforeConfigure() {
        new Deduplicate<SinkRecord>().close();
        Deduplicate<SinkRecord> smt = smt(props("id.fields", "value.id"));
        smt.apply(sink("t", 0, 1, null, map("id", "a")));
        smt.close();
        assertThat(smt.window().size()).isZero();
    }

    @Test
    void listedForServiceLoading() throws Exception {
        List<String> lines;
        try (InputStream in = Deduplicate.class.getResourceAsStream(
                "/META-INF/services/org.apache.kafka.connect.transforms.Transformation")) {
            assertThat(in).isNotNull();
            lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
        }
        assertThat(lines).contains(Deduplicate.class.getName());
        assertThat(Collections.frequency(lines, Deduplicate.class.getName())).isEqualTo(1);
    }
}
