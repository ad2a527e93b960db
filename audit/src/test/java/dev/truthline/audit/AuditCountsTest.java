package dev.truthline.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;

import org.duckdb.DuckDBAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events and distinct changes per kind and fate, from hand-made store contents (no Kafka, no Iceberg). */
class AuditCountsTest {

    private static final String TOPIC = "orders.events.v1";
    private static final String QUARANTINE = "orders.events.v1.quarantine";

    @TempDir
    Path spill;

    @Test
    void aChangeAtSeveralPositionsIsOneChange() throws SQLException {
        try (AuditDatabase db = AuditDatabase.open("64MB", spill)) {
            try (DuckDBAppender c = db.appender(AuditDatabase.CAPTURED)) {
                event(c, TOPIC, "change", 0, 0, 11L, 1_000L);   // landed
                event(c, TOPIC, "change", 0, 1, 12L, 1_200L);   // landed
                event(c, TOPIC, "change", 0, 2, 11L, 1_000L);   // the change of offset 0 again: a duplicate
                event(c, TOPIC, "change", 0, 3, 12L, 1_200L);   // the change of offset 1 again, landed too: a copy kept
                event(c, TOPIC, "change", 0, 4, null, null);    // no change event: a change of its own, unexplained
                event(c, TOPIC, "change", 0, 5, null, 900L);    // another, unexplained
                event(c, QUARANTINE, "quarantine", 0, 0, 21L, 2_000L);
                event(c, QUARANTINE, "quarantine", 0, 1, 21L, 2_000L); // re-emitted, quarantined again
                event(c, TOPIC, EarlierCopies.KIND, 0, 9, 11L, 500L);  // read for a partial range: not counted
            }
            try (DuckDBAppender rows = db.appender(AuditDatabase.SINK_ROWS)) {
                row(rows, "silver.orders", "landing", TOPIC, 0);
                row(rows, "silver.orders", "landing", TOPIC, 1);
                row(rows, "silver.orders", "landing", TOPIC, 3);
                row(rows, "quarantine.orders", "quarantine", QUARANTINE, 0);
                row(rows, "quarantine.orders", "quarantine", QUARANTINE, 1);
            }
            FateAssignment.create(db);

            AuditCounts counts = AuditCounts.measure(db, 3);

            assertThat(counts.kind("change")).isEqualTo(new AuditCounts.Counted(6, 4, 900L, 1_200L));
            assertThat(counts.kind("change").repeats()).isEqualTo(2);
            assertThat(counts.kind("quarantine")).isEqualTo(new AuditCounts.Counted(2, 1, 2_000L, 2_000L));
            assertThat(counts.of("change", Fate.LANDED)).as("offsets 0, 1, 3: change 12 landed twice")
                    .isEqualTo(new AuditCounts.Counted(3, 2, null, null));
            assertThat(counts.of("change", Fate.DUPLICATE)).isEqualTo(new AuditCounts.Counted(1, 1, null, null));
            assertThat(counts.of("change", Fate.UNEXPLAINED)).isEqualTo(new AuditCounts.Counted(2, 2, null, null));
            assertThat(counts.of("quarantine", Fate.QUARANTINED)).isEqualTo(new AuditCounts.Counted(2, 1, null, null));
            assertThat(counts.of("quarantine", Fate.DEAD_LETTERED).events()).isZero();
            assertThat(counts.byKind()).doesNotContainKey(EarlierCopies.KIND);
            assertThat(counts.tombstones()).isEqualTo(3);
            assertThat(counts.rowsRead("silver.orders")).isEqualTo(3);
            assertThat(counts.rowsRead("quarantine.orders")).isEqualTo(2);
            assertThat(counts.rowsRead("bronze.orders")).isNull();
        }
    }

    private static void event(DuckDBAppender a, String topic, String kind, int partition, long offset, Long id,
            Long tsMs) throws SQLException {
        a.beginRow().append(topic).append(partition).append(offset).append(kind).append("{\"order_id\":1}");
        if (id == null) {
            a.appendNull().appendNull();
        } else {
            a.append(0L).append(id.longValue());
        }
        if (tsMs == null) {
            a.appendNull();
        } else {
            a.append(tsMs.longValue());
        }
        a.appendNull().appendNull().appendNull().endRow();
    }

    private static void row(DuckDBAppender a, String store, String role, String topic, long offset)
            throws SQLException {
        a.beginRow().append(store).append(role).append(topic).append(0).append(offset).append("f.parquet#" + offset)
                .endRow();
    }
}
