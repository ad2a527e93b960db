package dev.truthline.connect.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The identity of a change for every stock Debezium source. The events are shaped as Debezium's
 * documentation shows them (debezium/debezium, commit aad5519902997a3627fe296f77ea6d3452e9acce,
 * {@code documentation/modules/ROOT/...}); each fixture names the example it copies. Each is checked
 * as a schemaless map and, converted field by field, as a Struct, through both the per-call and the
 * per-schema-cached paths, which must agree.
 */
class ChangeIdentityTest {

    // ---------------------------------------------------------------- fixtures from the documentation

    /**
     * MySQL create event, {@code partials/modules/all-connectors/shared-mariadb-mysql.adoc} (the
     * "payload" of the create example): {@code source.file}, {@code pos}, {@code row}, {@code gtid}
     * ("Binary log name where the event was recorded", "Binary log position", "Row within the event").
     * The same partial documents the MariaDB connector ({@code connector} is {@code {context}}).
     */
    static Map<String, Object> mysqlCreate(String connector) {
        Map<String, Object> source = map("version", "3.6.1.Final", "connector", connector, "name",
                connector + "-server-1", "ts_ms", 0L, "ts_us", 0L, "ts_ns", 0L, "snapshot", false, "db", "inventory",
                "table", "customers", "server_id", 0L, "gtid", null, "file", connector + "-bin.000003", "pos", 154L,
                "row", 0, "thread", 7L, "query",
                "INSERT INTO customers (first_name, last_name, email) VALUES ('Anne', 'Kretchmar', 'annek@noanswer.org')");
        return envelope("c", 1465491411815L, null, map("id", 1004, "first_name", "Anne", "last_name", "Kretchmar",
                "email", "annek@noanswer.org"), source);
    }

    /**
     * SQL Server update event, {@code pages/connectors/sqlserver.adoc} (the update example):
     * {@code change_lsn} "00000027:00000ac0:0002", {@code commit_lsn} "00000027:00000ac0:0007",
     * {@code event_serial_no} 2 (int64 in the documented Source schema; the page's JSON shows it quoted).
     * "The event_serial_no field differentiates events that have the same commit and change LSN."
     */
    static Map<String, Object> sqlServerUpdate() {
        Map<String, Object> source = map("version", "3.6.1.Final", "connector", "sqlserver", "name", "server1",
                "ts_ms", 1559729995937L, "ts_us", 1559729995937000L, "ts_ns", 1559729995937000000L, "snapshot", false,
                "db", "testDB", "schema", "dbo", "table", "customers", "change_lsn", "00000027:00000ac0:0002",
                "commit_lsn", "00000027:00000ac0:0007", "event_serial_no", 2L);
        return envelope("u", 1559729998706L,
                map("id", 1005, "first_name", "john", "last_name", "doe", "email", "john.doe@example.org"),
                map("id", 1005, "first_name", "john", "last_name", "doe", "email", "noreply@example.org"), source);
    }

    /**
     * Oracle change event source block, {@code pages/connectors/oracle.adoc} (the truncate example,
     * which shows the complete LogMiner source block): {@code scn} "13234397", {@code commit_scn}
     * "13271102", {@code rs_id} "001234.00012345.0124", {@code ssn} 1, {@code redo_thread} 1, {@code txId}
     * "02000a0037030000". {@code txSeq} is in {@code OracleSourceInfoStructMaker} (optional int64).
     * Shown here on an insert of the create example's row.
     */
    static Map<String, Object> oracleCreate() {
        Map<String, Object> source = map("version", "3.6.1.Final", "connector", "oracle", "name", "oracle_server",
                "ts_ms", 1638974535000L, "ts_us", 1638974535000000L, "ts_ns", 1638974535000000000L, "snapshot", "false",
                "db", "ORCLPDB1", "sequence", null, "schema", "DEBEZIUM", "table", "TEST_TABLE", "txId",
                "02000a0037030000", "scn", "13234397", "commit_scn", "13271102", "lcr_position", null, "rs_id",
                "001234.00012345.0124", "ssn", 1L, "redo_thread", 1, "user_name", "user", "commit_ts_ms",
                1638974538971L, "start_scn", "13234396", "start_ts_ms", 1638974527000L);
        return envelope("c", 1638974558961L, null,
                map("ID", 1004, "FIRST_NAME", "Anne", "LAST_NAME", "Kretchmar", "EMAIL", "annek@noanswer.org"), source);
    }

