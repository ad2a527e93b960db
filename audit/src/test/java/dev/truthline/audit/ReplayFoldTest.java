package dev.truthline.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.duckdb.DuckDBAppender;
import org.junit.jupiter.api.Test;

import dev.truthline.connect.core.ReplayHeaders;

/**
 * Replayed records ({@code truthline.replay.of}) fold into the captured event they replay: one row in {@code fates}
 * per event captured once, its fate where its history ends, the history itself; a copy whose original is outside the
 * range stays an event of its own; an event that lands twice through a replay is an unexplained row.
 */
class ReplayFoldTest extends WithAuditDatabase {

    private static final String TOPIC = "orders.events.v1";
    private static final String QUARANTINE = "orders.events.v1.quarantine";
    private static final String R1 = "replay-20261205T041200Z";
    private static final String R2 = "replay-20261212T041200Z";

    private static final String DEAD_REASON = "Record violates contract orders@2: failed rules [status_known]";

    @Test
    void quarantinedThenReplayedAndLandedIsOneLandedEventWithItsHistory() throws SQLException {
        try (DuckDBAppender c = db.appender(AuditDatabase.CAPTURED)) {
            quarantined(c, 0, 7, "status_known");
            change(c, 2, 815, 41, QUARANTINE + "/0/7", R1);
        }
        try (DuckDBAppender rows = db.appender(AuditDatabase.SINK_ROWS)) {
            quarantineRow(rows, 0, 7, "q.parquet#0");
            landed(rows, 2, 815, "f.parquet#3");
        }

        AuditResult result = FateAssignment.assign(db, 10);

        assertThat(result.captured()).isEqualTo(1);
        assertThat(result.fates()).containsEntry(Fate.LANDED, 1L).containsEntry(Fate.QUARANTINED, 0L);
        assertThat(result.quarantinedPerRule()).isEmpty();
        assertThat(result.replayed()).isEqualTo(1);
        assertThat(result.replays()).containsExactly(new AuditResult.Replayed(QUARANTINE, 0, 7, "quarantine",
                Fate.LANDED, "quarantined (status_known) → replayed " + R1 + " as " + TOPIC
                        + "/2/815 → landed silver.orders f.parquet#3"));
        assertThat(fates()).containsExactly(Map.entry(QUARANTINE + "/0/7", "landed silver.orders f.parquet#3"));
        assertThat(result.exitCode()).isEqualTo(AuditResult.EXPLAINED);
    }

    @Test
    void replayedTwiceTheSecondCopyIsADuplicateOfTheFirstAndTheEventCountsOnce() throws SQLException {
        try (DuckDBAppender c = db.appender(AuditDatabase.CAPTURED)) {
            quarantined(c, 0, 7, "status_known");
            change(c, 2, 815, 41, QUARANTINE + "/0/7", R1);
            change(c, 2, 901, 41, QUARANTINE + "/0/7", R2); // dropped by Deduplicate: the same change landed
        }
        try (DuckDBAppender rows = db.appender(AuditDatabase.SINK_ROWS)) {
            quarantineRow(rows, 0, 7, "q.parquet#0");
            landed(rows, 2, 815, "f.parquet#3");
        }

        AuditResult result = FateAssignment.assign(db, 10);

        assertThat(result.captured()).isEqualTo(1);
        assertThat(result.count(Fate.LANDED)).isEqualTo(1);
        assertThat(result.count(Fate.DUPLICATE)).isZero();
        assertThat(result.replays()).singleElement().extracting(AuditResult.Replayed::history).isEqualTo(
                "quarantined (status_known) → replayed " + R1 + " as " + TOPIC + "/2/815 → landed silver.orders "
                        + "f.parquet#3; replayed " + R2 + " as " + TOPIC + "/2/901 → duplicate of " + TOPIC + "/2/815");
        assertThat(result.exitCode()).isEqualTo(AuditResult.EXPLAINED);
    }

    @Test
    void deadLetteredThenReplayedAndLandedIsLanded() throws SQLException {
        try (DuckDBAppender c = db.appender(AuditDatabase.CAPTURED)) {
            change(c, 0, 1, 12, null, null);
            change(c, 0, 30, 12, TOPIC + "/0/1", R1);
        }
        try (DuckDBAppender rows = db.appender(AuditDatabase.SINK_ROWS)) {
            landed(rows, 0, 30, "f.parquet#9");
        }
        try (DuckDBAppender dead = db.appender(AuditDatabase.DEAD_LETTERS)) {
            deadLetter(dead, 1);
        }

        AuditResult result = FateAssignment.assign(db, 10);

        assertThat(result.captured()).isEqualTo(1);
        assertThat(result.count(Fate.LANDED)).isEqualTo(1);
        assertThat(result.count(Fate.DEAD_LETTERED)).isZero();
        assertThat(result.deadLetteredPerReason()).isEmpty();
        assertThat(result.replays()).containsExactly(new AuditResult.Replayed(TOPIC, 0, 1, "change", Fate.LANDED,
                "dead_lettered by orders-silver: " + DEAD_REASON + " → replayed " + R1 + " as " + TOPIC
                        + "/0/30 → landed silver.orders f.parquet#9"));
        assertThat(result.exitCode()).isEqualTo(AuditResult.EXPLAINED);
    }

