package dev.truthline.connect.it;

import static dev.truthline.connect.it.TruthlineCluster.TIMEOUT_MS;
import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code debezium} strategy in {@link FaultAccountingIT}'s faults: a real capture of a PostgreSQL table
 * ({@code shop}: every change raises the row's {@code version}) by the Debezium PostgreSQL source, and a JDBC upsert
 * sink behind {@code Deduplicate} (with the rebuild) → {@code ExtractNewRecordState} → {@code InsertField} (the
 * record's Kafka partition and offset), whose table's write log tells a copy (a change written from a second
 * position) from a redelivery (the same position again). Debezium never confirms an LSN to its slot
 * ({@code lsn.flush.mode=manual}), so it re-emits after the kill if its task was on the killed worker, and after
 * the offset rewind at the end, every change since the restart point.
 */
final class CdcFaults {

    private static final Logger log = LoggerFactory.getLogger(CdcFaults.class);

    static final String SOURCE = "shop-cdc";
    static final String SINK = "shop-faults-debezium";
    static final String TOPIC = "cdc.public.shop";
    private static final String TABLE = "shop_warehouse";
    private static final int ROWS = 150;
    private static final int VERSIONS = 4;

    private final TruthlineCluster cluster;
    private ConnectorOffsets restartPoint;

    CdcFaults(TruthlineCluster cluster) {
        this.cluster = cluster;
    }

    /** The source table, the topic, the warehouse table with its write log, and both connectors. */
    void start(int partitions) throws Exception {
        cluster.sql("CREATE TABLE shop (id integer PRIMARY KEY, version integer NOT NULL, status text NOT NULL)",
                "ALTER TABLE shop REPLICA IDENTITY FULL",
                "CREATE PUBLICATION shop_slot FOR TABLE shop",
                "CREATE TABLE " + TABLE + " (id integer PRIMARY KEY, version integer, status text, "
                        + "kafka_partition integer, kafka_offset bigint)",
                "CREATE TABLE " + TABLE + "_writes (id integer, version integer, kafka_partition integer, kafka_offset bigint)",
                "CREATE FUNCTION " + TABLE + "_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "INSERT INTO " + TABLE + "_writes VALUES (NEW.id, NEW.version, NEW.kafka_partition, NEW.kafka_offset); "
                        + "RETURN NEW; END $$",
                "CREATE TRIGGER " + TABLE + "_log AFTER INSERT OR UPDATE ON " + TABLE
                        + " FOR EACH ROW EXECUTE FUNCTION " + TABLE + "_log()");
        cluster.connect().kafka().createTopic(TOPIC, partitions);
        cluster.putConnector(SOURCE, sourceConfig());
        cluster.awaitRunning(SOURCE, 1);
        waitForCondition(this::slotActive, TIMEOUT_MS, "Debezium did not start streaming from the slot");
        cluster.putConnector(SINK, sinkConfig(partitions));
        cluster.awaitRunning(SINK, partitions);
        // The restart point of the rewind at the end: the offset committed for a first change.
        cluster.sql("INSERT INTO shop VALUES (0, 0, 'warm-up')");
        waitForCondition(() -> !cluster.connect().connectorOffsets(SOURCE).offsets().isEmpty(), TIMEOUT_MS,
                "The source did not commit the warm-up's offset");
        restartPoint = cluster.connect().connectorOffsets(SOURCE);
    }

    /** {@code ROWS} rows, each inserted and then updated {@code VERSIONS - 1} times, at about {@code perSecond}. */
    void write(int perSecond) {
        try (Connection c = cluster.sqlConnection(); Statement s = c.createStatement()) {
            long start = System.nanoTime();
            int n = 0;
            for (int version = 0; version < VERSIONS; version++) {
                for (int id = 1; id <= ROWS; id++) {
                    s.execute(version == 0 ? "INSERT INTO shop VALUES (" + id + ", 0, 'new')"
                            : "UPDATE shop SET version = " + version + ", status = 's" + version + "' WHERE id = " + id);
                    n++;
                    long wait = start + TimeUnit.SECONDS.toNanos(n) / perSecond - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** After the faults: the source goes back to the warm-up's offset and emits every later change again. */
    void rewind() throws Exception {
        int before = changes().size();
        SinkProgress.restartWithOffsets(cluster.connect(), SOURCE,
                () -> cluster.connect().alterConnectorOffsets(SOURCE, restartPoint));
        int all = ROWS * VERSIONS;
        int[] seen = {before};
        waitForCondition(() -> (seen[0] = changes().size()) >= before + all, TIMEOUT_MS,
                () -> "The rewind did not re-emit " + all + " changes: " + seen[0] + " after " + before);
    }

    /**
     * Every captured change landed, each from one Kafka position only (a redelivery writes from the same one), and
     * the table holds every row at its last version.
     */
    void account() throws Exception {
        Map<String, Integer> topic = new HashMap<>();
        for (String change : changes().keySet()) {
            topic.merge(change.substring(0, change.indexOf('@')), 1, Integer::sum);
        }
        int distinct = topic.size();
        assertThat(distinct).as("distinct changes captured").isEqualTo(ROWS * VERSIONS + 1);
        Map<String, Set<String>> positions = new LinkedHashMap<>();
        waitForCondition(() -> {
            positions.clear();
            positions.putAll(writes());
            return positions.keySet().containsAll(topic.keySet());
        }, TIMEOUT_MS, () -> "Changes not landed: " + (distinct - positions.size()) + " of " + distinct);
        int records = topic.values().stream().mapToInt(Integer::intValue).sum();
        long copiesInTopic = records - distinct;
        long copiesLanded = positions.values().stream().filter(p -> p.size() > 1).count();
        log.info("debezium: {} change records in the topic for {} changes ({} re-emitted copies); {} changes written "
                + "from more than one position", records, distinct, copiesInTopic, copiesLanded);
        assertThat(copiesInTopic).as("re-emitted copies in the topic").isGreaterThanOrEqualTo(ROWS * VERSIONS);
        assertThat(positions.keySet()).isEqualTo(topic.keySet());
        assertThat(copiesLanded).as("changes written from more than one position (copies landed)").isZero();
        try (Connection c = cluster.sqlConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + TABLE + " WHERE version = " + (VERSIONS - 1))) {
            rs.next();
            assertThat(rs.getInt(1)).as("rows at their last version").isEqualTo(ROWS);
        }
    }

    /** Each change record of the topic as "id/version@partition/offset". */
    private Map<String, Boolean> changes() throws Exception {
        Map<String, Boolean> changes = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : cluster.connect().kafka().consumeAll(TIMEOUT_MS, TOPIC)) {
            if (r.value() == null) {
                continue;
            }
            JsonNode after = TruthlineCluster.JSON.readTree(r.value()).path("payload").path("after");
            changes.put(after.path("id").asInt() + "/" + after.path("version").asInt() + "@" + r.partition() + "/"
                    + r.offset(), true);
        }
        return changes;
    }

    /** From the write log: "id/version" → the Kafka positions it was written from. */
    private Map<String, Set<String>> writes() throws Exception {
        Map<String, Set<String>> writes = new HashMap<>();
        try (Connection c = cluster.sqlConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, version, kafka_partition, kafka_offset FROM " + TABLE + "_writes")) {
            while (rs.next()) {
                writes.computeIfAbsent(rs.getInt(1) + "/" + rs.getInt(2), k -> new HashSet<>())
                        .add(rs.getInt(3) + "/" + rs.getLong(4));
            }
        }
        return writes;
    }

    private boolean slotActive() throws Exception {
        try (Connection c = cluster.sqlConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = 'shop_slot'")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private Map<String, String> sourceConfig() {
        Map<String, String> config = cluster.postgresSource("cdc", "shop", "shop_slot");
        // Never confirm an LSN to the slot: a restart from an older offset streams the same changes again.
        config.put("lsn.flush.mode", "manual");
        return config;
    }

    private Map<String, String> sinkConfig(int tasks) {
        Map<String, String> config = Orders.jdbcUpsert(cluster, TOPIC, TABLE, tasks);
        config.put("transforms", "dedupe,unwrap,position");
        config.put("transforms.dedupe.type", TruthlineCluster.DEDUPLICATE);
        config.put("transforms.dedupe.strategy", "debezium");
        config.put("transforms.dedupe.rebuild.bootstrap.servers", cluster.bootstrapServers());
        config.put("transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState");
        config.put("transforms.position.type", "org.apache.kafka.connect.transforms.InsertField$Value");
        config.put("transforms.position.partition.field", "kafka_partition");
        config.put("transforms.position.offset.field", "kafka_offset");
        return config;
    }
}
