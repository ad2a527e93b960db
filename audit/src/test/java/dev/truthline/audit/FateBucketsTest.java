package dev.truthline.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.duckdb.DuckDBAppender;
import org.junit.jupiter.api.Test;

/**
 * The fate assignment in buckets gives what it gives in one piece: on randomized stores with every fate, rows that
 * name no captured event, positions landed twice, duplicates whose landed copy is in another bucket, events without
 * identity or key, and rows and dead letters without a position — the whole {@code fates} table and the summary.
 */
class FateBucketsTest extends WithAuditDatabase {

    private static final String TOPIC = "orders.events.v1";
    private static final String QUARANTINE = "orders.events.v1.quarantine";

    @Test
    void bucketedAssignmentEqualsTheUnbucketedOne() throws SQLException {
        stage(new Random(23));

        FateAssignment.create(db, FateBuckets.ONE);
        AuditResult whole = FateAssignment.summarise(db, 10_000);
        List<String> wholeFates = fates();

        // Edges at the staged offsets' quantiles, and edges that leave a bucket empty or split nothing.
        for (FateBuckets buckets : List.of(FateBuckets.forStaged(db, 2), FateBuckets.forStaged(db, 7),
                new FateBuckets(-5, 0, 1, 999, 1_000, 1_500, 1_501, 1_502, 10_000))) {
            FateAssignment.create(db, buckets);
            assertThat(fates()).as("%s", buckets).isEqualTo(wholeFates);
            assertThat(FateAssignment.summarise(db, 10_000)).as("%s", buckets).isEqualTo(whole);
            assertThat(tables()).as("intermediate tables dropped").doesNotContain(FateAssignment.PLACED,
                    FateAssignment.LANDED_IDS);
        }
        assertThat(FateBuckets.forStaged(db, 7).count()).isEqualTo(7);

        // The stores exercise what the buckets could get wrong.
        for (Fate fate : Fate.values()) {
            assertThat(whole.count(fate)).as("%s", fate).isPositive();
        }
        assertThat(whole.extraRows()).isPositive();
        assertThat(whole.rowsLandedTwice()).isPositive();
        assertThat(whole.deadLetteredPerReason()).hasSizeGreaterThan(1);
        assertThat(whole.replayed()).isPositive();
        assertThat(whole.replays()).anyMatch(r -> r.history().contains("; replayed "))
                .anyMatch(r -> r.kind().equals("quarantine"));
        assertThat(whole.replays()).extracting(AuditResult.Replayed::fate).contains(Fate.LANDED, Fate.DEAD_LETTERED);
        assertThat(duplicatesLandedInAnotherBucket(FateBuckets.forStaged(db, 7))).isPositive();
    }

