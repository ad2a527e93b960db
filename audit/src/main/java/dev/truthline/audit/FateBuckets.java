package dev.truthline.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * How the fate assignment is cut into pieces so that no operator holds more than a piece's rows, and the predicate
 * that picks one piece. A statement by position takes the events, sink rows and dead letters whose Kafka offset lies
 * in the bucket's range of offsets (edges drawn at quantiles of all staged offsets, so the buckets hold about as many
 * rows each however the partitions' offsets are spread; one position is always in one bucket on both sides of a join;
 * and as the readers stage each partition in offset order, DuckDB skips the blocks outside the range); a statement by
 * identity takes the events whose {@code ChangeIdentity} is in the bucket (by its low half, which is uniformly
 * spread). Sink rows and dead letters without an offset name no position: they are in no bucket, as they matched no
 * event before.
 *
 * <p>The count comes from the staged rows and DuckDB's memory limit: each bucket's share of them times
 * {@link #BYTES_PER_ROW} stays within {@link #SHARE} of the limit. The engine spills an operator that outgrows it
 * anyway; what its documentation says may still run out of memory — several blocking operators of one statement at
 * once, aggregates whose states hold text ({@code string_agg}, ordered aggregates) — is what the buckets keep small.
 */
final class FateBuckets {

    /** One bucket: every row (an engine that assigns in one piece, or a range that fits). */
    static final FateBuckets ONE = new FateBuckets();

    /**
     * DuckDB memory a bucket's statement may need per staged row (captured event, sink row or dead letter): an
     * estimate, not a measurement of each operator — the heaviest step is the position join, whose three aggregated
     * build sides (landing, quarantine, dead letters, with their row positions as text) are held at once; with it, 10
     * million events fit 512MB in 32 buckets ({@code FateAssignmentScale}).
     */
    static final long BYTES_PER_ROW = 400;

    /** The part of DuckDB's memory limit one bucket is planned to fill; the rest is for scans and the result. */
    static final double SHARE = 0.5;

    /** Offsets where a position bucket ends and the next begins, ascending; none for one bucket. */
    private final long[] edges;
    /** The number of identity buckets. */
    private final int identities;

    /** Position buckets split at {@code edges} (ascending, distinct); as many identity buckets. */
    FateBuckets(long... edges) {
        this(edges.length + 1, edges);
    }

    private FateBuckets(int identities, long... edges) {
        for (int i = 1; i < edges.length; i++) {
            if (edges[i] <= edges[i - 1]) {
                throw new IllegalArgumentException("edges must ascend: " + java.util.Arrays.toString(edges));
            }
        }
        if (identities < 1) {
            throw new IllegalArgumentException("identity buckets: " + identities);
        }
        this.edges = edges.clone();
        this.identities = identities;
    }

    /** The number of position buckets. */
    int count() {
        return edges.length + 1;
    }

    /** The number of identity buckets. */
    int identities() {
        return identities;
    }

    /** These position buckets with {@code count} identity buckets. */
    FateBuckets withIdentities(int count) {
        return new FateBuckets(count, edges);
    }

    /** The buckets for the rows staged in {@code db}, within its memory limit. */
    static FateBuckets forStaged(AuditDatabase db) throws SQLException {
        long rows;
        try (Statement s = db.connection().createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM " + AuditDatabase.CAPTURED + ") + (SELECT "
                        + "count(*) FROM " + AuditDatabase.SINK_ROWS + ") + (SELECT count(*) FROM "
                        + AuditDatabase.DEAD_LETTERS + ")")) {
            rs.next();
            rows = rs.getLong(1);
        }
        return forStaged(db, count(rows, db.memoryLimitBytes()));
    }

    /**
     * {@code count} buckets (fewer when the staged offsets have fewer distinct quantiles) for the rows staged in
     * {@code db}: the edges at quantiles of every staged offset (DuckDB's {@code approx_quantile}, a sketch of
     * bounded size).
     */
    static FateBuckets forStaged(AuditDatabase db, int count) throws SQLException {
        if (count == 1) {
            return ONE;
        }
        StringBuilder quantiles = new StringBuilder();
        for (int i = 1; i < count; i++) {
            quantiles.append(i == 1 ? "" : ", ").append((double) i / count);
        }
        List<Long> edges = new ArrayList<>();
        try (Statement s = db.connection().createStatement();
                ResultSet rs = s.executeQuery("SELECT DISTINCT unnest(approx_quantile(\"offset\", [" + quantiles
                        + "])) AS edge FROM (SELECT \"offset\" FROM " + AuditDatabase.CAPTURED
                        + " UNION ALL SELECT \"offset\" FROM " + AuditDatabase.SINK_ROWS
                        + " UNION ALL SELECT \"offset\" FROM " + AuditDatabase.DEAD_LETTERS + ") t ORDER BY edge")) {
            while (rs.next()) {
                long edge = rs.getLong(1);
                if (!rs.wasNull()) {
                    edges.add(edge);
                }
            }
        }
        return new FateBuckets(edges.stream().mapToLong(Long::longValue).toArray());
    }

    /** How many buckets {@code rows} staged rows need within {@code memoryLimitBytes}. */
    static int count(long rows, long memoryLimitBytes) {
        long perBucket = Math.max(1, (long) (memoryLimitBytes * SHARE) / BYTES_PER_ROW);
        long count = (rows + perBucket - 1) / perBucket;
        return (int) Math.max(1, Math.min(10_000, count));
    }

    /** SQL: {@code column} (an offset) is in {@code bucket}'s range. */
    String position(String column, int bucket) {
        if (edges.length == 0) {
            return column + " IS NOT NULL";
        }
        if (bucket == 0) {
            return column + " < " + edges[0];
        }
        if (bucket == edges.length) {
            return column + " >= " + edges[bucket - 1];
        }
        return "(" + column + " >= " + edges[bucket - 1] + " AND " + column + " < " + edges[bucket] + ")";
    }

    /** SQL: {@code column} (an identity's low half, null without one: bucket 0) is in {@code bucket}. */
    String identity(String column, int bucket) {
        int n = identities;
        if (n == 1) {
            return "TRUE";
        }
        // SQL's % keeps the dividend's sign (on both engines): shifted into 0..n-1.
        return "(coalesce(" + column + ", 0) % " + n + " + " + n + ") % " + n + " = " + bucket;
    }

    @Override
    public String toString() {
        return count() + " position buckets split at " + java.util.Arrays.toString(edges) + ", " + identities
                + " identity buckets";
    }
}
