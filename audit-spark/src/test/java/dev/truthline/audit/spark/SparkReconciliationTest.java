package dev.truthline.audit.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.truthline.audit.AuditDatabase;
import dev.truthline.audit.ReconcilePlan;
import dev.truthline.audit.Reconciliation;
import dev.truthline.audit.TableRows;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The current-state reconciliation's one SQL text ({@link Reconciliation#QUERY}) on both engines: the same generated
 * histories — keys accepted, quarantined at the source or dead-lettered by the current table's sink, deleted and
 * re-inserted, rows lost or changed by hand, rows only in the current table, events with no key, one change rejected
 * twice (a re-emitted copy at the same source position) — in the embedded DuckDB and in Spark SQL give the same state
 * for every key and the same summary, list for list.
 */
class SparkReconciliationTest {

    private static final String TOPIC = "orders.events.v1";
    private static final String QUARANTINE = "orders.events.v1.quarantine";

    private static final StructType ENTITIES = new StructType().add("topic", DataTypes.StringType)
            .add("partition", DataTypes.IntegerType).add("offset", DataTypes.LongType).add("kind", DataTypes.StringType)
            .add("entity", DataTypes.StringType).add("lsn", DataTypes.LongType).add("op", DataTypes.StringType);
    private static final StructType ROWS = new StructType().add("entity", DataTypes.StringType)
            .add("vals", DataTypes.StringType).add("lsn", DataTypes.LongType);
    private static SparkSession spark;

    @TempDir
    Path spill;

    private final List<Row> captured = new ArrayList<>();
    private final List<Row> entities = new ArrayList<>();
    private final List<Row> sourceRows = new ArrayList<>();
    private final List<Row> currentRows = new ArrayList<>();
    private final List<Row> deadLetters = new ArrayList<>();
    private long offset;

    @BeforeAll
    static void start() {
        spark = SparkFateSqlTest.local();
    }

    @Test
    void duckDbAndSparkGiveEveryKeyTheSameState() throws Exception {
        Random random = new Random(3);
        for (int k = 0; k < 600; k++) {
            history(random, "k" + k, k);
        }
        // Events with no key: never an entity, on either engine.
        for (int i = 0; i < 20; i++) {
            event(TOPIC, "change", null, 100_000L + i, "c", null);
            event(QUARANTINE, "quarantine", null, 200_000L + i, "u", "customer_required");
        }
        // One change dead-lettered twice (the copy a rewind re-emitted): the same source position, two positions.
        event(TOPIC, "change", "twice", 5L, "c", null);
        sourceRows.add(RowFactory.create("twice", "v6", null));
        currentRows.add(RowFactory.create("twice", "v5", 5L));
        for (int copy = 0; copy < 2; copy++) {
            long at = event(TOPIC, "change", "twice", 6L, "u", null);
            deadLetters.add(RowFactory.create("orders-warehouse", TOPIC, 0, at, "failed rules amount_range"));
        }
        // A dead letter whose reason names its position (shown without it), and a second reason for one position.
        long at = event(TOPIC, "change", "named", 7L, "c", null);
        deadLetters.add(RowFactory.create("orders-warehouse", TOPIC, 0, at,
                "Record violates contract orders@1: failed rules currency_iso (topic " + TOPIC + ", partition 0, offset "
                        + at + ")"));
        deadLetters.add(RowFactory.create("orders-warehouse", TOPIC, 0, at, "a later retry"));
        sourceRows.add(RowFactory.create("named", "v7", null));
        // Replayed (truthline replay wrote the rejected change again): a dead-lettered update the sink then upserted,
        // equal; and an update older than a newer landed one, not applied, equal too.
        event(TOPIC, "change", "replayed", 8L, "c", null);
        long rejected = event(TOPIC, "change", "replayed", 9L, "u", null);
        deadLetters.add(RowFactory.create("orders-warehouse", TOPIC, 0, rejected, "failed rules status_known"));
        event(TOPIC, "change", "replayed", 9L, "u", null);
        sourceRows.add(RowFactory.create("replayed", "v9", null));
        currentRows.add(RowFactory.create("replayed", "v9", 9L));
        event(TOPIC, "change", "older", 10L, "c", null);
        rejected = event(TOPIC, "change", "older", 11L, "u", null);
        deadLetters.add(RowFactory.create("orders-warehouse", TOPIC, 0, rejected, "failed rules status_known"));
        event(TOPIC, "change", "older", 12L, "u", null);
        event(TOPIC, "change", "older", 11L, "u", null);
        sourceRows.add(RowFactory.create("older", "v12", null));
        currentRows.add(RowFactory.create("older", "v12", 12L));
        // A row only in the current table, nothing captured of its key: extra.
        currentRows.add(RowFactory.create("ghost", "v8", 8L));

        Reconciliation.Result duck;
        Map<String, List<Object>> duckKeys = new HashMap<>();
        try (AuditDatabase db = AuditDatabase.open("128MB", spill)) {
            SparkFateSqlTest.append(db, "captured", captured);
            SparkFateSqlTest.append(db, "captured_entities", entities);
            SparkFateSqlTest.append(db, "source_rows", sourceRows);
            SparkFateSqlTest.append(db, "current_rows", currentRows);
            SparkFateSqlTest.append(db, "current_dead_letters", deadLetters);
            duck = Reconciliation.run(db, 1_000);
            try (var s = db.connection().createStatement(); var rs = s.executeQuery("SELECT * FROM reconciliation")) {
                while (rs.next()) {
                    duckKeys.put(rs.getString(1), List.of(String.valueOf(rs.getObject(2)),
                            String.valueOf(rs.getObject(3)), String.valueOf(rs.getObject(4)),
                            String.valueOf(rs.getObject(5)), String.valueOf(rs.getObject(6))));
                }
            }
        }
        spark.createDataFrame(captured, SparkFateSqlTest.CAPTURED).createOrReplaceTempView("captured");
        spark.createDataFrame(entities, ENTITIES).createOrReplaceTempView("captured_entities");
        spark.createDataFrame(sourceRows, ROWS).createOrReplaceTempView("source_rows");
        spark.createDataFrame(currentRows, ROWS).createOrReplaceTempView("current_rows");
        spark.createDataFrame(deadLetters, SparkFateSqlTest.DEAD_LETTERS).createOrReplaceTempView("current_dead_letters");
        Reconciliation.Result onSpark = Reconciliation.run(new SparkFateSql(spark), 1_000);
        Map<String, List<Object>> sparkKeys = new HashMap<>();
        for (Row r : spark.sql("SELECT * FROM reconciliation").collectAsList()) {
            sparkKeys.put(r.getString(0), List.of(String.valueOf(r.get(1)), String.valueOf(r.get(2)),
                    String.valueOf(r.get(3)), String.valueOf(r.get(4)), String.valueOf(r.get(5))));
        }

        for (String state : Reconciliation.STATES) {
            assertThat(duck.count(state)).as("%s", state).isPositive();
        }
        assertThat(duckKeys.get("twice")).element(0).isEqualTo("stale");
        assertThat(duckKeys.get("replayed")).element(0).isEqualTo("equal");
        assertThat(duckKeys.get("older")).element(0).isEqualTo("equal");
        assertThat(duckKeys.get("named")).element(4).asString().doesNotContain("(topic");
        assertThat(sparkKeys).isEqualTo(duckKeys);
        assertThat(onSpark.counts()).isEqualTo(duck.counts());
        for (String state : Reconciliation.STATES) {
            assertThat(onSpark.examples().get(state)).as("%s", state).isEqualTo(duck.examples().get(state));
        }
        assertThat(onSpark).isEqualTo(duck);
    }