    @Test
    void replayedAndDeadLetteredAgainEndsDeadLetteredWithTheCopysReason() throws SQLException {
        try (DuckDBAppender c = db.appender(AuditDatabase.CAPTURED)) {
            change(c, 0, 1, 12, null, null);
            change(c, 0, 30, 12, TOPIC + "/0/1", R1);
        }
        try (DuckDBAppender dead = db.appender(AuditDatabase.DEAD_LETTERS)) {
            deadLetter(dead, 1);
            dead.beginRow().append("orders-warehouse").append(TOPIC).append(0).append(30L)
                    .append("still failing (topic " + TOPIC + ", partition 0, offset 30)").endRow();
        }

        AuditResult result = FateAssignment.assign(db, 10);

        assertThat(result.captured()).isEqualTo(1);
        assertThat(result.count(Fate.DEAD_LETTERED)).isEqualTo(1);
        assertThat(result.deadLetteredPerReason()).containsExactly(Map.entry("orders-warehouse: still failing", 1L));
        assertThat(fates()).containsExactly(Map.entry(TOPIC + "/0/1", "dead_lettered orders-warehouse"));
        assertThat(result.replays()).singleElement().extracting(AuditResult.Replayed::history).isEqualTo(
                "dead_lettered by orders-silver: " + DEAD_REASON + " → replayed " + R1 + " as " + TOPIC
                        + "/0/30 → dead_lettered by orders-warehouse: still failing");
        assertThat(result.exitCode()).isEqualTo(AuditResult.EXPLAINED);
    }

    @Test
    void aReplayOfAReplayFoldsIntoTheFirstEventOfTheChain() throws SQLException {
        try (DuckDBAppender c = db.appender(AuditDatabase.CAPTURED)) {
            change(c, 0, 1, 12, null, null);
            change(c, 0, 30, 12, TOPIC + "/0/1", R1);
            change(c, 0, 40, 12, TOPIC + "/0/30", R2);
        }
        try (DuckDBAppender rows = db.appender(AuditDatabase.SINK_ROWS)) {
            landed(rows, 0, 40, "f.parquet#2");
        }
        try (DuckDBAppender dead = db.appender(AuditDatabase.DEAD_LETTERS)) {
            deadLetter(dead, 1);
            deadLetter(dead, 30);
        }

        AuditResult result = FateAssignment.assign(db, 10);

        assertThat(result.captured()).isEqualTo(1);
        assertThat(fates()).containsExactly(Map.entry(TOPIC + "/0/1", "landed silver.orders f.parquet#2"));
        assertThat(result.replays()).singleElement().extracting(AuditResult.Replayed::history).isEqualTo(
                "dead_lettered by orders-silver: " + DEAD_REASON + " → replayed " + R1 + " as " + TOPIC
                        + "/0/30 → dead_lettered by orders-silver: " + DEAD_REASON + "; replayed " + R2 + " as "
                        + TOPIC + "/0/40 → landed silver.orders f.parquet#2");
    }

    @Test
    void aCopyThatVanishedLeavesTheEventUnexplained() throws SQLException {
        try (DuckDBAppender c = db.appender(AuditDatabase.CAPTURED)) {
            quarantined(c, 0, 7, "status_known");
            change(c, 0, 30, 12, QUARANTINE + "/0/7", R1);
        }
        try (DuckDBAppender rows = db.appender(AuditDatabase.SINK_ROWS)) {
            quarantineRow(rows, 0, 7, "q.parquet#0");
        }

        AuditResult result = FateAssignment.assign(db, 10);

        assertThat(result.captured()).isEqualTo(1);
        assertThat(result.unexplained()).containsExactly(
                new AuditResult.Unexplained(QUARANTINE, 0, 7, "quarantine", null));
        assertThat(result.replays()).singleElement().extracting(AuditResult.Replayed::history).isEqualTo(
                "quarantined (status_known) → replayed " + R1 + " as " + TOPIC + "/0/30 → unexplained");
        assertThat(result.exitCode()).isEqualTo(AuditResult.UNEXPLAINED);
    }

