package dev.truthline.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.duckdb.DuckDBAppender;
import org.junit.jupiter.api.Test;

/** The fate of each captured event, from hand-made store contents (no Kafka, no Iceberg). */
class FateAssignmentTest extends WithAuditDatabase {

    private static final String TOPIC = "orders.events.v1";
    private static final String QUARANTINE = "orders.events.v1.quarantine";

    @Test
    void everyEventGetsTheFateItsStoresShow() throws SQLException {
        try (DuckDBAppender captured = db.appender(AuditDatabase.CAPTURED)) {
            change(captured, 0, 0, 11, "{\"order_id\":1}");  // landed
            change(captured, 0, 1, 12, "{\"order_id\":2}");  // dead-lettered by silver
            change(captured, 0, 2, 11, "{\"order_id\":1}");  // the same change as offset 0: a duplicate
            change(captured, 0, 3, 13, "{\"order_id\":3}");  // nowhere: unexplained
            change(captured, 1, 0, 14, "{\"order_id\":4}");  // landed
            quarantined(captured, 0, 7, "customer_required,amount_required");
            quarantined(captured, 1, 9, "customer_required"); // not in the quarantine table: unexplained
        }
        try (DuckDBAppender rows = db.appender(AuditDatabase.SINK_ROWS)) {
            sinkRow(rows, "silver.orders", "landing", TOPIC, 0, 0, "f1.parquet#0");
            sinkRow(rows, "silver.orders", "landing", TOPIC, 1, 0, "f1.parquet#1");
            sinkRow(rows, "quarantine.orders", "quarantine", QUARANTINE, 0, 7, "q1.parquet#0");
        }
        try (DuckDBAppender dead = db.appender(AuditDatabase.DEAD_LETTERS)) {
            dead.beginRow().append("orders-silver").append(TOPIC).append(0).append(1L)
                    .append("Record violates contract orders@1: failed rules currency_iso (topic orders.events.v1, "
                            + "partition 0, offset 1)").endRow();
        }

        AuditResult result = FateAssignment.assign(db, 100);

        assertThat(result.captured()).isEqualTo(7);
        assertThat(result.fates()).containsEntry(Fate.LANDED, 2L).containsEntry(Fate.QUARANTINED, 1L)
                .containsEntry(Fate.DEAD_LETTERED, 1L).containsEntry(Fate.DUPLICATE, 1L)
                .containsEntry(Fate.UNEXPLAINED, 2L);
        assertThat(fates()).containsEntry(TOPIC + "/0/0", "landed silver.orders f1.parquet#0")
                .containsEntry(TOPIC + "/0/1", "dead_lettered orders-silver")
                .containsEntry(TOPIC + "/0/2", "duplicate " + TOPIC + "/0/0")
                .containsEntry(TOPIC + "/0/3", "unexplained null")
                .containsEntry(TOPIC + "/1/0", "landed silver.orders f1.parquet#1")
                .containsEntry(QUARANTINE + "/0/7", "quarantined quarantine.orders q1.parquet#0")
                .containsEntry(QUARANTINE + "/1/9", "unexplained null");
        assertThat(result.unexplained()).containsExactly(
                new AuditResult.Unexplained(TOPIC, 0, 3, "change", "{\"order_id\":3}"),
                new AuditResult.Unexplained(QUARANTINE, 1, 9, "quarantine", null));
        assertThat(result.quarantinedPerRule()).containsExactly(Map.entry("amount_required", 1L),
                Map.entry("customer_required", 1L));
        assertThat(result.deadLetteredPerReason()).containsExactly(Map.entry(
                "orders-silver: Record violates contract orders@1: failed rules currency_iso", 1L));
        assertThat(result.extraRows()).isZero();
        assertThat(result.exitCode()).isEqualTo(AuditResult.UNEXPLAINED);
    }

    @Test
    void allExplainedExitsZero() throws SQLException {
        try (DuckDBAppender captured = db.appender(AuditDatabase.CAPTURED)) {
            change(captured, 0, 5, 1, "k");
        }
        try (DuckDBAppender rows = db.appender(AuditDatabase.SINK_ROWS)) {
            sinkRow(rows, "silver.orders", "landing", TOPIC, 0, 5, "f#0");
        }
        AuditResult result = FateAssignment.assign(db, 10);
        assertThat(result.count(Fate.LANDED)).isEqualTo(1);
        assertThat(result.exitCode()).isEqualTo(AuditResult.EXPLAINED);
    }

