package dev.truthline.audit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How long landed events took to become readable: from the change's time in the source database (the captured
 * event's {@code source.ts_ms}, when the database committed it) to the commit of the Iceberg snapshot that added the
 * landing-table data file holding its row (the {@code data_files} table: a file's data sequence number names that
 * snapshot). That is the delay a reader of the landing table sees, capture, Kafka and the sink's commit interval
 * included; clocks of the database host and the sink's committer both count, so a skewed clock can make it negative
 * (counted in the first bucket).
 */
public final class LandingLatency {

    /** Upper bounds of the buckets, milliseconds (exclusive); one more bucket holds everything slower. */
    static final long[] BOUNDS_MS = {100, 250, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 45_000, 60_000, 120_000,
            300_000, 600_000, 1_800_000};

    /** What the histogram measures, in the reports' words. */
    public static final String MEASURE = "source commit (source.ts_ms) → Iceberg commit of the landing row's data file";

    private LandingLatency() {
    }

    /** One bucket: events with a latency below {@code upToMs} (and at least the previous bucket's bound). */
    public record Bucket(String label, long upToMs, long count) {
    }

    /**
     * The histogram of landed events' latencies.
     *
     * @param buckets    every bucket, in order (the last one open-ended, {@code upToMs} = {@link Long#MAX_VALUE})
     * @param measured   landed events with both times
     * @param unmeasured landed events without one of them (no {@code source.ts_ms}, or a data file whose commit is
     *                   not in the table's history)
     * @param p50Ms      median, or null when nothing was measured
     * @param p95Ms      95th percentile, or null
     * @param maxMs      the slowest, or null
     */
    public record Histogram(List<Bucket> buckets, long measured, long unmeasured, Long p50Ms, Long p95Ms, Long maxMs) {

        /** No landed event measured. */
        public static Histogram empty(long unmeasured) {
            return new Histogram(LandingLatency.buckets(new long[BOUNDS_MS.length + 1]), 0, unmeasured, null, null, null);
        }
    }

    /** Measures the landed events of the {@code fates} table (after {@link FateAssignment#assign}). */
    public static Histogram measure(AuditDatabase db) throws SQLException {
        Connection c = db.connection();
        StringBuilder bucket = new StringBuilder("CASE");
        for (int i = 0; i < BOUNDS_MS.length; i++) {
            bucket.append(" WHEN ms < ").append(BOUNDS_MS[i]).append(" THEN ").append(i);
        }
        bucket.append(" ELSE ").append(BOUNDS_MS.length).append(" END");
        // A position held by several rows (landed twice) counts once, with its first commit.
        String latencies = """
                SELECT min(d.committed_ms) - min(f.ts_ms) AS ms
                FROM fates f
                JOIN sink_rows r ON r.role = 'landing' AND r.topic = f.topic AND r."partition" = f."partition"
                     AND r."offset" = f."offset"
                JOIN data_files d ON d.store = r.store AND d.file = regexp_extract(r.row_position, '^(.*)#[0-9]+$', 1)
                WHERE f.fate = 'landed' AND f.ts_ms IS NOT NULL AND d.committed_ms IS NOT NULL
                GROUP BY f.topic, f."partition", f."offset"
                """;
        long[] counts = new long[BOUNDS_MS.length + 1];
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + bucket + " AS b, count(*) FROM (" + latencies + ") GROUP BY b")) {
            while (rs.next()) {
                counts[rs.getInt(1)] = rs.getLong(2);
            }
        }
        long landed;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM fates WHERE fate = 'landed'")) {
            rs.next();
            landed = rs.getLong(1);
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), quantile_disc(ms, 0.5), quantile_disc(ms, 0.95), max(ms) "
                        + "FROM (" + latencies + ")")) {
            rs.next();
            long measured = rs.getLong(1);
            if (measured == 0) {
                return Histogram.empty(landed);
            }
            return new Histogram(buckets(counts), measured, landed - measured, rs.getLong(2), rs.getLong(3),
                    rs.getLong(4));
        }
    }

    /** The histogram in the JSON report: {@code measured}, {@code unmeasured}, {@code p50}, {@code p95}, {@code max}, and the count per bucket. */
    public static void json(Histogram h, ObjectNode node) {
        node.put("measure", MEASURE).put("measured", h.measured()).put("unmeasured", h.unmeasured())
                .put("p50", h.p50Ms()).put("p95", h.p95Ms()).put("max", h.maxMs());
        ObjectNode buckets = node.putObject("buckets");
        h.buckets().forEach(b -> buckets.put(b.label(), b.count()));
    }

    static List<Bucket> buckets(long[] counts) {
        List<Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            buckets.add(i < BOUNDS_MS.length
                    ? new Bucket("< " + duration(BOUNDS_MS[i]), BOUNDS_MS[i], counts[i])
                    : new Bucket("≥ " + duration(BOUNDS_MS[BOUNDS_MS.length - 1]), Long.MAX_VALUE, counts[i]));
        }
        return buckets;
    }

    /** {@code 250 ms}, {@code 2 s}, {@code 1.5 s}, {@code 5 min}. */
    public static String duration(long ms) {
        if (Math.abs(ms) < 1_000) {
            return ms + " ms";
        }
        if (Math.abs(ms) < 60_000) {
            return ms % 1_000 == 0 ? ms / 1_000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return ms % 60_000 == 0 ? ms / 60_000 + " min" : String.format(java.util.Locale.ROOT, "%.1f min", ms / 60000.0);
    }
}
