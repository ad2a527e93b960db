package dev.truthline.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How many pieces the fate assignment is cut into so that no operator holds more than a piece's rows, and the
 * predicate that picks one piece. A statement by position takes the events, sink rows and dead letters whose Kafka
 * offset is in the bucket ({@code "offset" % count = bucket}: a partition's offsets are consecutive, so every bucket
 * gets its share of every partition, and one position is always in one bucket on both sides of a join); a statement
 * by identity takes the events whose {@code ChangeIdentity} is in the bucket (by its low half, which is uniformly
 * spread). Sink rows and dead letters without an offset name no position: they are in no bucket, as they matched no
 * event before.
 *
 * <p>The count comes from the staged rows and DuckDB's memory limit: each bucket's share of them times
 * {@link #BYTES_PER_ROW} stays within {@link #SHARE} of the limit. The engine spills an operator that outgrows it
 * anyway; what it cannot spill — the group states of text aggregates ({@code min} of a text, {@code string_agg}), and
 * several blocking operators of one statement at once — is what the buckets keep small.
 *
 * @param count the number of buckets, at least 1
 */
record FateBuckets(int count) {

    /** One bucket: every row (an engine that assigns in one piece, or a range that fits). */
    static final FateBuckets ONE = new FateBuckets(1);

    /**
     * DuckDB memory a bucket's statement may need per staged row (captured event, sink row or dead letter): measured
     * with DuckDB's profiler (peak buffer memory of each step) on synthetic stores shaped as {@code AuditThroughput}'s,
     * rounded up; the heaviest step is the position join, whose three aggregated build sides (landing, quarantine,
     * dead letters, with their row positions as text) are held at once.
     */
    static final long BYTES_PER_ROW = 400;

    /** The part of DuckDB's memory limit one bucket is planned to fill; the rest is for scans and the result. */
    static final double SHARE = 0.5;

    FateBuckets {
        if (count < 1) {
            throw new IllegalArgumentException("buckets: " + count);
        }
    }

    /** The buckets for the rows staged in {@code db}, within its memory limit. */
    static FateBuckets forStaged(AuditDatabase db) throws SQLException {
        try (Statement s = db.connection().createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM " + AuditDatabase.CAPTURED + ") + (SELECT "
                        + "count(*) FROM " + AuditDatabase.SINK_ROWS + ") + (SELECT count(*) FROM "
                        + AuditDatabase.DEAD_LETTERS + ")")) {
            rs.next();
            return of(rs.getLong(1), db.memoryLimitBytes());
        }
    }

    /** The buckets for {@code rows} staged rows within {@code memoryLimitBytes}. */
    static FateBuckets of(long rows, long memoryLimitBytes) {
        long perBucket = Math.max(1, (long) (memoryLimitBytes * SHARE) / BYTES_PER_ROW);
        long count = (rows + perBucket - 1) / perBucket;
        return new FateBuckets((int) Math.max(1, Math.min(Integer.MAX_VALUE, count)));
    }

    /** SQL: {@code column} (an offset) is in {@code bucket}. */
    String position(String column, int bucket) {
        return column + " % " + count + " = " + bucket;
    }

    /** SQL: {@code column} (an identity's low half, null without one: bucket 0) is in {@code bucket}. */
    String identity(String column, int bucket) {
        // SQL's % keeps the dividend's sign (on both engines): shifted into 0..count-1.
        return "(coalesce(" + column + ", 0) % " + count + " + " + count + ") % " + count + " = " + bucket;
    }
}