    /**
     * MongoDB update event in a transaction, {@code pages/connectors/mongodb.adoc} (the update
     * example, change streams): {@code ord} 1, {@code lsid}, {@code txnNumber} 1, and the envelope's
     * {@code updateDescription}. {@code ts_ms} is the change's wall time or cluster time (MongoDB's
     * {@code SourceInfo.timestamp()}), {@code ord} the cluster time's increment.
     */
    static Map<String, Object> mongoUpdate() {
        Map<String, Object> source = map("version", "3.6.1.Final", "connector", "mongodb", "name", "fulfillment",
                "ts_ms", 1558965508000L, "ts_us", 1558965508000000L, "ts_ns", 1558965508000000000L, "snapshot", false,
                "db", "inventory", "rs", "rs0", "collection", "customers", "ord", 1, "h", null, "tord", null,
                "stxnid", null, "lsid", "{\"id\": {\"$binary\": \"FA7YEzXgQXSX9OxmzllH2w==\",\"$type\": \"04\"},"
                        + "\"uid\": {\"$binary\": \"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\",\"$type\": \"00\"}}",
                "txnNumber", 1L);
        Map<String, Object> event = envelope("u", 1465491461815L, null, null, source);
        event.put("updateDescription", map("removedFields", null, "updatedFields", "{\"first_name\": \"Anne Marie\"}",
                "truncatedArrays", null));
        return event;
    }

    /**
     * PostgreSQL, as the reference pipeline emits it ({@code pages/connectors/postgresql.adoc}:
     * {@code sequence} "[\"24023119\",\"24023128\"]", {@code lsn} 24023128).
     */
    static Map<String, Object> postgresCreate() {
        Map<String, Object> source = map("version", "3.6.1.Final", "connector", "postgresql", "name",
                "PostgreSQL_server", "ts_ms", 1559033904863L, "snapshot", false, "db", "postgres", "sequence",
                "[\"24023119\",\"24023128\"]", "schema", "public", "table", "customers", "txId", 555L, "lsn",
                24023128L, "xmin", null);
        return envelope("c", 1559033904863L, null, map("id", 1, "first_name", "Anne"), source);
    }

    static final Map<String, Object> KEY = map("id", 1004);

    // ---------------------------------------------------------------- per connector

    @Nested
    class MySqlFamily {

        @Test
        void mysqlAndMariaDbAreIdentifiedByBinlogPosition() {
            for (String connector : new String[] {"mysql", "mariadb"}) {
                Map<String, Object> event = mysqlCreate(connector);
                assertIdentified(KEY, event);
                assertSameChange(KEY, event, reEmitted(event));
                assertDifferentChange(KEY, event, withSource(event, "row", 1));
                assertDifferentChange(KEY, event, withSource(event, "pos", 355L));
                assertDifferentChange(KEY, event, withSource(event, "file", connector + "-bin.000004"));
                assertDifferentChange(KEY, event, withSource(event, "gtid", "3e11fa47-71ca-11e1-9e33-c80aa9429562:23"));
            }
        }

        @Test
        void statementsOfOneTransactionShareThePositionAndDifferInTheirImages() {
            // As MariaDB 11.4 and Debezium 3.5 emit them (MariaDbDeduplicateIT): three UPDATEs of row 1004 in one
            // transaction are three rows events with one file, pos (the transaction's start), row 0 and gtid.
            Map<String, Object> paid = withImages(mysqlCreate("mariadb"), "u", "new", "paid");
            Map<String, Object> back = withImages(mysqlCreate("mariadb"), "u", "paid", "new");
            assertIdentified(KEY, paid);
            assertDifferentChange(KEY, paid, back);
            assertSameChange(KEY, paid, reEmitted(paid));
            // The third UPDATE repeats the first's images: without transaction metadata nothing tells them apart.
            assertSameChange(KEY, paid, withImages(mysqlCreate("mariadb"), "u", "new", "paid"));
        }

        @Test
        void theTransactionBlockNumbersTheEventsOfOneTransaction() {
            // provide.transaction.metadata=true: the envelope's transaction block (id, total_order,
            // data_collection_order), as the connector documentation's "Transaction metadata" section shows it.
            Map<String, Object> first = withTransaction(withImages(mysqlCreate("mariadb"), "u", "new", "paid"), 1);
            Map<String, Object> third = withTransaction(withImages(mysqlCreate("mariadb"), "u", "new", "paid"), 3);
            assertIdentified(KEY, first);
            assertDifferentChange(KEY, first, third);
            assertSameChange(KEY, third, reEmitted(third));
        }