    @Test
    void aCopyWhoseOriginalIsOutsideTheRangeIsAnEventOfItsOwn() throws SQLException {
        try (DuckDBAppender c = db.appender(AuditDatabase.CAPTURED)) {
            change(c, 0, 30, 12, TOPIC + "/0/1", R1);   // 0/1 is before the range
            change(c, 0, 31, 13, "not a position", R1); // a header that names nothing
            change(c, 0, 32, 15, TOPIC + "/0/33", R1);  // two headers naming each other: no first event
            change(c, 0, 33, 16, TOPIC + "/0/32", R1);
        }
        try (DuckDBAppender rows = db.appender(AuditDatabase.SINK_ROWS)) {
            landed(rows, 0, 30, "f.parquet#0");
            landed(rows, 0, 31, "f.parquet#1");
            landed(rows, 0, 32, "f.parquet#2");
            landed(rows, 0, 33, "f.parquet#3");
        }

        AuditResult result = FateAssignment.assign(db, 10);

        assertThat(result.captured()).isEqualTo(4);
        assertThat(result.replayed()).isZero();
        assertThat(result.replays()).isEmpty();
        assertThat(fates()).containsEntry(TOPIC + "/0/30", "landed silver.orders f.parquet#0")
                .containsEntry(TOPIC + "/0/31", "landed silver.orders f.parquet#1");
        assertThat(result.exitCode()).isEqualTo(AuditResult.EXPLAINED);
    }

    @Test
    void aCopyThatLandedAlthoughItsOriginalHadLandedIsAnUnexplainedRow() throws SQLException {
        try (DuckDBAppender c = db.appender(AuditDatabase.CAPTURED)) {
            change(c, 0, 3, 14, null, null);
            change(c, 0, 30, 14, TOPIC + "/0/3", R1); // Deduplicate let it through
        }
        try (DuckDBAppender rows = db.appender(AuditDatabase.SINK_ROWS)) {
            landed(rows, 0, 3, "f.parquet#0");
            landed(rows, 0, 30, "g.parquet#5");
        }

        AuditResult result = FateAssignment.assign(db, 10);

        assertThat(result.captured()).isEqualTo(1);
        assertThat(result.count(Fate.LANDED)).isEqualTo(1);
        assertThat(fates()).containsExactly(Map.entry(TOPIC + "/0/3", "landed silver.orders f.parquet#0"));
        assertThat(result.rowsLandedTwice()).isEqualTo(1);
        assertThat(result.landedTwice()).containsExactly(
                new AuditResult.Row("silver.orders", TOPIC, 0, 3, "f.parquet#0, g.parquet#5"));
        assertThat(result.replays()).singleElement().extracting(AuditResult.Replayed::history).isEqualTo(
                "landed silver.orders f.parquet#0 → replayed " + R1 + " as " + TOPIC
                        + "/0/30 → landed silver.orders g.parquet#5");
        assertThat(result.exitCode()).isEqualTo(AuditResult.UNEXPLAINED);
    }

    @Test
    void eventsWithoutReplaysKeepTheirFatesBesideFoldedOnes() throws SQLException {
        try (DuckDBAppender c = db.appender(AuditDatabase.CAPTURED)) {
            change(c, 0, 0, 11, null, null);          // landed
            change(c, 0, 1, 12, null, null);          // dead-lettered, replayed, landed
            change(c, 0, 2, 11, null, null);          // a duplicate of 0/0
            quarantined(c, 0, 7, "status_known");     // quarantined, never replayed
            change(c, 0, 30, 12, TOPIC + "/0/1", R1);
        }
        try (DuckDBAppender rows = db.appender(AuditDatabase.SINK_ROWS)) {
            landed(rows, 0, 0, "f.parquet#0");
            quarantineRow(rows, 0, 7, "q.parquet#0");
            landed(rows, 0, 30, "f.parquet#1");
        }
        try (DuckDBAppender dead = db.appender(AuditDatabase.DEAD_LETTERS)) {
            deadLetter(dead, 1);
        }

        AuditResult result = FateAssignment.assign(db, 10);

        assertThat(result.captured()).isEqualTo(4);
        assertThat(fates()).containsExactly(Map.entry(TOPIC + "/0/0", "landed silver.orders f.parquet#0"),
                Map.entry(TOPIC + "/0/1", "landed silver.orders f.parquet#1"),
                Map.entry(TOPIC + "/0/2", "duplicate " + TOPIC + "/0/0"),
                Map.entry(QUARANTINE + "/0/7", "quarantined quarantine.orders q.parquet#0"));
        assertThat(result.replayed()).isEqualTo(1);
        assertThat(result.exitCode()).isEqualTo(AuditResult.EXPLAINED);
        assertThat(tables()).doesNotContain(ReplayFold.LINKS, ReplayFold.MEMBERS, ReplayFold.REPLAYED,
                ReplayFold.LINKS + "_0");
    }

