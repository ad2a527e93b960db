package dev.truthline.audit;

import java.sql.SQLException;
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

    /**
     * The classification: one row per key of either table with its state, the row's source position and the newest
     * rejected change of the key. Portable SQL (DuckDB, and Spark with {@code spark.sql.ansi.doubleQuotedIdentifiers}):
     * the one text both engines run over {@code captured}, {@code captured_entities}, {@code source_rows},
     * {@code current_rows} and {@code current_dead_letters}. Ties (one change rejected twice: a re-emitted copy) are
     * broken by the rejected position's text, so both engines name the same one.
     */
    public static final String QUERY = """
            WITH current_dead AS (
                SELECT topic, "partition", "offset", min(connector) AS connector, min(reason) AS reason
                FROM current_dead_letters GROUP BY topic, "partition", "offset"),
            rejected AS (
                SELECT e.entity, e.lsn,
                       e.topic || '/' || CAST(e."partition" AS STRING) || '/' || CAST(e."offset" AS STRING)
                           AS rejected_at,
                       'quarantined: ' || coalesce(c.rules, '') AS reason
                FROM captured_entities e JOIN captured c ON c.topic = e.topic AND c."partition" = e."partition"
                     AND c."offset" = e."offset"
                WHERE e.kind = 'quarantine' AND e.entity IS NOT NULL
                UNION ALL
                SELECT e.entity, e.lsn,
                       e.topic || '/' || CAST(e."partition" AS STRING) || '/' || CAST(e."offset" AS STRING),
                       d.connector || ': ' || %s
                FROM captured_entities e JOIN current_dead d ON d.topic = e.topic AND d."partition" = e."partition"
                     AND d."offset" = e."offset"
                WHERE e.kind = 'change' AND e.entity IS NOT NULL),
            newest_rejected AS (
                SELECT entity, lsn, rejected_at, reason FROM (
                    SELECT entity, lsn, rejected_at, reason, row_number() OVER (
                        PARTITION BY entity ORDER BY lsn DESC NULLS LAST, rejected_at) AS n
                    FROM rejected) t
                WHERE n = 1),
            accepted AS (
                SELECT entity, lsn, op FROM (
                    SELECT e.entity, e.lsn, e.op, row_number() OVER (
                        PARTITION BY e.entity ORDER BY e.lsn DESC NULLS LAST, e.op) AS n
                    FROM captured_entities e LEFT JOIN current_dead d ON d.topic = e.topic
                         AND d."partition" = e."partition" AND d."offset" = e."offset"
                    WHERE e.kind = 'change' AND e.entity IS NOT NULL AND d.topic IS NULL) t
                WHERE n = 1),
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

    /** Classifies every key of {@code source_rows} and {@code current_rows} in the embedded DuckDB. */
    public static Result run(AuditDatabase db, int listLimit) throws SQLException {
        try {
            return run(new FateAssignment.DuckDbSql(db.connection()), listLimit);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException(e);
        }
    }

    /**
     * Classifies every key on {@code engine} (its input tables filled) into its table {@code reconciliation}, and
     * summarises it: the same statements on every engine.
     */
    public static Result run(FateSql engine, int listLimit) throws Exception {
        engine.materialize(TABLE, QUERY);
        Map<String, Long> counts = new LinkedHashMap<>();
        STATES.forEach(state -> counts.put(state, 0L));
        for (List<Object> row : engine.rows("SELECT state, count(*) FROM reconciliation GROUP BY state")) {
            counts.put((String) row.get(0), number(row.get(1)));
        }
        Map<String, List<Key>> examples = new LinkedHashMap<>();
        for (String state : STATES.subList(1, STATES.size())) {
            boolean explained = !"extra".equals(state) && !"unexplained".equals(state);
            List<Key> keys = new ArrayList<>();
            for (List<Object> r : engine.rows("SELECT entity, state, row_lsn, rejected_at, rejected_lsn, reason "
                    + "FROM reconciliation WHERE state = '" + state + "' ORDER BY length(entity), entity LIMIT "
                    + listLimit)) {
                keys.add(new Key(display((String) r.get(0)), state, lsn(r.get(2)),
                        explained ? (String) r.get(3) : null, explained ? lsn(r.get(4)) : null,
                        explained ? (String) r.get(5) : null));
            }
            examples.put(state, keys);
        }
        return new Result(counts, examples, number(engine.rows("SELECT count(*) FROM source_rows").get(0).get(0)),
                number(engine.rows("SELECT count(*) FROM current_rows").get(0).get(0)));
    }

    /**
     * A captured event's part in the reconciliation ({@code captured_entities}): its key as entity text, its source
     * position ({@code source.lsn}) and operation ({@code op}); from the key and value {@link CapturedEvents#decode}
     * gives, on any engine.
     */
    public record Change(String entity, Long lsn, String op) {

        private static final dev.truthline.connect.core.FieldPath LSN =
                dev.truthline.connect.core.FieldPath.parse("source.lsn");
        private static final dev.truthline.connect.core.FieldPath OP =
                dev.truthline.connect.core.FieldPath.parse("op");

        public static Change of(CapturedEvents.Decoded d) {
            Object lsn = d.value() == null ? null : LSN.get(d.value());
            Object op = d.value() == null ? null : OP.get(d.value());
            return new Change(CanonicalText.entity(d.key()), lsn instanceof Number n ? n.longValue() : null,
                    op == null ? null : op.toString());
        }
    }

    /** Values read from a table (key columns, or compared columns) as the one text the reconciliation compares. */
    public static String canonical(List<?> values) {
        java.util.StringJoiner j = new java.util.StringJoiner(CanonicalText.SEPARATOR);
        values.forEach(v -> j.add(CanonicalText.of(v)));
        return j.toString();
    }

    /** A key as a reader writes it: its columns joined by commas. */
    static String display(String entity) {
        return entity == null ? null : entity.replace(CanonicalText.SEPARATOR, ",");
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    private static Long lsn(Object value) {
        return value == null ? null : number(value);
    }
}