        @Test
        void aChangeWithoutTheTransactionBlockIsToldOnceAndWithoutValues() {
            java.util.List<String> told = new java.util.ArrayList<>();
            ChangeIdentity identity = new ChangeIdentity(told::add);
            Map<String, Object> withBlock = withTransaction(withImages(mysqlCreate("mariadb"), "u", "new", "paid"), 1);
            assertThat(identity.append(new IdEncoder(), toStruct(KEY), toStruct(withBlock))).isNull();
            assertThat(told).as("a change with its transaction block").isEmpty();
            Map<String, Object> bare = withImages(mysqlCreate("mysql"), "u", "new", "paid");
            for (int i = 0; i < 3; i++) {
                assertThat(identity.append(new IdEncoder(), toStruct(KEY), toStruct(bare))).isNull();
            }
            assertThat(told).hasSize(1);
            assertThat(told.get(0)).contains("provide.transaction.metadata=true").doesNotContain("paid");
            assertThat(new ChangeIdentity(told::add).append(new IdEncoder(), toStruct(KEY), toStruct(postgresCreate())))
                    .isNull();
            assertThat(told).as("PostgreSQL has no transaction block in its identity").hasSize(1);
        }

        @Test
        void requiresFileAndPos() {
            assertMissing(KEY, withoutSource(mysqlCreate("mysql"), "pos"), "value.source.pos");
            assertMissing(KEY, withoutSource(mysqlCreate("mariadb"), "file"), "value.source.file");
            assertMissing(KEY, withoutSource(mysqlCreate("mysql"), "table"), "value.source.table");
        }
    }

    @Nested
    class SqlServer {

        @Test
        void identifiedByCommitLsnChangeLsnAndEventSerialNo() {
            Map<String, Object> event = sqlServerUpdate();
            assertIdentified(KEY, event);
            assertSameChange(KEY, event, reEmitted(event));
            // The delete and insert of a primary-key update share both LSNs; event_serial_no tells them apart.
            assertDifferentChange(KEY, event, withSource(event, "event_serial_no", 1L));
            assertDifferentChange(KEY, event, withSource(event, "change_lsn", "00000027:00000ac0:0003"));
            assertDifferentChange(KEY, event, withSource(event, "commit_lsn", "00000027:00000ac0:0008"));
        }

        @Test
        void snapshotEventsHaveNoChangeLsnAndAreStillIdentified() {
            // The snapshot read example of sqlserver.adoc: change_lsn and event_serial_no are null.
            Map<String, Object> read = withSource(withSource(sqlServerUpdate(), "change_lsn", null), "event_serial_no",
                    null);
            assertIdentified(KEY, read);
            assertDifferentChange(KEY, read, map("id", 1006), read);
        }

        @Test
        void requiresCommitLsn() {
            assertMissing(KEY, withoutSource(sqlServerUpdate(), "commit_lsn"), "value.source.commit_lsn");
        }
    }

    @Nested
    class Oracle {

        @Test
        void identifiedByScnAndRedoRecord() {
            Map<String, Object> event = oracleCreate();
            assertIdentified(KEY, event);
            assertSameChange(KEY, event, reEmitted(event));
            assertDifferentChange(KEY, event, withSource(event, "ssn", 2L));
            assertDifferentChange(KEY, event, withSource(event, "rs_id", "001234.00012346.0010"));
            assertDifferentChange(KEY, event, withSource(event, "scn", "13234398"));
            assertDifferentChange(KEY, event, withSource(event, "commit_scn", "13271103"));
            assertDifferentChange(KEY, event, withSource(event, "txSeq", 2L));
        }

        @Test
        void withoutConnectorFieldTheSourceFieldsPlaceIt() {
            // oracle.adoc's create example omits "connector" from its source block.
            Map<String, Object> event = oracleCreate();
            assertThat(ChangeIdentity.of(KEY, withoutSource(event, "connector"))).isEqualTo(ChangeIdentity.of(KEY, event));
        }

        @Test
        void requiresScn() {
            assertMissing(KEY, withoutSource(oracleCreate(), "scn"), "value.source.scn");
        }
    }

    @Nested
    class MongoDb {

        @Test
        void identifiedByClusterTimeAndOrderAndTransaction() {
            Map<String, Object> event = mongoUpdate();
            Map<String, Object> key = map("id", "1004");
            assertIdentified(key, event);
            assertSameChange(key, event, reEmitted(event));
            assertDifferentChange(key, event, withSource(event, "ord", 2));
            assertDifferentChange(key, event, withSource(event, "ts_ms", 1558965509000L));
            assertDifferentChange(key, event, withSource(event, "txnNumber", 2L));
            // Two updates of one document in one transaction share ts_ms and ord; what they changed differs.
            Map<String, Object> second = copy(event);
            second.put("updateDescription", map("removedFields", null, "updatedFields",
                    "{\"last_name\": \"Kretchmar-Smith\"}", "truncatedArrays", null));
            assertDifferentChange(key, event, second);
        }

