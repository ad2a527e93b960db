package dev.truthline.audit;

import java.sql.Connection;
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

    /**
     * The classification: one row per captured event with its fate, the position or connector that names it, and the
     * rules or reason. Portable SQL (DuckDB, and Spark with {@code spark.sql.ansi.doubleQuotedIdentifiers}): the one
     * text both engines run.
     */
    public static final String FATES_QUERY = """
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
                       min(c.topic || '/' || CAST(c."partition" AS STRING) || '/' || CAST(c."offset" AS STRING))
                           AS landed_at
                FROM captured c JOIN landing l ON l.topic = c.topic AND l."partition" = c."partition"
                     AND l."offset" = c."offset"
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
            """;

    private static final String TWICE_SQL = """
            SELECT min(store), topic, "partition", "offset", %s
            FROM sink_rows WHERE role = 'landing'
            GROUP BY topic, "partition", "offset" HAVING count(*) > 1
            """;

    private static final String ROW_ORDER = " ORDER BY topic, \"partition\", \"offset\"";

    /**
     * Assigns the fates in the embedded DuckDB and summarises them.
     *
     * @param listLimit at most this many unexplained events and rows are listed one by one (all are counted)
     */
    public static AuditResult assign(AuditDatabase db, int listLimit) throws SQLException {
        return onDuckDb(db, engine -> assign(engine, listLimit));
    }

    /**
     * Assigns the fates on {@code engine} (its {@code captured}, {@code sink_rows} and {@code dead_letters} filled)
     * into its table {@code fates}, and summarises them: the same statements on every engine.
     */
    public static AuditResult assign(FateSql engine, int listLimit) throws Exception {
        create(engine);
        return summarise(engine, listLimit);
    }

    /** Fills the embedded DuckDB's table {@code fates}, one row per captured event. */
    static void create(AuditDatabase db) throws SQLException {
        onDuckDb(db, engine -> {
            create(engine);
            return null;
        });
    }

    /** Summarises the embedded DuckDB's table {@code fates}, as it is now. */
    static AuditResult summarise(AuditDatabase db, int listLimit) throws SQLException {
        return onDuckDb(db, engine -> summarise(engine, listLimit));
    }

    /** What is done on an engine. */
    private interface EngineWork<T> {
        T on(FateSql engine) throws Exception;
    }

    private static <T> T onDuckDb(AuditDatabase db, EngineWork<T> work) throws SQLException {
        try {
            return work.on(new DuckDbSql(db.connection()));
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException(e);
        }
    }

    /** Fills {@code engine}'s table {@code fates}, one row per captured event. */
    static void create(FateSql engine) throws Exception {
        engine.materialize(FATES, FATES_QUERY);
    }

    /** Summarises {@code engine}'s table {@code fates}, as it is now. */
    static AuditResult summarise(FateSql engine, int listLimit) throws Exception {
        Map<Fate, Long> counts = new EnumMap<>(Fate.class);
        for (Fate f : Fate.values()) {
            counts.put(f, 0L);
        }
        for (List<Object> row : engine.rows("SELECT fate, count(*) FROM fates GROUP BY fate")) {
            counts.put(Fate.valueOf(((String) row.get(0)).toUpperCase(java.util.Locale.ROOT)), number(row.get(1)));
        }
        Map<String, Long> perRule = grouped(engine, """
                SELECT trim(rule) AS r, count(*) AS n FROM (
                    SELECT %s(split(coalesce(reason, ''), ',')) AS rule FROM fates WHERE fate = 'quarantined') t
                WHERE trim(rule) <> '' GROUP BY trim(rule) ORDER BY n DESC, r""".formatted(engine.explode()));
        // A reason names the failed record's position (ValidateContract: "... (topic t, partition p, offset o)");
        // grouped without it, or every dead letter would be a reason of its own. For display only: the fate itself
        // comes from the context headers' position, never from the text.
        Map<String, Long> perReason = grouped(engine, "SELECT r, count(*) AS n FROM (SELECT detail || ': ' || "
                + shownReason("reason") + " AS r FROM fates WHERE fate = 'dead_lettered') t "
                + "GROUP BY r ORDER BY n DESC, r");
        List<AuditResult.Unexplained> unexplained = new ArrayList<>();
        for (List<Object> row : engine.rows("SELECT topic, \"partition\", \"offset\", kind, \"key\" FROM fates "
                + "WHERE fate = 'unexplained'" + ROW_ORDER + " LIMIT " + listLimit)) {
            unexplained.add(new AuditResult.Unexplained((String) row.get(0), (int) number(row.get(1)),
                    number(row.get(2)), (String) row.get(3), (String) row.get(4)));
        }
        String twice = TWICE_SQL.formatted(engine.joinedInOrder("row_position"));
        // Two rows may name one position (landed twice): their file#row orders them, the same on every engine.
        List<AuditResult.Row> extra = rows(engine, EXTRA_SQL + ROW_ORDER + ", row_position", listLimit);
        long extraCount = count(engine, "SELECT count(*) FROM (" + EXTRA_SQL + ") t");
        List<AuditResult.Row> landedTwice = rows(engine, twice + ROW_ORDER, listLimit);
        long twiceCount = count(engine, "SELECT count(*) FROM (" + twice + ") t");
        return new AuditResult(counts, perRule, perReason, unexplained, extraCount, extra, twiceCount, landedTwice);
    }

    /** SQL: a dead letter's reason without the position it names, or {@code (no reason)}; for display only. */
    static String shownReason(String column) {
        return "coalesce(regexp_replace(" + column + ", ' [(]topic [^)]*[)]', ''), '(no reason)')";
    }

    private static Map<String, Long> grouped(FateSql engine, String sql) throws Exception {
        Map<String, Long> m = new LinkedHashMap<>();
        for (List<Object> row : engine.rows(sql)) {
            m.put((String) row.get(0), number(row.get(1)));
        }
        return m;
    }

    private static long count(FateSql engine, String sql) throws Exception {
        return number(engine.rows(sql).get(0).get(0));
    }

    private static List<AuditResult.Row> rows(FateSql engine, String sql, int limit) throws Exception {
        List<AuditResult.Row> rows = new ArrayList<>();
        for (List<Object> row : engine.rows(sql + " LIMIT " + limit)) {
            rows.add(new AuditResult.Row((String) row.get(0), (String) row.get(1), (int) number(row.get(2)),
                    number(row.get(3)), (String) row.get(4)));
        }
        return rows;
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    /** The embedded DuckDB through JDBC. */
    static final class DuckDbSql implements FateSql {
        private final Connection connection;

        DuckDbSql(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void materialize(String name, String query) throws SQLException {
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE OR REPLACE TABLE " + name + " AS " + query);
            }
        }

        @Override
        public List<List<Object>> rows(String query) throws SQLException {
            List<List<Object>> rows = new ArrayList<>();
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(query)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }

        @Override
        public String explode() {
            return "unnest";
        }

        @Override
        public String joinedInOrder(String column) {
            return "string_agg(" + column + ", ', ' ORDER BY " + column + ")";
        }
    }
}