    /**
     * Both engines read the same PostgreSQL tables — a composite key, {@code numeric} at two scales, {@code timestamptz}
     * written at two offsets, {@code timestamp}, {@code date}, {@code boolean}, {@code double precision}, NULLs, a
     * column the source protects (left out) — into the same canonical texts: the one-machine audit through JDBC
     * ({@code TableRows}), Spark through its JDBC source ({@link SparkTableRows}); so the same keys are equal,
     * unexplained and extra on both.
     */
    @Test
    void bothEnginesReadTheSameTablesIntoTheSameTexts() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setOverrideWorkingDirectory(spill.resolve("pg").toFile())
                .setDataDirectory(spill.resolve("pg-data")).setCleanDataDirectory(true).start();
                Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE src (id int, region text, amount numeric(10,2), placed timestamptz, due timestamp, "
                    + "day date, paid boolean, score double precision, email text, PRIMARY KEY (id, region))");
            s.execute("CREATE TABLE cur (id bigint, region text, amount numeric(14,4), placed timestamptz, "
                    + "due timestamp, day date, paid boolean, score double precision, email text, __source_lsn bigint, "
                    + "PRIMARY KEY (id, region))");
            s.execute("SET TIME ZONE 'UTC'");
            s.execute("""
                    INSERT INTO src VALUES
                      (1, 'eu', 10.50, '2026-12-04 10:00:00+00', '2026-12-05 08:30:00.125', '2026-12-06', true, 0.1, 'a@x'),
                      (2, 'eu', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                      (2, 'us', 7.00, '2026-01-01 00:00:00+00', '2026-01-02 00:00:00', '2026-01-03', false, 2.5, 'b@x'),
                      (3, 'eu', 1.00, '2026-12-04 10:00:00+00', '2026-12-05 08:30:00', '2026-12-06', true, 1e-7, 'c@x'),
                      (4, 'eu', 99.99, '2026-12-04 10:00:00+00', '2026-12-05 08:30:00', '2026-12-06', true, 3, 'd@x')""");
            s.execute("""
                    INSERT INTO cur VALUES
                      (1, 'eu', 10.5000, '2026-12-04 12:00:00+02', '2026-12-05 08:30:00.125', '2026-12-06', true, 0.1,
                       'token-a', 11),
                      (2, 'eu', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 21),
                      (2, 'us', 7, '2026-01-01 01:00:00+01', '2026-01-02 00:00:00', '2026-01-03', false, 2.5, NULL, 22),
                      (3, 'eu', 1.00, '2026-12-04 10:00:00+00', '2026-12-05 08:30:01', '2026-12-06', true, 1e-7, 'c@x', 31),
                      (5, 'eu', 5, NULL, NULL, NULL, NULL, NULL, NULL, 51)""");
            String url = pg.getJdbcUrl("postgres", "postgres");
            ReconcilePlan plan = new ReconcilePlan(new ReconcilePlan.Table(url, "postgres", null, "public.src"),
                    new ReconcilePlan.Table(url, "postgres", null, "public.cur"), "orders-warehouse", null,
                    "__source_lsn", Set.of("email"));

