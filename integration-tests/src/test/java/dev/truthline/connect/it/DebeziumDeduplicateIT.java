package dev.truthline.connect.it;

import static java.util.stream.Collectors.toList;
import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.truthline.connect.it.Recordings.Delivery;
import dev.truthline.connect.it.Recordings.Recording;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import dev.truthline.connect.harness.EmbeddedConnect;

/**
 * The Deduplicate SMT's {@code debezium} strategy on a real change-data capture: PostgreSQL (the
 * real server, with logical decoding) → the Debezium PostgreSQL source (pgoutput, streaming only) →
 * a Kafka topic → a sink whose Deduplicate transform decides what passes.
 *
 * <p>Two things are shown. Distinct changes are never merged: the rows of one multi-row INSERT and
 * four UPDATEs of the same row in the same transaction — two of them no-ops whose events differ in
 * nothing but their LSN — all reach the sink. And changes Debezium emits again after a restart, which
 * land at new offsets in the topic, are all caught.
 *
 * <p>How the re-emission is made reproducible: with {@code lsn.flush.mode=manual} (Debezium 3.6's
 * name for the deprecated {@code flush.lsn.source=false}) Debezium never confirms an LSN to the
 * replication slot, so PostgreSQL keeps, and streams again on request, every change since the slot
 * was created. The source is stopped, its Connect offsets are changed (KIP-875) and it is resumed,
 * twice: first set back to the offset it had committed after a warm-up change — exactly what a crash
 * that lost every later offset commit looks like — so every later change comes again; then deleted,
 * so Debezium starts from the slot's position and every change comes once more. The copies carry the
 * same {@code source.lsn}, {@code source.sequence}, op and key as their originals.
 */
class DebeziumDeduplicateIT {

    private static final Logger log = LoggerFactory.getLogger(DebeziumDeduplicateIT.class);

    private static final String SOURCE = "orders-cdc";
    private static final String SINK = "orders-dedupe";
    private static final String SLOT = "truthline_it";
    private static final String PUBLICATION = "truthline_it";
    private static final String TOPIC = "it.public.orders";
    private static final long TIMEOUT_MS = 30_000;

    private static EmbeddedPostgres postgres;
    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void start() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(tmp);
        long start = System.nanoTime();
        postgres = EmbeddedPostgres.builder()
                // Binaries and data under target/, not /tmp/embedded-pg.
                .setOverrideWorkingDirectory(tmp.resolve("embedded-pg").toFile())
                .setDataDirectory(tmp.resolve("embedded-pg-data"))
                .setCleanDataDirectory(true)
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_senders", "4")
                .setServerConfig("max_replication_slots", "4")
                .start();
        execute("CREATE TABLE orders (id integer PRIMARY KEY, status text NOT NULL, amount integer NOT NULL)",
                // Full before images: an UPDATE's event carries the whole old row.
                "ALTER TABLE orders REPLICA IDENTITY FULL",
                "CREATE PUBLICATION " + PUBLICATION + " FOR TABLE orders");
        log.info("PostgreSQL up on port {} in {} ms", postgres.getPort(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));

