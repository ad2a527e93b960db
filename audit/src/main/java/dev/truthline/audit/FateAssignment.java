package dev.truthline.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives every captured event exactly one fate, as a join inside the {@link AuditDatabase}; the result stays in its
 * table {@code fates(topic, partition, offset, kind, key, fate, detail)} for the outputs, and a summary comes back.
 *
 * <p>Precedence, first match wins: a quarantine event that is a row of the quarantine table is {@code quarantined};
 * a change event that is a row of the landing table is {@code landed}; an event a dead-letter record names is
 * {@code dead_lettered}; a change event whose {@code ChangeIdentity} is that of a landed event is a
 * {@code duplicate} of it; anything else is {@code unexplained}. Positions are Kafka's (topic, partition, offset),
 * which the sinks' provenance columns carry, so no event is matched by its content.
 *
 * <p>Rows of the landing table that name no captured event — inside the offset range the captured events span per
 * partition, so a partial range is not blamed for rows outside it — are {@code extra}; a position held by more than
 * one landing row is {@code landed more than once}. Both count as unexplained rows.
 */
public final class FateAssignment {

    /** Table of the fates, one row per captured event. */
    public static final String FATES = "fates";

    private FateAssignment() {
    }

    private static final String FATES_SQL = """
            CREATE OR REPLACE TABLE fates AS
            WITH landing AS (
                SELECT topic, "partition", "offset", min(store) AS store, min(row_position) AS row_position
                FROM sink_rows WHERE role = 'landing' GROUP BY topic, "partition", "offset"),
            quarantine AS (
                SELECT topic, "partition", "offset", min(store) AS store, min(row_position) AS row_position
                FROM sink_rows WHERE role = 'quarantine' GROUP BY topic, "partition", "offset"),
            dead AS (
                SELECT topic, "partition", "offset", min(connector) AS connector, min(reason) AS reason
                FROM dead_letters GROUP BY topic, "partition", "offset"),
            landed_ids AS (
                SELECT c.id_hi, c.id_lo,
                       min(c.topic || '/' || c."partition" || '/' || c."offset") AS landed_at
                FROM captured c JOIN landing l USING (topic, "partition", "offset")
                WHERE c.kind = 'change' AND c.id_hi IS NOT NULL
                GROUP BY c.id_hi, c.id_lo)
            SELECT c.topic, c."partition", c."offset", c.kind, c."key", c.ts_ms,
                   CASE
                       WHEN c.kind = 'quarantine' AND q.topic IS NOT NULL THEN 'quarantined'
                       WHEN c.kind = 'change' AND l.topic IS NOT NULL THEN 'landed'
                       WHEN d.topic IS NOT NULL THEN 'dead_lettered'
                       WHEN c.kind = 'change' AND i.landed_at IS NOT NULL THEN 'duplicate'
                       ELSE 'unexplained'
                   END AS fate,
                   CASE
                       WHEN c.kind = 'quarantine' AND q.topic IS NOT NULL THEN q.store || ' ' || q.row_position
                       WHEN c.kind = 'change' AND l.topic IS NOT NULL THEN l.store || ' ' || l.row_position
                       WHEN d.topic IS NOT NULL THEN d.connector
                       WHEN c.kind = 'change' AND i.landed_at IS NOT NULL THEN i.landed_at
                       ELSE NULL
                   END AS detail,
                   CASE
                       WHEN c.kind = 'quarantine' AND q.topic IS NOT NULL THEN c.rules
                       WHEN c.kind = 'change' AND l.topic IS NOT NULL THEN NULL
                       WHEN d.topic IS NOT NULL THEN d.reason
                       ELSE NULL
                   END AS reason
            FROM captured c
            LEFT JOIN landing l ON c.kind = 'change' AND l.topic = c.topic AND l."partition" = c."partition"
                 AND l."offset" = c."offset"
            LEFT JOIN quarantine q ON c.kind = 'quarantine' AND q.topic = c.topic AND q."partition" = c."partition"
                 AND q."offset" = c."offset"
            LEFT JOIN dead d ON d.topic = c.topic AND d."partition" = c."partition" AND d."offset" = c."offset"
            LEFT JOIN landed_ids i ON c.kind = 'change' AND i.id_hi = c.id_hi AND i.id_lo = c.id_lo
            """;