        @Test
        void requiresOrdAndCollection() {
            Map<String, Object> key = map("id", "1004");
            assertMissing(key, withoutSource(mongoUpdate(), "ord"), "value.source.ord");
            assertMissing(key, withoutSource(mongoUpdate(), "collection"), "value.source.collection");
        }
    }

    @Nested
    class PostgreSql {

        @Test
        void identifiedBySequenceElseLsn() {
            Map<String, Object> event = postgresCreate();
            assertIdentified(KEY, event);
            assertSameChange(KEY, event, reEmitted(event));
            assertDifferentChange(KEY, event, withSource(event, "sequence", "[\"24023119\",\"24023200\"]"));
            // With a sequence, the LSN is not part of the identity; without one, it is.
            assertSameChange(KEY, event, withSource(event, "lsn", 1L));
            Map<String, Object> noSequence = withSource(event, "sequence", null);
            assertIdentified(KEY, noSequence);
            assertDifferentChange(KEY, noSequence, withSource(noSequence, "lsn", 24023129L));
            assertMissing(KEY, withSource(noSequence, "lsn", null), "value.source.lsn");
        }

        @Test
        void withoutConnectorFieldItIsPostgreSql() {
            Map<String, Object> event = postgresCreate();
            assertThat(ChangeIdentity.of(KEY, withoutSource(event, "connector"))).isEqualTo(ChangeIdentity.of(KEY, event));
        }
    }

    @Nested
    class Shapes {

        @Test
        void differentConnectorsNeverShareAnIdentity() {
            assertThat(ChangeIdentity.of(KEY, mysqlCreate("mysql"))).isNotEqualTo(ChangeIdentity.of(KEY, oracleCreate()));
        }

        @Test
        void anUnknownConnectorIsMissingAnIdentity() {
            assertMissing(KEY, withSource(mysqlCreate("mysql"), "connector", "spanner"), "value.source.connector");
        }

        @Test
        void notAnEnvelopeLacksItsTable() {
            assertMissing(KEY, map("id", 1), "value.source.table");
            assertThat(ChangeIdentity.of(KEY, "text")).isNull();
        }

        @Test
        void aMissingOpIsNamed() {
            Map<String, Object> event = mysqlCreate("mysql");
            event.remove("op");
            assertMissing(KEY, event, "value.op");
        }

        @Test
        void oneInstanceFollowsTheSchemaOfEachRecord() {
            ChangeIdentity identity = new ChangeIdentity();
            Map<String, Object>[] events = new Map[] {mysqlCreate("mysql"), sqlServerUpdate(), oracleCreate(),
                mongoUpdate(), postgresCreate(), mysqlCreate("mariadb")};
            for (int round = 0; round < 2; round++) {
                for (Map<String, Object> event : events) {
                    IdEncoder id = new IdEncoder();
                    assertThat(identity.append(id, toStruct(KEY), toStruct(event))).isNull();
                    assertThat(id.hash128()).isEqualTo(ChangeIdentity.of(toStruct(KEY), toStruct(event)));
                }
            }
        }

        @Test
        void absentAndNullOptionalFieldsAgree() {
            // A connector version that adds a field (or leaves an optional one out) still matches.
            Map<String, Object> event = oracleCreate();
            assertThat(ChangeIdentity.of(KEY, withoutSource(event, "lcr_position")))
                    .isEqualTo(ChangeIdentity.of(KEY, event));
        }
    }

    // ---------------------------------------------------------------- assertions

    /** Identified as a map and as a Struct; as a Struct alike per call and through an instance. */
    private static void assertIdentified(Object key, Map<String, Object> event) {
        assertThat(ChangeIdentity.of(key, event)).isNotNull();
        long[] fromStruct = ChangeIdentity.of(toStruct(key), toStruct(event));
        assertThat(fromStruct).isNotNull();
        IdEncoder id = new IdEncoder();
        assertThat(new ChangeIdentity().append(id, toStruct(key), toStruct(event))).isNull();
        assertThat(id.hash128()).isEqualTo(fromStruct);
    }

    private static void assertSameChange(Object key, Map<String, Object> a, Map<String, Object> b) {
        assertThat(ChangeIdentity.of(key, b)).isEqualTo(ChangeIdentity.of(key, a));
        assertThat(structId(key, b)).isEqualTo(structId(key, a));
    }

    private static void assertDifferentChange(Object key, Map<String, Object> a, Map<String, Object> b) {
        assertDifferentChange(key, a, key, b);
    }