        TruthlineCluster.assertTruthlineOnlyOnPluginPath();
        // Truthline and Debezium come from their packaged plugin folders, as on a production worker. Quick offset
        // commits: the source's offset for the warm-up change is the restart point, and the sink's committed offset
        // tells when it is through the topic.
        connect = EmbeddedConnect.named("debezium-it").pluginPath(TruthlineCluster.PLUGIN_PATH)
                .workerProp("offset.flush.interval.ms", "500").start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (connect != null) {
            connect.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void distinctChangesAreNeverMergedAndReEmittedChangesAreDropped() throws Exception {
        connect.kafka().createTopic(TOPIC, 1);
        connect.configureConnector(SOURCE, sourceConfig());
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(SOURCE, 1, "The Debezium source did not start");
        // Streaming has begun once the slot has a reader; Debezium picked its start position before that.
        waitForCondition(DebeziumDeduplicateIT::slotActive, TIMEOUT_MS, "Debezium did not start streaming from the slot");
        connect.configureConnector(SINK, sinkConfig());
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(SINK, 1, "The recording sink did not start");
        Recording recording = Recordings.of(SINK);

        // A warm-up change, and the source offset committed for it: the point the source restarts from later.
        execute("INSERT INTO orders VALUES (100, 'warm-up', 0)");
        Change warmUp = waitForTopic(1).get(0);
        waitForCondition(() -> committedLsn() >= warmUp.lsn(), TIMEOUT_MS,
                () -> "The source did not commit the warm-up's offset: " + connect.connectorOffsets(SOURCE));
        ConnectorOffsets restartPoint = connect.connectorOffsets(SOURCE);
        log.info("Restart point: {}", restartPoint);

        // One transaction: a multi-row INSERT and four UPDATEs of row 1, two of them no-ops whose events
        // carry identical row images. Then three statements of their own.
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO orders VALUES (1, 'new', 100), (2, 'new', 200), (3, 'new', 300), (4, 'new', 400), (5, 'new', 500)");
            s.execute("UPDATE orders SET status = 'paid' WHERE id = 1");
            s.execute("UPDATE orders SET amount = amount WHERE id = 1");
            s.execute("UPDATE orders SET amount = amount WHERE id = 1");
            s.execute("UPDATE orders SET status = 'shipped' WHERE id = 1");
            c.commit();
            c.setAutoCommit(true);
            s.execute("UPDATE orders SET amount = 250 WHERE id = 2");
            s.execute("DELETE FROM orders WHERE id = 3");
            s.execute("INSERT INTO orders VALUES (6, 'new', 600)");
        }

        // --- What Debezium produced: read from the topic itself. ---
        List<Change> produced = waitForTopic(14);
        List<Change> changes = produced.subList(1, produced.size());
        log.info("Captured: {}", produced.stream().map(Change::detail).collect(toList()));
        assertThat(produced.get(0)).isEqualTo(warmUp);
        assertThat(changes).extracting(Change::describe).containsExactly(
                "c 1", "c 2", "c 3", "c 4", "c 5", "u 1", "u 1", "u 1", "u 1", // the transaction
                "u 2", "d 3", "tombstone 3", "c 6");
        List<Change> transaction = changes.subList(0, 9);
        List<Change> updatesOfRow1 = changes.subList(5, 9);
        // One transaction: one txId, and nine distinct LSNs and sequences.
        assertThat(transaction).extracting(Change::txId).containsOnly(transaction.get(0).txId());
        assertThat(transaction.stream().map(Change::lsn).distinct()).hasSize(9);
        assertThat(transaction.stream().map(Change::sequence).distinct()).hasSize(9);
        // The two no-op updates: same key, op, txId, row images before and after; only the position differs.
        Change noOp1 = updatesOfRow1.get(1);
        Change noOp2 = updatesOfRow1.get(2);
        assertThat(noOp1.value().get("before")).isEqualTo(noOp1.value().get("after")).isEqualTo(noOp2.value().get("before"))
                .isEqualTo(noOp2.value().get("after"));
        assertThat(noOp1.key()).isEqualTo(noOp2.key());
        assertThat(noOp1.lsn()).isNotEqualTo(noOp2.lsn());

        // --- What reached the sink: every change, once, in order. ---
        awaitSinkCommitted(produced.size());
        assertThat(recording.deliveries()).extracting(Delivery::offset)
                .containsExactlyElementsOf(produced.stream().map(Change::offset).collect(toList()));
        assertDeliveredUntouched(recording.deliveries(), produced);
        Map<String, Double> metrics = DedupeMetrics.of(SINK);
        log.info("Before the restart: {} records in the topic; SMT metrics {}", produced.size(), metrics);
        assertThat(metrics).containsEntry("records-total", 14.0)
                .containsEntry("records-passed", 13.0) // the tombstone is not an id: it passes untouched
                .containsEntry("records-skipped", 1.0)
                .containsEntry("stale-tombstones-total", 0.0)
                .containsEntry("duplicates-total", 0.0)
                .containsEntry("replays-total", 0.0)
                .containsEntry("window-entries", 13.0);

        // --- Restart 1: the source goes back to the offset it had committed after the warm-up, as after a
        // crash that lost every later offset commit. Everything after the warm-up comes again. ---
        List<Change> afterRewind = restartSource(() -> connect.alterConnectorOffsets(SOURCE, restartPoint),
                produced.size() + changes.size());
        List<Change> reEmitted = afterRewind.subList(produced.size(), afterRewind.size());
        assertReEmitted(reEmitted, changes);
        // The sink: nothing new passed; the delete's copy was dropped and the tombstone right behind it with it
        // (an upsert sink would otherwise delete row 3 again, after a new row 3 had been inserted).
        List<Long> expected = new ArrayList<>(produced.stream().map(Change::offset).collect(toList()));
        assertSinkReceived(recording, afterRewind, expected);
        metrics = DedupeMetrics.of(SINK);
        log.info("After restart 1: {} records in the topic, {} re-emitted; {} deliveries; SMT metrics {}",
                afterRewind.size(), reEmitted.size(), expected.size(), metrics);
        assertThat(metrics).containsEntry("records-total", 27.0)
                .containsEntry("records-passed", 13.0)
                .containsEntry("records-skipped", 1.0)
                .containsEntry("stale-tombstones-total", 1.0)
                .containsEntry("duplicates-total", 12.0) // the 13 re-emitted records but their tombstone
                .containsEntry("replays-total", 0.0)
                .containsEntry("window-entries", 13.0);

        // --- Restart 2: the source's offsets are deleted (KIP-875). With no offset Debezium streams again
        // from the slot's confirmed position, which never moved: every change since the slot was created. ---
        List<Change> afterReset = restartSource(() -> connect.resetConnectorOffsets(SOURCE),
                afterRewind.size() + produced.size());
        List<Change> reEmittedAgain = afterReset.subList(afterRewind.size(), afterReset.size());
        assertReEmitted(reEmittedAgain, produced);
        assertSinkReceived(recording, afterReset, expected);
        metrics = DedupeMetrics.of(SINK);
        log.info("After restart 2: {} records in the topic, {} re-emitted; {} deliveries; SMT metrics {}",
                afterReset.size(), reEmittedAgain.size(), expected.size(), metrics);
        assertThat(metrics).containsEntry("records-total", 41.0)
                .containsEntry("records-passed", 13.0)
                .containsEntry("records-skipped", 1.0)
                .containsEntry("stale-tombstones-total", 2.0)
                .containsEntry("duplicates-total", 25.0) // 12 + the 14 re-emitted records but their tombstone
                .containsEntry("replays-total", 0.0)
                .containsEntry("window-entries", 13.0);
    }

