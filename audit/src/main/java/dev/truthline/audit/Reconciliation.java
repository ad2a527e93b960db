package dev.truthline.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Current-state reconciliation inside the {@link AuditDatabase}: the source table and the current table, by key,
 * judged against the changes of each key the pipeline rejected. The result stays in the table
 * {@code reconciliation(entity, state, row_lsn, rejected_at, rejected_lsn, reason)}; a summary comes back.
 *
 * <p>A <em>rejected</em> change of a key is one the source quarantined ({@code captured} of kind {@code quarantine})
 * or one the current table's sink dead-lettered ({@code current_dead_letters} names its position); an
 * <em>accepted</em> change is any other captured change of the key. Per key, first match wins:
 * <ul>
 * <li>{@code stale}: the current row was written by a change older than a rejected change of its key, and no accepted
 * change newer than the row exists — the row is a superseded version (or a row whose delete was rejected), judged by
 * version, so also where the compared columns agree (the rejected change may have touched only a column left out,
 * one the source protects); the newest rejected change is named by its Kafka position, source position and rules or
 * reason — exactly what the stale-row view {@code orders_current_truth} marks;</li>
 * <li>{@code equal}: both tables hold the key with the same values in the source's compared columns;</li>
 * <li>{@code absent}: the source holds the key, the current table does not, the key has a rejected change and no
 * accepted change newer than it except a delete — every change that would have written the row was rejected;</li>
 * <li>{@code extra}: the current table holds a key the source does not, and no rejected delete explains it;</li>
 * <li>{@code unexplained}: any other difference — a row changed or deleted in the warehouse by hand, an accepted
 * change that never arrived.</li>
 * </ul>
 * Positions are compared per key by the source position ({@code source.lsn}), which PostgreSQL orders for one row.
 */
public final class Reconciliation {

    /** The reconciliation's table, one row per key of either side. */
    public static final String TABLE = "reconciliation";

    /** Every state a key can be in, in report order. */
    public static final List<String> STATES = List.of("equal", "stale", "absent", "extra", "unexplained");

    private Reconciliation() {
    }

    /** One key in a state: the row's source position, and the rejected change that explains it, if any. */
    public record Key(String entity, String state, Long rowLsn, String rejectedAt, Long rejectedLsn, String reason) {
    }

    /** The counts per state, and up to a limit of keys of each state except {@code equal}. */
    public record Result(Map<String, Long> counts, Map<String, List<Key>> examples, long sourceRows, long currentRows) {

        public long count(String state) {
            return counts.getOrDefault(state, 0L);
        }

        /** 1 when any key is {@code extra} or {@code unexplained}, else 0. */
        public int exitCode() {
            return count("extra") + count("unexplained") == 0 ? AuditResult.EXPLAINED : AuditResult.UNEXPLAINED;
        }
    }

    private static final String SQL = """
            CREATE OR REPLACE TABLE reconciliation AS
            WITH rejected AS (
                SELECT e.entity, e.lsn, e.op, e.topic || '/' || e."partition" || '/' || e."offset" AS rejected_at,
                       'quarantined: ' || coalesce(c.rules, '') AS reason
                FROM captured_entities e JOIN captured c USING (topic, "partition", "offset")
                WHERE e.kind = 'quarantine' AND e.entity IS NOT NULL
                UNION ALL
                SELECT e.entity, e.lsn, e.op, e.topic || '/' || e."partition" || '/' || e."offset",
                       d.connector || ': ' || %s
                FROM captured_entities e JOIN (
                    SELECT topic, "partition", "offset", min(connector) AS connector, min(reason) AS reason
                    FROM current_dead_letters GROUP BY topic, "partition", "offset") d USING (topic, "partition", "offset")
                WHERE e.kind = 'change' AND e.entity IS NOT NULL),
            newest_rejected AS (
                SELECT entity, max(lsn) AS lsn, arg_max(rejected_at, lsn) AS rejected_at, arg_max(reason, lsn) AS reason
                FROM rejected GROUP BY entity),
            accepted AS (
                SELECT entity, max(lsn) AS lsn, arg_max(op, lsn) AS op
                FROM captured_entities e
                WHERE kind = 'change' AND entity IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM current_dead_letters d WHERE d.topic = e.topic AND d."partition" = e."partition"
                        AND d."offset" = e."offset")
                GROUP BY entity),
            keys AS (
                SELECT coalesce(s.entity, t.entity) AS entity, s.entity IS NOT NULL AS in_source,
                       t.entity IS NOT NULL AS in_current, s.vals = t.vals AS same, t.lsn AS row_lsn
                FROM source_rows s FULL OUTER JOIN current_rows t ON s.entity = t.entity)
            SELECT k.entity,
                   CASE
                       WHEN k.in_current AND r.lsn > coalesce(k.row_lsn, -1)
                            AND coalesce(a.lsn, -1) <= coalesce(k.row_lsn, -1) THEN 'stale'
                       WHEN k.in_source AND k.in_current AND k.same THEN 'equal'
                       WHEN k.in_source AND NOT k.in_current AND r.entity IS NOT NULL
                            AND (a.entity IS NULL OR a.lsn < r.lsn AND a.op = 'd') THEN 'absent'
                       WHEN k.in_current AND NOT k.in_source THEN 'extra'
                       ELSE 'unexplained'
                   END AS state,
                   k.row_lsn, r.rejected_at, r.lsn AS rejected_lsn, r.reason
            FROM keys k
            LEFT JOIN newest_rejected r ON r.entity = k.entity
            LEFT JOIN accepted a ON a.entity = k.entity
            """.formatted(FateAssignment.shownReason("d.reason"));

    /** Classifies every key of {@code source_rows} and {@code current_rows}. */
    public static Result run(AuditDatabase db, int listLimit) throws SQLException {
        Connection c = db.connection();
        try (Statement s = c.createStatement()) {
            s.execute(SQL);
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        STATES.forEach(state -> counts.put(state, 0L));
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT state, count(*) FROM reconciliation GROUP BY state")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        Map<String, List<Key>> examples = new LinkedHashMap<>();
        try (PreparedStatement p = c.prepareStatement("""
                SELECT entity, state, row_lsn, rejected_at, rejected_lsn, reason FROM reconciliation
                WHERE state = ? ORDER BY length(entity), entity LIMIT ?""")) {
            for (String state : STATES.subList(1, STATES.size())) {
                p.setString(1, state);
                p.setInt(2, listLimit);
                List<Key> keys = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        boolean explained = !"extra".equals(state) && !"unexplained".equals(state);
                        keys.add(new Key(display(rs.getString(1)), state, (Long) rs.getObject(3),
                                explained ? rs.getString(4) : null, explained ? (Long) rs.getObject(5) : null,
                                explained ? rs.getString(6) : null));
                    }
                }
                examples.put(state, keys);
            }
        }
        return new Result(counts, examples, count(c, "SELECT count(*) FROM source_rows"),
                count(c, "SELECT count(*) FROM current_rows"));
    }

    /** A key as a reader writes it: its columns joined by commas. */
    static String display(String entity) {
        return entity == null ? null : entity.replace(CanonicalText.SEPARATOR, ",");
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