    @Test
    void capturedEventsReadTheReplayHeaders() throws SQLException {
        CapturedEvents events = new CapturedEvents(false, false, "dq.rules");
        byte[] value = "{\"op\":\"u\",\"source\":{\"lsn\":7,\"ts_ms\":1}}".getBytes(StandardCharsets.UTF_8);
        RecordHeaders replay = new RecordHeaders();
        replay.add(ReplayHeaders.OF, (QUARANTINE + "/0/7").getBytes(StandardCharsets.UTF_8));
        replay.add(ReplayHeaders.ID, R1.getBytes(StandardCharsets.UTF_8));
        try (DuckDBAppender c = db.appender(AuditDatabase.CAPTURED)) {
            events.append(c, null, record(30, value, replay), CapturedEvents.CHANGE);
            events.append(c, null, record(31, value, new RecordHeaders()), CapturedEvents.CHANGE);
        }
        Map<Long, String> read = new LinkedHashMap<>();
        try (Statement s = db.connection().createStatement();
                ResultSet rs = s.executeQuery("SELECT \"offset\", replay_of, replay_id FROM captured ORDER BY 1")) {
            while (rs.next()) {
                read.put(rs.getLong(1), rs.getString(2) + " " + rs.getString(3));
            }
        }
        assertThat(read).containsExactly(Map.entry(30L, QUARANTINE + "/0/7 " + R1), Map.entry(31L, "null null"));
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(TOPIC, 0, offset, ConsumerRecord.NO_TIMESTAMP, TimestampType.NO_TIMESTAMP_TYPE,
                ConsumerRecord.NULL_SIZE, value.length, "{\"order_id\":1}".getBytes(StandardCharsets.UTF_8), value,
                headers, java.util.Optional.empty());
    }

    /** Each row of {@code fates} as {@code position → fate detail}, in position order. */
    private Map<String, String> fates() throws SQLException {
        Map<String, String> m = new LinkedHashMap<>();
        try (Statement s = db.connection().createStatement();
                ResultSet rs = s.executeQuery("SELECT topic, \"partition\", \"offset\", fate, detail FROM fates "
                        + "ORDER BY topic, \"partition\", \"offset\"")) {
            while (rs.next()) {
                m.put(rs.getString(1) + "/" + rs.getInt(2) + "/" + rs.getLong(3), rs.getString(4) + " " + rs.getString(5));
            }
        }
        return m;
    }

    private java.util.List<String> tables() throws SQLException {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (Statement s = db.connection().createStatement();
                ResultSet rs = s.executeQuery("SELECT table_name FROM duckdb_tables()")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** A change event with identity {@code (0, id)}; {@code replayOf} and {@code replayId} its replay headers. */
    private static void change(DuckDBAppender a, int partition, long offset, long id, String replayOf,
            String replayId) throws SQLException {
        a.beginRow().append(TOPIC).append(partition).append(offset).append("change").append("{\"order_id\":" + id + "}")
                .append(0L).append(id).append(1_000L).appendNull();
        text(a, replayOf);
        text(a, replayId);
        a.endRow();
    }

    private static void quarantined(DuckDBAppender a, int partition, long offset, String rules) throws SQLException {
        a.beginRow().append(QUARANTINE).append(partition).append(offset).append("quarantine").appendNull()
                .appendNull().appendNull().append(1_000L).append(rules).appendNull().appendNull().endRow();
    }

    private static void text(DuckDBAppender a, String text) throws SQLException {
        if (text == null) {
            a.appendNull();
        } else {
            a.append(text);
        }
    }

    private static void landed(DuckDBAppender a, int partition, long offset, String position) throws SQLException {
        a.beginRow().append("silver.orders").append("landing").append(TOPIC).append(partition).append(offset)
                .append(position).endRow();
    }

    private static void quarantineRow(DuckDBAppender a, int partition, long offset, String position)
            throws SQLException {
        a.beginRow().append("quarantine.orders").append("quarantine").append(QUARANTINE).append(partition)
                .append(offset).append(position).endRow();
    }

    private static void deadLetter(DuckDBAppender a, long offset) throws SQLException {
        a.beginRow().append("orders-silver").append(TOPIC).append(0).append(offset)
                .append(DEAD_REASON + " (topic " + TOPIC + ", partition 0, offset " + offset + ")").endRow();
    }
}