    /**
     * Stops the source, changes its offsets while it is stopped, resumes it and waits until the topic
     * holds {@code expectedRecords}; returns the whole topic.
     */
    private static List<Change> restartSource(Runnable changeOffsets, int expectedRecords) throws InterruptedException {
        SinkProgress.restartWithOffsets(connect, SOURCE, changeOffsets);
        return waitForTopic(expectedRecords);
    }

    /**
     * The copies are the originals again, in order, each at a new offset and identical in what
     * identifies a change (op, key, source.lsn, source.sequence, txId, table).
     */
    private static void assertReEmitted(List<Change> copies, List<Change> originals) {
        log.info("Re-emitted: {}", copies.stream().map(Change::detail).collect(toList()));
        assertThat(copies).extracting(Change::identity)
                .containsExactlyElementsOf(originals.stream().map(Change::identity).collect(toList()));
        int identical = 0;
        for (int i = 0; i < originals.size(); i++) {
            assertThat(copies.get(i).offset()).isGreaterThan(originals.get(i).offset());
            if (Objects.equals(copies.get(i).value(), originals.get(i).value())
                    && copies.get(i).headers().equals(originals.get(i).headers())) {
                identical++;
            }
        }
        // For information: the copies are not byte-for-byte copies (Debezium's ts_ms, its run id header).
        log.info("Re-emitted copies equal to their originals in value and headers: {} of {}", identical, originals.size());
    }

    /** Once the sink is through the topic: it received exactly the records at these offsets, untouched. */
    private static void assertSinkReceived(Recording recording, List<Change> topic, List<Long> offsets)
            throws Exception {
        awaitSinkCommitted(topic.size());
        List<Delivery> deliveries = recording.deliveries();
        assertThat(deliveries).extracting(Delivery::offset).containsExactlyElementsOf(offsets);
        assertDeliveredUntouched(deliveries, topic);
        assertThat(readTopic()).as("records in the topic").hasSize(topic.size());
    }

    /** Each delivery is the record at its offset as Debezium wrote it, value and headers (no dq.* tag added). */
    private static void assertDeliveredUntouched(List<Delivery> deliveries, List<Change> topic) {
        for (Delivery d : deliveries) {
            Change c = topic.get((int) d.offset());
            assertThat(c.offset()).isEqualTo(d.offset());
            assertThat(d.value()).as("value at offset %d", d.offset()).isEqualTo(c.value());
            assertThat(d.headers()).as("headers at offset %d", d.offset()).isEqualTo(c.headers());
        }
    }