    private static void assertDifferentChange(Object keyA, Map<String, Object> a, Object keyB, Map<String, Object> b) {
        assertThat(ChangeIdentity.of(keyB, b)).isNotNull().isNotEqualTo(ChangeIdentity.of(keyA, a));
        assertThat(structId(keyB, b)).isNotEqualTo(structId(keyA, a));
    }

    private static void assertMissing(Object key, Map<String, Object> event, String path) {
        assertThat(ChangeIdentity.appendTo(new IdEncoder(), key, event)).isEqualTo(path);
        assertThat(new ChangeIdentity().append(new IdEncoder(), toStruct(key), toStruct(event))).isEqualTo(path);
        assertThat(ChangeIdentity.of(key, event)).isNull();
    }

    private static long[] structId(Object key, Map<String, Object> event) {
        IdEncoder id = new IdEncoder();
        assertThat(new ChangeIdentity().append(id, toStruct(key), toStruct(event))).isNull();
        return id.hash128();
    }

    // ---------------------------------------------------------------- building events

    /** An UPDATE (or other op) of the customer whose email goes from one value to another. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withImages(Map<String, Object> event, String op, String from, String to) {
        Map<String, Object> copy = copy(event);
        Map<String, Object> after = (Map<String, Object>) event.get("after");
        Map<String, Object> before = new LinkedHashMap<>(after);
        before.put("email", from);
        Map<String, Object> newAfter = new LinkedHashMap<>(after);
        newAfter.put("email", to);
        copy.put("op", op);
        copy.put("before", before);
        copy.put("after", newAfter);
        return copy;
    }

    private static Map<String, Object> withTransaction(Map<String, Object> event, long totalOrder) {
        Map<String, Object> copy = copy(event);
        copy.put("transaction", map("id", "0-1-12", "total_order", totalOrder, "data_collection_order", totalOrder));
        return copy;
    }

    /** The same change emitted again later: only the envelope's processing times differ. */
    private static Map<String, Object> reEmitted(Map<String, Object> event) {
        Map<String, Object> copy = copy(event);
        copy.put("ts_ms", (Long) event.get("ts_ms") + 60_000L);
        copy.put("ts_us", ((Long) event.get("ts_ms") + 60_000L) * 1000L);
        return copy;
    }

    private static Map<String, Object> envelope(String op, long tsMs, Map<String, Object> before,
            Map<String, Object> after, Map<String, Object> source) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("before", before);
        event.put("after", after);
        event.put("source", source);
        event.put("op", op);
        event.put("ts_ms", tsMs);
        event.put("ts_us", tsMs * 1000L);
        return event;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, Object> event) {
        Map<String, Object> copy = new LinkedHashMap<>(event);
        copy.put("source", new LinkedHashMap<>((Map<String, Object>) event.get("source")));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withSource(Map<String, Object> event, String field, Object value) {
        Map<String, Object> copy = copy(event);
        ((Map<String, Object>) copy.get("source")).put(field, value);
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutSource(Map<String, Object> event, String field) {
        Map<String, Object> copy = copy(event);
        ((Map<String, Object>) copy.get("source")).remove(field);
        return copy;
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /**
     * The Struct a converter with schemas would give for a map: field types from the values, every
     * field optional (a null or a map's absent field stays absent from the schema when its value is null,
     * as Debezium leaves optional fields null).
     */
    @SuppressWarnings("unchecked")
    static Object toStruct(Object value) {
        if (!(value instanceof Map)) {
            return value;
        }
        Map<String, Object> map = (Map<String, Object>) value;
        SchemaBuilder builder = SchemaBuilder.struct().optional();
        Map<String, Object> converted = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            Object v = toStruct(e.getValue());
            converted.put(e.getKey(), v);
            builder.field(e.getKey(), schemaOf(e.getKey(), v));
        }
        Schema schema = builder.build();
        Struct struct = new Struct(schema);
        converted.forEach(struct::put);
        return struct;
    }

    private static Schema schemaOf(String name, Object v) {
        if (v instanceof Struct) {
            return ((Struct) v).schema();
        } else if (v instanceof Long) {
            return Schema.OPTIONAL_INT64_SCHEMA;
        } else if (v instanceof Integer) {
            return Schema.OPTIONAL_INT32_SCHEMA;
        } else if (v instanceof Boolean) {
            return Schema.OPTIONAL_BOOLEAN_SCHEMA;
        }
        // Strings, and nulls: Debezium's optional fields of these examples are strings or structs.
        return Schema.OPTIONAL_STRING_SCHEMA;
    }
}