    private static final String EXTRA_SQL = """
            WITH spans AS (
                SELECT topic, "partition", min("offset") AS lo, max("offset") AS hi
                FROM captured WHERE kind = 'change' GROUP BY topic, "partition")
            SELECT r.store, r.topic, r."partition", r."offset", r.row_position
            FROM sink_rows r JOIN spans s ON s.topic = r.topic AND s."partition" = r."partition"
                 AND r."offset" BETWEEN s.lo AND s.hi
            WHERE r.role = 'landing' AND NOT EXISTS (
                SELECT 1 FROM captured c WHERE c.kind = 'change' AND c.topic = r.topic
                    AND c."partition" = r."partition" AND c."offset" = r."offset")
            ORDER BY r.topic, r."partition", r."offset"
            """;

    private static final String TWICE_SQL = """
            SELECT min(store), topic, "partition", "offset", string_agg(row_position, ', ' ORDER BY row_position)
            FROM sink_rows WHERE role = 'landing'
            GROUP BY topic, "partition", "offset" HAVING count(*) > 1
            ORDER BY topic, "partition", "offset"
            """;

    /**
     * Assigns the fates and summarises them.
     *
     * @param listLimit at most this many unexplained events and rows are listed one by one (all are counted)
     */
    public static AuditResult assign(AuditDatabase db, int listLimit) throws SQLException {
        create(db);
        return summarise(db, listLimit);
    }

    /** Fills the table {@code fates}, one row per captured event. */
    static void create(AuditDatabase db) throws SQLException {
        try (Statement s = db.connection().createStatement()) {
            s.execute(FATES_SQL);
        }
    }

    /** Summarises the table {@code fates}, as it is now. */
    static AuditResult summarise(AuditDatabase db, int listLimit) throws SQLException {
        Connection c = db.connection();
        Map<Fate, Long> counts = new EnumMap<>(Fate.class);
        for (Fate f : Fate.values()) {
            counts.put(f, 0L);
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT fate, count(*) FROM fates GROUP BY fate")) {
            while (rs.next()) {
                counts.put(Fate.valueOf(rs.getString(1).toUpperCase(java.util.Locale.ROOT)), rs.getLong(2));
            }
        }
        Map<String, Long> perRule = grouped(c, """
                SELECT trim(rule) AS r, count(*) FROM (
                    SELECT unnest(string_split(coalesce(reason, ''), ',')) AS rule FROM fates WHERE fate = 'quarantined')
                WHERE trim(rule) <> '' GROUP BY r ORDER BY count(*) DESC, r""");
        // A reason names the failed record's position (ValidateContract: "... (topic t, partition p, offset o)");
        // grouped without it, or every dead letter would be a reason of its own. For display only: the fate itself
        // comes from the context headers' position, never from the text.
        Map<String, Long> perReason = grouped(c, "SELECT detail || ': ' || " + shownReason("reason") + """
                 AS r, count(*) FROM fates
                WHERE fate = 'dead_lettered' GROUP BY r ORDER BY count(*) DESC, r""");
        List<AuditResult.Unexplained> unexplained = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("""
                SELECT topic, "partition", "offset", kind, "key" FROM fates WHERE fate = 'unexplained'
                ORDER BY topic, "partition", "offset" LIMIT ?""")) {
            p.setInt(1, listLimit);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    unexplained.add(new AuditResult.Unexplained(rs.getString(1), rs.getInt(2), rs.getLong(3),
                            rs.getString(4), rs.getString(5)));
                }
            }
        }
        List<AuditResult.Row> extra = rows(c, EXTRA_SQL, listLimit);
        long extraCount = count(c, "SELECT count(*) FROM (" + EXTRA_SQL + ")");
        List<AuditResult.Row> twice = rows(c, TWICE_SQL, listLimit);
        long twiceCount = count(c, "SELECT count(*) FROM (" + TWICE_SQL + ")");
        return new AuditResult(counts, perRule, perReason, unexplained, extraCount, extra, twiceCount, twice);
    }

    /** SQL: a dead letter's reason without the position it names, or {@code (no reason)}; for display only. */
    static String shownReason(String column) {
        return "coalesce(regexp_replace(" + column + ", ' \\(topic [^)]*\\)', ''), '(no reason)')";
    }

    private static Map<String, Long> grouped(Connection c, String sql) throws SQLException {
        Map<String, Long> m = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getLong(2));
            }
        }
        return m;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<AuditResult.Row> rows(Connection c, String sql, int limit) throws SQLException {
        List<AuditResult.Row> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql + " LIMIT " + limit)) {
            while (rs.next()) {
                rows.add(new AuditResult.Row(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4),
                        rs.getString(5)));
            }
        }
        return rows;
    }
}