    /** One record of the change topic, as the sink's converter reads it. */
    private record Change(long offset, Object key, Map<String, Object> value, Map<String, String> headers) {

        boolean tombstone() {
            return value == null;
        }

        String op() {
            return tombstone() ? "tombstone" : (String) value.get("op");
        }

        Object id() {
            return ((Map<?, ?>) key).get("id");
        }

        Map<?, ?> source() {
            return (Map<?, ?>) value.get("source");
        }

        long lsn() {
            return ((Number) source().get("lsn")).longValue();
        }

        Object sequence() {
            return source().get("sequence");
        }

        Object txId() {
            return source().get("txId");
        }

        /** "op id", e.g. "u 1". */
        String describe() {
            return op() + " " + id();
        }

        /** For the log: offset, op, id, txId and sequence. */
        String detail() {
            return offset + ":" + describe() + (tombstone() ? "" : " tx " + txId() + " seq " + sequence());
        }

        /** What makes two records the same change, as the test sees it (tombstones by key only). */
        List<Object> identity() {
            if (tombstone()) {
                return List.of("tombstone", key);
            }
            return List.of(op(), key, lsn(), Objects.toString(sequence()), Objects.toString(txId()),
                    source().get("schema"), source().get("table"));
        }
    }

    /** Waits until the topic holds at least {@code count} records; returns all of them. */
    private static List<Change> waitForTopic(int count) throws InterruptedException {
        return SinkProgress.awaitRecords(DebeziumDeduplicateIT::readTopic, count, TIMEOUT_MS, "The topic " + TOPIC);
    }

    @SuppressWarnings("unchecked")
    private static List<Change> readTopic() throws Exception {
        JsonConverter keys = new JsonConverter();
        keys.configure(Map.of("schemas.enable", "false"), true);
        JsonConverter values = new JsonConverter();
        values.configure(Map.of("schemas.enable", "false"), false);
        List<Change> changes = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : connect.kafka().consumeAll(TIMEOUT_MS, TOPIC)) {
            Map<String, String> headers = new HashMap<>();
            for (Header h : r.headers()) {
                // Debezium's context headers are strings; the sink's header converter reads them as such.
                headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
            changes.add(new Change(r.offset(), keys.toConnectData(TOPIC, r.key()).value(),
                    (Map<String, Object>) values.toConnectData(TOPIC, r.value()).value(), Map.copyOf(headers)));
        }
        changes.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        return changes;
    }

    private static void awaitSinkCommitted(long next) throws InterruptedException {
        SinkProgress.awaitCommitted(connect, SINK, TOPIC, next, TIMEOUT_MS);
    }

    /** The largest {@code lsn} in the source's committed offsets, or -1. */
    private static long committedLsn() {
        long lsn = -1;
        for (ConnectorOffset offset : connect.connectorOffsets(SOURCE).offsets()) {
            Object value = offset.offset().get("lsn");
            if (value instanceof Number) {
                lsn = Math.max(lsn, ((Number) value).longValue());
            }
        }
        return lsn;
    }

    private static boolean slotActive() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static void execute(String... statements) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static Map<String, String> sourceConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.put("tasks.max", "1");
        config.put("database.hostname", "localhost");
        config.put("database.port", String.valueOf(postgres.getPort()));
        config.put("database.user", "postgres");
        config.put("database.password", "postgres");
        config.put("database.dbname", "postgres");
        config.put("topic.prefix", "it");
        config.put("table.include.list", "public.orders");
        config.put("plugin.name", "pgoutput");
        config.put("slot.name", SLOT);
        config.put("publication.name", PUBLICATION);
        config.put("publication.autocreate.mode", "disabled");
        // Stream only: no initial snapshot of the rows.
        config.put("snapshot.mode", "no_data");
        // Never confirm an LSN to the slot (formerly flush.lsn.source=false): the server keeps every
        // change, so a restart from an older Connect offset streams the same changes again.
        config.put("lsn.flush.mode", "manual");
        config.put("key.converter", JsonConverter.class.getName());
        config.put("key.converter.schemas.enable", "false");
        config.put("value.converter", JsonConverter.class.getName());
        config.put("value.converter.schemas.enable", "false");
        return config;
    }

    private static Map<String, String> sinkConfig() {
        return RecordingSinkConnector.debeziumDedupeConfig(TOPIC, false);
    }
}
