package dev.truthline.audit.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.duckdb.DuckDBAppender;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.truthline.audit.AuditDatabase;
import dev.truthline.audit.AuditResult;
import dev.truthline.audit.Fate;
import dev.truthline.audit.FateAssignment;

/**
 * The fate assignment's one SQL text on both engines: the same randomized store contents (every fate, rows with no
 * captured event, positions landed twice, reasons that name positions, null keys) in the embedded DuckDB and in Spark
 * SQL give the same result, list for list.
 */
class SparkFateSqlTest {

    private static final String TOPIC = "orders.events.v1";
    private static final String QUARANTINE = "orders.events.v1.quarantine";

    static final StructType CAPTURED = new StructType().add("topic", DataTypes.StringType)
            .add("partition", DataTypes.IntegerType).add("offset", DataTypes.LongType).add("kind", DataTypes.StringType)
            .add("key", DataTypes.StringType).add("id_hi", DataTypes.LongType).add("id_lo", DataTypes.LongType)
            .add("ts_ms", DataTypes.LongType).add("rules", DataTypes.StringType)
            .add("replay_of", DataTypes.StringType).add("replay_id", DataTypes.StringType);
    private static final StructType SINK_ROWS = new StructType().add("store", DataTypes.StringType)
            .add("role", DataTypes.StringType).add("topic", DataTypes.StringType)
            .add("partition", DataTypes.IntegerType).add("offset", DataTypes.LongType)
            .add("row_position", DataTypes.StringType);
    static final StructType DEAD_LETTERS = new StructType().add("connector", DataTypes.StringType)
            .add("topic", DataTypes.StringType).add("partition", DataTypes.IntegerType)
            .add("offset", DataTypes.LongType).add("reason", DataTypes.StringType);

    private static SparkSession spark;

    @TempDir
    Path spill;

    private static SparkSession shared;

    @BeforeAll
    static void start() {
        spark = local();
    }

    /**
     * Spark in local mode, two threads, with the audit's SQL settings: a session of its own for each caller (its
     * temporary views and SQL settings are its own) over one SparkContext for the test JVM, whose start is most of a
     * small test's time. Nobody closes a session (that stops the shared context): Spark stops it at JVM exit.
     */
    static synchronized SparkSession local() {
        if (shared == null) {
            shared = SparkSession.builder().config(SparkAudit.conf().setMaster("local[2]")).getOrCreate();
        }
        return shared.newSession();
    }

