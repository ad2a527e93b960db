package dev.truthline.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.duckdb.DuckDBAppender;
import org.junit.jupiter.api.Test;

/** The landing latency of each landed event: source time to the commit of its row's data file. */
class LandingLatencyTest extends WithAuditDatabase {

    private static final String TOPIC = "orders.events.v1";

    @Test
    void eachLandedEventIsMeasuredFromItsSourceTimeToItsDataFilesCommit() throws SQLException {
        try (DuckDBAppender captured = db.appender(AuditDatabase.CAPTURED)) {
            change(captured, 0, 1_000L);   // f1, committed at 1,300: 300 ms
            change(captured, 1, 1_000L);   // f2, committed at 3,500: 2.5 s
            change(captured, 2, null);     // f1, no source time: not measured
            change(captured, 3, 2_000L);   // f3, commit unknown: not measured
            change(captured, 4, 1_000L);   // not landed: not a landing latency
            change(captured, 5, 10_000L);  // f1: a source clock ahead, -8.7 s, in the first bucket
        }
        try (DuckDBAppender rows = db.appender(AuditDatabase.SINK_ROWS)) {
            row(rows, 0, "/w/f1.parquet#0");
            row(rows, 1, "/w/f2.parquet#0");
            row(rows, 2, "/w/f1.parquet#1");
            row(rows, 3, "/w/f3.parquet#0");
            row(rows, 5, "/w/f1.parquet#2");
        }
        try (DuckDBAppender files = db.appender(AuditDatabase.DATA_FILES)) {
            files.beginRow().append("silver.orders").append("/w/f1.parquet").append(1_300L).endRow();
            files.beginRow().append("silver.orders").append("/w/f2.parquet").append(3_500L).endRow();
            files.beginRow().append("silver.orders").append("/w/f3.parquet").appendNull().endRow();
        }
        AuditResult result = FateAssignment.assign(db, 10);
        assertThat(result.count(Fate.LANDED)).isEqualTo(5);

        LandingLatency.Histogram h = LandingLatency.measure(db);

        assertThat(h.measured()).isEqualTo(3);
        assertThat(h.unmeasured()).isEqualTo(2);
        assertThat(h.buckets()).hasSize(LandingLatency.BOUNDS_MS.length + 1);
        assertThat(h.buckets().get(0)).isEqualTo(new LandingLatency.Bucket("< 100 ms", 100, 1));
        assertThat(h.buckets().get(2)).isEqualTo(new LandingLatency.Bucket("< 500 ms", 500, 1));
        assertThat(h.buckets().get(5)).isEqualTo(new LandingLatency.Bucket("< 5 s", 5_000, 1));
        assertThat(h.buckets().stream().mapToLong(LandingLatency.Bucket::count).sum()).isEqualTo(3);
        assertThat(h.buckets().get(h.buckets().size() - 1).label()).isEqualTo("≥ 30 min");
        assertThat(h.p50Ms()).isEqualTo(300);
        assertThat(h.maxMs()).isEqualTo(2_500);
    }

    @Test
    void nothingLandedIsNothingMeasured() throws SQLException {
        FateAssignment.assign(db, 10);

        LandingLatency.Histogram h = LandingLatency.measure(db);

        assertThat(h.measured()).isZero();
        assertThat(h.unmeasured()).isZero();
        assertThat(h.p50Ms()).isNull();
    }

    @Test
    void theJsonReportCarriesTheFiguresAndEveryBucket() {
        com.fasterxml.jackson.databind.node.ObjectNode node =
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();

        LandingLatency.json(SampleAudit.latency(), node);

        assertThat(node.path("measured").asLong()).isEqualTo(4_727);
        assertThat(node.path("unmeasured").asLong()).isEqualTo(4);
        assertThat(node.path("p50").asLong()).isEqualTo(980);
        assertThat(node.path("p95").asLong()).isEqualTo(3_400);
        assertThat(node.path("buckets").path("< 1 s").asLong()).isEqualTo(1_905);
        assertThat(node.path("buckets").size()).isEqualTo(LandingLatency.BOUNDS_MS.length + 1);
    }

    @Test
    void durationsReadAsAPersonWouldSayThem() {
        assertThat(LandingLatency.duration(250)).isEqualTo("250 ms");
        assertThat(LandingLatency.duration(2_000)).isEqualTo("2 s");
        assertThat(LandingLatency.duration(8_120)).isEqualTo("8.1 s");
        assertThat(LandingLatency.duration(300_000)).isEqualTo("5 min");
        assertThat(LandingLatency.duration(90_000)).isEqualTo("1.5 min");
    }

    private static void change(DuckDBAppender a, long offset, Long tsMs) throws SQLException {
        a.beginRow().append(TOPIC).append(0).append(offset).append("change").append("{\"order_id\":" + offset + "}")
                .append(offset).append(offset);
        if (tsMs == null) {
            a.appendNull();
        } else {
            a.append(tsMs.longValue());
        }
        a.appendNull().appendNull().appendNull().endRow();
    }

    private static void row(DuckDBAppender a, long offset, String position) throws SQLException {
        a.beginRow().append("silver.orders").append("landing").append(TOPIC).append(0).append(offset).append(position)
                .endRow();
    }
}