    @Test
    void landingRowsWithoutACapturedEventAreExtraOnlyInsideTheCapturedRange() throws SQLException {
        try (DuckDBAppender captured = db.appender(AuditDatabase.CAPTURED)) {
            change(captured, 0, 10, 1, "a");
            change(captured, 0, 20, 2, "b");
        }
        try (DuckDBAppender rows = db.appender(AuditDatabase.SINK_ROWS)) {
            sinkRow(rows, "silver.orders", "landing", TOPIC, 0, 10, "f#0");
            sinkRow(rows, "silver.orders", "landing", TOPIC, 0, 15, "f#1"); // inside 10..20, never captured
            sinkRow(rows, "silver.orders", "landing", TOPIC, 0, 20, "f#2");
            sinkRow(rows, "silver.orders", "landing", TOPIC, 0, 20, "g#0"); // the same position twice
            sinkRow(rows, "silver.orders", "landing", TOPIC, 0, 99, "f#3"); // outside the audited range
        }
        AuditResult result = FateAssignment.assign(db, 10);
        assertThat(result.count(Fate.LANDED)).isEqualTo(2);
        assertThat(result.extraRows()).isEqualTo(1);
        assertThat(result.extra()).containsExactly(new AuditResult.Row("silver.orders", TOPIC, 0, 15, "f#1"));
        assertThat(result.rowsLandedTwice()).isEqualTo(1);
        assertThat(result.landedTwice()).containsExactly(new AuditResult.Row("silver.orders", TOPIC, 0, 20, "f#2, g#0"));
        assertThat(result.exitCode()).isEqualTo(AuditResult.UNEXPLAINED);
    }

    /**
     * Randomized stores checked against a plain model: each event's fate by the precedence rules, computed with
     * maps, equals the engine's.
     */
    @Test
    void randomizedStoresAgreeWithAPlainModel() throws SQLException {
        Random random = new Random(7);
        Map<String, String> expected = new HashMap<>();
        Map<Long, Long> landedIdentity = new HashMap<>();
        int events = 5_000;
        long[] ids = new long[events];
        boolean[] land = new boolean[events];
        boolean[] dead = new boolean[events];
        for (int i = 0; i < events; i++) {
            ids[i] = random.nextInt(events / 2);
            land[i] = random.nextInt(10) < 6;
            dead[i] = !land[i] && random.nextInt(4) == 0;
            if (land[i]) {
                landedIdentity.merge(ids[i], (long) i, Math::min);
            }
        }
        try (DuckDBAppender captured = db.appender(AuditDatabase.CAPTURED);
                DuckDBAppender rows = db.appender(AuditDatabase.SINK_ROWS);
                DuckDBAppender letters = db.appender(AuditDatabase.DEAD_LETTERS)) {
            for (int i = 0; i < events; i++) {
                change(captured, 0, i, ids[i], "k" + ids[i]);
                if (land[i]) {
                    sinkRow(rows, "silver.orders", "landing", TOPIC, 0, i, "f#" + i);
                } else if (dead[i]) {
                    letters.beginRow().append("orders-silver").append(TOPIC).append(0).append((long) i)
                            .append("r").endRow();
                }
            }
        }
        for (int i = 0; i < events; i++) {
            String fate;
            if (land[i]) {
                fate = "landed";
            } else if (dead[i]) {
                fate = "dead_lettered";
            } else if (landedIdentity.containsKey(ids[i])) {
                fate = "duplicate";
            } else {
                fate = "unexplained";
            }
            expected.put(TOPIC + "/0/" + i, fate);
        }
        FateAssignment.assign(db, 10);
        Map<String, String> actual = new HashMap<>();
        fates().forEach((k, v) -> actual.put(k, v.split(" ")[0]));
        assertThat(actual).isEqualTo(expected);
    }

    private Map<String, String> fates() throws SQLException {
        Map<String, String> m = new HashMap<>();
        try (Statement s = db.connection().createStatement();
                ResultSet rs = s.executeQuery("SELECT topic, \"partition\", \"offset\", fate, detail FROM fates")) {
            while (rs.next()) {
                m.put(rs.getString(1) + "/" + rs.getInt(2) + "/" + rs.getLong(3), rs.getString(4) + " " + rs.getString(5));
            }
        }
        return m;
    }

    private static void change(DuckDBAppender a, int partition, long offset, long id, String key) throws SQLException {
        a.beginRow().append(TOPIC).append(partition).append(offset).append("change").append(key).append(0L).append(id)
                .append(1_000L).appendNull().appendNull().appendNull().endRow();
    }

    private static void quarantined(DuckDBAppender a, int partition, long offset, String rules) throws SQLException {
        a.beginRow().append(QUARANTINE).append(partition).append(offset).append("quarantine").appendNull()
                .appendNull().appendNull().append(1_000L).append(rules).appendNull().appendNull().endRow();
    }

    private static void sinkRow(DuckDBAppender a, String store, String role, String topic, int partition, long offset,
            String position) throws SQLException {
        a.beginRow().append(store).append(role).append(topic).append(partition).append(offset).append(position).endRow();
    }
}