    @Test
    void duckDbAndSparkGiveTheSameFatesFromTheSameStores() throws Exception {
        List<Row> captured = new ArrayList<>();
        List<Row> sinkRows = new ArrayList<>();
        List<Row> deadLetters = new ArrayList<>();
        Random random = new Random(11);
        List<long[]> landedIds = new ArrayList<>();
        Random replays = new Random(13);
        List<String> copies = new ArrayList<>();
        for (int partition = 0; partition < 3; partition++) {
            for (long offset = 0; offset < 1_000; offset++) {
                String key = random.nextInt(20) == 0 ? null : "Struct{order_id=" + random.nextInt(300) + "}";
                int pick = random.nextInt(100);
                long[] id = pick < 8 && !landedIds.isEmpty() ? landedIds.get(random.nextInt(landedIds.size()))
                        : new long[] {random.nextLong(), random.nextLong()};
                boolean noIdentity = pick >= 98;
                // About one event in twenty replays an earlier one: a change, a quarantined event, a copy (a chain),
                // or one outside the range.
                String replayOf = replays.nextInt(20) != 0 || offset < 10 ? null : switch (replays.nextInt(4)) {
                    case 0 -> QUARANTINE + "/0/" + replays.nextInt(300);
                    case 1 -> copies.isEmpty() ? TOPIC + "/0/99999" : copies.get(replays.nextInt(copies.size()));
                    case 2 -> TOPIC + "/0/99999";
                    default -> TOPIC + "/" + replays.nextInt(partition + 1) + "/" + replays.nextInt((int) offset);
                };
                if (replayOf != null) {
                    copies.add(TOPIC + "/" + partition + "/" + offset);
                }
                captured.add(RowFactory.create(TOPIC, partition, offset, "change", key, noIdentity ? null : id[0],
                        noIdentity ? null : id[1], 1_000L + offset, null, replayOf,
                        replayOf == null ? null : "replay-" + replays.nextInt(3)));
                if (pick >= 8 && pick < 80) {
                    String file = "/w/silver/data/f" + partition + "-" + offset / 100 + ".parquet#" + offset % 100;
                    sinkRows.add(RowFactory.create("silver.orders", "landing", TOPIC, partition, offset, file));
                    if (pick < 10) {
                        sinkRows.add(RowFactory.create("silver.orders", "landing", TOPIC, partition, offset,
                                "/w/silver/data/again.parquet#" + offset));
                    }
                    landedIds.add(id);
                } else if (pick >= 80 && pick < 92) {
                    deadLetters.add(RowFactory.create("orders-silver", TOPIC, partition, offset, pick % 2 == 0
                            ? "Record violates contract orders@1: failed rules currency_iso (topic " + TOPIC
                                    + ", partition " + partition + ", offset " + offset + ")"
                            : null));
                }
            }
            // Rows naming no captured event: inside the captured span (extra) and outside it (not judged).
            sinkRows.add(RowFactory.create("silver.orders", "landing", TOPIC, partition, 1_000L + 5,
                    "/w/silver/data/late.parquet#" + partition));
        }
        for (long offset = 0; offset < 300; offset++) {
            String rules = offset % 3 == 0 ? "customer_required,amount_required" : offset % 3 == 1
                    ? "customer_required" : " status_known ";
            captured.add(RowFactory.create(QUARANTINE, 0, offset, "quarantine", "Struct{order_id=" + offset + "}",
                    null, null, null, rules, null, null));
            if (offset % 50 != 7) {
                sinkRows.add(RowFactory.create("quarantine.orders", "quarantine", QUARANTINE, 0, offset,
                        "/w/quarantine/data/q.parquet#" + offset));
            }
        }
        // An extra row inside the span: a row names partition 1 offset 500, which was never captured.
        captured.removeIf(r -> r.getString(0).equals(TOPIC) && r.getInt(1) == 1 && r.getLong(2) == 500L);
        sinkRows.add(RowFactory.create("silver.orders", "landing", TOPIC, 1, 500L, "/w/silver/data/lost.parquet#0"));

        AuditResult duck;
        try (AuditDatabase db = AuditDatabase.open("128MB", spill)) {
            append(db, "captured", captured);
            append(db, "sink_rows", sinkRows);
            append(db, "dead_letters", deadLetters);
            duck = FateAssignment.assign(db, 1_000);
        }
        spark.createDataFrame(captured, CAPTURED).createOrReplaceTempView("captured");
        spark.createDataFrame(sinkRows, SINK_ROWS).createOrReplaceTempView("sink_rows");
        spark.createDataFrame(deadLetters, DEAD_LETTERS).createOrReplaceTempView("dead_letters");
        AuditResult onSpark = FateAssignment.assign(new SparkFateSql(spark), 1_000);

        for (Fate fate : Fate.values()) {
            assertThat(duck.count(fate)).as("%s", fate).isPositive();
        }
        assertThat(duck.extraRows()).isPositive();
        assertThat(duck.rowsLandedTwice()).isPositive();
        assertThat(duck.deadLetteredPerReason()).hasSize(2);
        assertThat(duck.replayed()).isPositive();
        assertThat(duck.replays()).anyMatch(r -> r.history().contains("; replayed "));
        assertThat(onSpark.replays()).isEqualTo(duck.replays());
        assertThat(onSpark.fates()).isEqualTo(duck.fates());
        assertThat(onSpark.unexplained()).isEqualTo(duck.unexplained());
        assertThat(List.copyOf(onSpark.quarantinedPerRule().entrySet()))
                .isEqualTo(List.copyOf(duck.quarantinedPerRule().entrySet()));
        assertThat(List.copyOf(onSpark.deadLetteredPerReason().entrySet()))
                .isEqualTo(List.copyOf(duck.deadLetteredPerReason().entrySet()));
        assertThat(onSpark.extra()).isEqualTo(duck.extra());
        assertThat(onSpark.landedTwice()).isEqualTo(duck.landedTwice());
        assertThat(onSpark).isEqualTo(duck);
    }

    static void append(AuditDatabase db, String table, List<Row> rows) throws Exception {
        try (DuckDBAppender a = db.appender(table)) {
            for (Row r : rows) {
                a.beginRow();
                for (int i = 0; i < r.length(); i++) {
                    Object v = r.get(i);
                    if (v == null) {
                        a.appendNull();
                    } else if (v instanceof String s) {
                        a.append(s);
                    } else if (v instanceof Integer n) {
                        a.append(n.intValue());
                    } else {
                        a.append(((Long) v).longValue());
                    }
                }
                a.endRow();
            }
        }
    }
}