    @Test
    void bucketsGrowWithTheRowsAgainstTheMemoryLimit() {
        long limit = 512L << 20;
        long perBucket = (long) (limit * FateBuckets.SHARE) / FateBuckets.BYTES_PER_ROW;
        assertThat(FateBuckets.count(0, limit)).isEqualTo(1);
        assertThat(FateBuckets.count(perBucket, limit)).isEqualTo(1);
        assertThat(FateBuckets.count(perBucket + 1, limit)).isEqualTo(2);
        assertThat(FateBuckets.count(10 * perBucket, limit)).isEqualTo(10);
        assertThat(FateBuckets.count(10 * perBucket, 2 * limit)).isEqualTo(5);
        assertThatThrownBy(() -> new FateBuckets(5, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMemoryLimitIsReadAsDuckDbHoldsIt() {
        assertThat(db.memoryLimitBytes()).isBetween(60L << 20, 64_000_000L);
        assertThat(AuditDatabase.bytes("512MB")).isEqualTo(512_000_000L);
        assertThat(AuditDatabase.bytes("488.2 MiB")).isEqualTo((long) (488.2 * (1 << 20)));
        assertThat(AuditDatabase.bytes("2GiB")).isEqualTo(2L << 30);
        assertThatThrownBy(() -> AuditDatabase.bytes("80%")).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Three partitions of changes (identities reused across partitions, so a duplicate's landed copy is usually in
     * another bucket), a quarantine topic, dead letters with and without a reason, and sink rows and dead letters
     * that name nothing.
     */
    private void stage(Random random) throws SQLException {
        List<long[]> landedIds = new ArrayList<>();
        // Replays drawn apart, so the rest of the stores are drawn as before.
        Random replays = new Random(29);
        List<String> copies = new ArrayList<>();
        try (DuckDBAppender captured = db.appender(AuditDatabase.CAPTURED);
                DuckDBAppender rows = db.appender(AuditDatabase.SINK_ROWS);
                DuckDBAppender dead = db.appender(AuditDatabase.DEAD_LETTERS)) {
            for (int partition = 0; partition < 3; partition++) {
                for (long offset = 0; offset < 2_000; offset++) {
                    int pick = random.nextInt(100);
                    long[] id = pick < 10 && !landedIds.isEmpty() ? landedIds.get(random.nextInt(landedIds.size()))
                            : new long[] {random.nextLong(), random.nextLong()};
                    boolean noIdentity = pick >= 98;
                    captured.beginRow().append(TOPIC).append(partition).append(offset).append("change");
                    if (random.nextInt(20) == 0) {
                        captured.appendNull();
                    } else {
                        captured.append("Struct{order_id=" + random.nextInt(500) + "}");
                    }
                    if (noIdentity) {
                        captured.appendNull().appendNull();
                    } else {
                        captured.append(id[0]).append(id[1]);
                    }
                    captured.append(1_000L + offset).appendNull();
                    replayOf(captured, replays, copies, partition, offset);
                    captured.endRow();
                    if (pick >= 10 && pick < 80) {
                        row(rows, "landing", TOPIC, partition, offset, "/w/silver/f" + partition + "-" + offset / 100
                                + ".parquet#" + offset % 100);
                        if (pick < 13) {
                            row(rows, "landing", TOPIC, partition, offset, "/w/silver/again.parquet#" + offset);
                        }
                        landedIds.add(id);
                    }
                    if (pick >= 75 && pick < 92) {
                        // Some events both landed and dead-lettered: landed wins.
                        dead.beginRow().append(pick % 2 == 0 ? "orders-silver" : "orders-warehouse").append(TOPIC)
                                .append(partition).append(offset);
                        if (pick % 3 == 0) {
                            dead.appendNull();
                        } else {
                            dead.append("failed rules currency_iso (topic " + TOPIC + ", partition " + partition
                                    + ", offset " + offset + ")");
                        }
                        dead.endRow();
                    }
                }
                // Inside the captured span but never captured (extra), and beyond it (not judged).
                row(rows, "landing", TOPIC, partition, 2_000L + 7, "/w/silver/late.parquet#" + partition);
            }
            for (long offset = 0; offset < 500; offset++) {
                captured.beginRow().append(QUARANTINE).append((int) (offset % 2)).append(offset / 2)
                        .append("quarantine").append("Struct{order_id=" + offset + "}").appendNull().appendNull()
                        .append(1_000L).append(offset % 3 == 0 ? "customer_required,amount_required"
                                : "customer_required").appendNull().appendNull().endRow();
                if (offset % 40 != 3) {
                    row(rows, "quarantine", QUARANTINE, (int) (offset % 2), offset / 2, "/w/q/q.parquet#" + offset);
                }
            }
            // Rows and a dead letter without a position: they name no event.
            rows.beginRow().append("silver.orders").append("landing").appendNull().appendNull().appendNull()
                    .append("/w/silver/odd.parquet#0").endRow();
            dead.beginRow().append("orders-silver").appendNull().appendNull().appendNull().append("no context")
                    .endRow();
        }
        try (Statement s = db.connection().createStatement()) {
            // Extra rows inside the span: events that were never captured.
            s.execute("DELETE FROM captured WHERE kind = 'change' AND \"offset\" IN (500, 1501)");
        }
    }

    /**
     * About one change event in twenty is a replay: of an earlier change (often in another partition, so in another
     * bucket), of a quarantined event, of an earlier copy (a chain), of an event outside the range, or a header that
     * names no position.
     */
    private static void replayOf(DuckDBAppender a, Random random, List<String> copies, int partition, long offset)
            throws SQLException {
        int pick = random.nextInt(100);
        if (pick >= 5 || offset < 10) {
            a.appendNull().appendNull();
            return;
        }
        String of = switch (random.nextInt(5)) {
            case 0 -> QUARANTINE + "/" + random.nextInt(2) + "/" + random.nextInt(250);
            case 1 -> copies.isEmpty() ? TOPIC + "/0/0" : copies.get(random.nextInt(copies.size()));
            case 2 -> random.nextBoolean() ? TOPIC + "/0/99999" : "not/a/position/at all";
            default -> TOPIC + "/" + random.nextInt(partition + 1) + "/" + random.nextInt((int) offset);
        };
        copies.add(TOPIC + "/" + partition + "/" + offset);
        a.append(of).append("replay-" + random.nextInt(3));
    }

    private static void row(DuckDBAppender a, String role, String topic, int partition, long offset, String position)
            throws SQLException {
        a.beginRow().append(role.equals("landing") ? "silver.orders" : "quarantine.orders").append(role).append(topic)
                .append(partition).append(offset).append(position).endRow();
    }

    /** Every row of {@code fates}, in one order. */
    private List<String> fates() throws SQLException {
        List<String> all = new ArrayList<>();
        try (Statement s = db.connection().createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM fates ORDER BY topic, \"partition\", \"offset\"")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
                }
                all.add(row.toString());
            }
        }
        return all;
    }

    /** Duplicates whose landed copy is in another position bucket than their own. */
    private long duplicatesLandedInAnotherBucket(FateBuckets buckets) throws SQLException {
        long n = 0;
        for (int b = 0; b < buckets.count(); b++) {
            try (Statement s = db.connection().createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM (SELECT CAST(split_part(detail, '/', 3) AS "
                            + "BIGINT) AS landed, * FROM fates WHERE fate = 'duplicate' AND "
                            + buckets.position("\"offset\"", b) + ") WHERE NOT (" + buckets.position("landed", b)
                            + ")")) {
                rs.next();
                n += rs.getLong(1);
            }
        }
        return n;
    }

    private List<String> tables() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = db.connection().createStatement();
                ResultSet rs = s.executeQuery("SELECT table_name FROM duckdb_tables()")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