            Set<List<Object>> duckRows = new HashSet<>();
            Reconciliation.Result duck;
            try (AuditDatabase db = AuditDatabase.open("128MB", spill)) {
                TableRows.Shape shape = TableRows.shape(c, "public.src").without(plan.notCompared());
                TableRows.load(db, "source_rows", c, "public.src", shape, null);
                TableRows.load(db, "current_rows", c, "public.cur", shape, "__source_lsn");
                try (Statement d = db.connection().createStatement();
                        ResultSet rs = d.executeQuery("SELECT 'source', * FROM source_rows UNION ALL "
                                + "SELECT 'current', * FROM current_rows")) {
                    while (rs.next()) {
                        duckRows.add(Arrays.asList(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getObject(4)));
                    }
                }
                duck = Reconciliation.run(db, 100);
            }
            spark.createDataFrame(List.of(), SparkFateSqlTest.CAPTURED).createOrReplaceTempView("captured");
            spark.createDataFrame(List.of(), ENTITIES).createOrReplaceTempView("captured_entities");
            spark.createDataFrame(List.of(), SparkFateSqlTest.DEAD_LETTERS).createOrReplaceTempView("current_dead_letters");
            SparkTableRows.read(spark, plan);
            Set<List<Object>> sparkRows = new HashSet<>();
            for (Row r : spark.sql("SELECT 'source', * FROM source_rows UNION ALL SELECT 'current', * FROM current_rows")
                    .collectAsList()) {
                sparkRows.add(Arrays.asList(r.getString(0), r.getString(1), r.getString(2), r.get(3)));
            }
            Reconciliation.Result onSpark = Reconciliation.run(new SparkFateSql(spark), 100);

            assertThat(duckRows).hasSize(10);
            assertThat(sparkRows).isEqualTo(duckRows);
            assertThat(duck.counts()).containsExactly(Map.entry("equal", 3L), Map.entry("stale", 0L),
                    Map.entry("absent", 0L), Map.entry("extra", 1L), Map.entry("unexplained", 2L));
            assertThat(duck.examples().get("unexplained")).extracting(Reconciliation.Key::entity)
                    .containsExactly("3,eu", "4,eu");
            assertThat(onSpark).isEqualTo(duck);
        }
    }

    /** One key's changes, each accepted, quarantined or dead-lettered; the tables as the pipeline leaves them. */
    private void history(Random random, String key, int k) {
        int changes = 1 + random.nextInt(4);
        String sourceVals = null;
        String currentVals = null;
        long currentLsn = -1;
        for (int i = 0; i < changes; i++) {
            long lsn = k * 10L + i;
            String op = i == 0 || sourceVals == null ? "c" : random.nextInt(5) == 0 ? "d" : "u";
            String vals = "d".equals(op) ? null : key + "@" + lsn;
            sourceVals = vals;
            int fate = random.nextInt(6);
            if (fate == 0) {
                event(QUARANTINE, "quarantine", key, lsn, op, random.nextBoolean() ? "customer_required"
                        : "status_known,amount_required");
            } else if (fate == 1) {
                long at = event(TOPIC, "change", key, lsn, op, null);
                deadLetters.add(RowFactory.create("orders-warehouse", TOPIC, 0, at, random.nextBoolean() ? null
                        : "failed rules amount_range"));
            } else {
                event(TOPIC, "change", key, lsn, op, null);
                currentVals = vals;
                currentLsn = lsn;
            }
        }
        int hand = random.nextInt(40);
        if (hand == 0 && currentVals != null) {
            currentVals = null; // lost by hand
        } else if (hand == 1 && currentVals != null) {
            currentVals = "by hand"; // changed by hand
        }
        if (sourceVals != null) {
            sourceRows.add(RowFactory.create(key, sourceVals, null));
        }
        if (currentVals != null) {
            currentRows.add(RowFactory.create(key, currentVals, currentLsn));
        } else if (hand == 2) {
            currentRows.add(RowFactory.create(key, "only here", (long) k)); // extra when the source has none
        }
    }

    private long event(String topic, String kind, String key, Long lsn, String op, String rules) {
        long at = offset++;
        captured.add(RowFactory.create(topic, 0, at, kind, key == null ? null : "Struct{order_id=" + key + "}", 0L, at,
                1_000L, rules, null, null));
        entities.add(RowFactory.create(topic, 0, at, kind, key, lsn, op));
        return at;
    }
}
