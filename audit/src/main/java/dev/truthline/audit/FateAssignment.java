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
 * Gives every captured event exactly one fate, as joins inside the {@link AuditDatabase}; the result stays in its
 * table {@code fates(topic, partition, offset, kind, key, ts_ms, fate, detail, reason, history)} for the outputs, and a
 * summary comes back.
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
 *
 * <p>A record {@code truthline replay} wrote is folded into the captured event it replays ({@link ReplayFold}): that
 * event keeps one row, with the fate its history ends in and the history ({@code history}, null on every other row).
 *
 * <p><b>Memory.</b> The assignment is a few statements, each a table made in buckets ({@link FateBuckets}): the
 * position joins (landing, quarantine, dead letters; extra rows, rows landed twice) one bucket of offsets at a time,
 * the duplicate join one bucket of identities at a time. No operator then holds more than a bucket's rows, and the
 * number of buckets grows with the staged rows against DuckDB's memory limit: what grows with the range is the
 * database file, not memory. The statements are the same text on every engine; an engine that assigns in one piece
 * (Spark) runs them with one bucket.
 */
public final class FateAssignment {

    /** Table of the fates, one row per captured event. */
    public static final String FATES = "fates";
    /** Each captured event with the fate its position shows (landed, quarantined, dead-lettered) or none yet. */
    static final String PLACED = "placed";
    /** Each identity of an unplaced change event that a landed change event has, with the first position that landed it. */
    static final String LANDED_IDS = "landed_ids";
    /** Per change-topic partition, the span of captured offsets. */
    static final String SPANS = "spans";
    /** The landing rows inside the captured span that name no captured event. */
    static final String EXTRA_ROWS = "extra_rows";
    /** The positions held by more than one landing row, with all their rows. */
    static final String LANDED_TWICE = "landed_twice";

    private FateAssignment() {
    }

    /*
     * The statements. Each one's %1$s is its bucket's predicate (FateBuckets), on the unqualified column it buckets
     * by: "offset" for the position steps, id_lo for the identity steps (a step cut by neither gets TRUE). Portable SQL (DuckDB, and Spark with
     * spark.sql.ansi.doubleQuotedIdentifiers): the one text both engines run.
     */

    /** By position, first: the fate each event's position shows (or none), with its identity for the duplicate join. */
    public static final String PLACED_QUERY = """
            WITH landing AS (
                SELECT topic, "partition", "offset", min(store) AS store, min(row_position) AS row_position
                FROM sink_rows WHERE role = 'landing' AND %1$s GROUP BY topic, "partition", "offset"),
            quarantine AS (
                SELECT topic, "partition", "offset", min(store) AS store, min(row_position) AS row_position
                FROM sink_rows WHERE role = 'quarantine' AND %1$s GROUP BY topic, "partition", "offset"),
            dead AS (
                SELECT topic, "partition", "offset", min(connector) AS connector, min(reason) AS reason
                FROM dead_letters WHERE %1$s GROUP BY topic, "partition", "offset")
            SELECT c.topic, c."partition", c."offset", c.kind, c."key", c.ts_ms, c.id_hi, c.id_lo,
                   CASE
                       WHEN c.kind = 'quarantine' AND q.topic IS NOT NULL THEN 'quarantined'
                       WHEN c.kind = 'change' AND l.topic IS NOT NULL THEN 'landed'
                       WHEN d.topic IS NOT NULL THEN 'dead_lettered'
                       ELSE NULL
                   END AS fate,
                   CASE
                       WHEN c.kind = 'quarantine' AND q.topic IS NOT NULL THEN q.store || ' ' || q.row_position
                       WHEN c.kind = 'change' AND l.topic IS NOT NULL THEN l.store || ' ' || l.row_position
                       WHEN d.topic IS NOT NULL THEN d.connector
                       ELSE NULL
                   END AS detail,
                   CASE
                       WHEN c.kind = 'quarantine' AND q.topic IS NOT NULL THEN c.rules
                       WHEN c.kind = 'change' AND l.topic IS NOT NULL THEN NULL
                       WHEN d.topic IS NOT NULL THEN d.reason
                       ELSE NULL
                   END AS reason
            FROM (SELECT * FROM captured WHERE %1$s) c
            LEFT JOIN landing l ON c.kind = 'change' AND l.topic = c.topic AND l."partition" = c."partition"
                 AND l."offset" = c."offset"
            LEFT JOIN quarantine q ON c.kind = 'quarantine' AND q.topic = c.topic AND q."partition" = c."partition"
                 AND q."offset" = c."offset"
            LEFT JOIN dead d ON d.topic = c.topic AND d."partition" = c."partition" AND d."offset" = c."offset"
            """;

    /**
     * By identity: each identity of an event its position did not place that a landed event has, with the first
     * position (as text) that landed it. Only those identities: the table is as large as the events left to explain.
     */
    public static final String LANDED_IDS_QUERY = """
            SELECT l.id_hi, l.id_lo,
                   min(l.topic || '/' || CAST(l."partition" AS STRING) || '/' || CAST(l."offset" AS STRING)) AS landed_at
            FROM (SELECT * FROM placed WHERE fate = 'landed' AND id_hi IS NOT NULL AND %1$s) l
            WHERE EXISTS (
                SELECT 1 FROM (SELECT id_hi, id_lo FROM placed WHERE fate IS NULL AND kind = 'change' AND %1$s) p
                WHERE p.id_hi = l.id_hi AND p.id_lo = l.id_lo)
            GROUP BY l.id_hi, l.id_lo
            """;

    /** The fates of the events their positions placed, as placed (a replay's events: {@link ReplayFold}). */
    public static final String FATES_PLACED_QUERY = """
            SELECT p.topic, p."partition", p."offset", p.kind, p."key", p.ts_ms, p.fate, p.detail, p.reason,
                   CAST(NULL AS STRING) AS history
            FROM placed p WHERE p.fate IS NOT NULL AND %5$s
            """;

    /**
     * By identity: the fates of the events their positions did not place — a duplicate when its identity landed, else
     * unexplained (a replay's events: {@link ReplayFold}).
     */
    public static final String FATES_QUERY = """
            SELECT p.topic, p."partition", p."offset", p.kind, p."key", p.ts_ms,
                   CASE
                       WHEN p.kind = 'change' AND i.landed_at IS NOT NULL THEN 'duplicate'
                       ELSE 'unexplained'
                   END AS fate,
                   CASE
                       WHEN p.kind = 'change' AND i.landed_at IS NOT NULL THEN i.landed_at
                       ELSE NULL
                   END AS detail,
                   p.reason, CAST(NULL AS STRING) AS history
            FROM (SELECT * FROM placed WHERE fate IS NULL AND %1$s) p
            LEFT JOIN (SELECT * FROM landed_ids WHERE %1$s) i ON p.kind = 'change'
                 AND i.id_hi = p.id_hi AND i.id_lo = p.id_lo
            WHERE %5$s
            """;

    /** Per change-topic partition, the offsets the captured events span. */
    public static final String SPANS_QUERY = """
            SELECT topic, "partition", min("offset") AS lo, max("offset") AS hi
            FROM captured WHERE kind = 'change' GROUP BY topic, "partition"
            """;

    /** By position: landing rows inside the captured span that name no captured change event. */
    public static final String EXTRA_QUERY = """
            SELECT r.store, r.topic, r."partition", r."offset", r.row_position
            FROM (SELECT * FROM sink_rows WHERE role = 'landing' AND %1$s) r
            JOIN spans s ON s.topic = r.topic AND s."partition" = r."partition"
                 AND r."offset" BETWEEN s.lo AND s.hi
            WHERE NOT EXISTS (
                SELECT 1 FROM (SELECT topic, "partition", "offset" FROM captured WHERE kind = 'change' AND %1$s) c
                WHERE c.topic = r.topic AND c."partition" = r."partition" AND c."offset" = r."offset")
            """;

    /**
     * By position: each position more than one landing row holds, with its rows' positions in their order
     * ({@code %2$s}: the engine's {@link FateSql#joinedInOrder}). The positions are found by counting first, so the
     * text aggregates run over those rows only.
     */
    public static final String TWICE_QUERY = """
            SELECT min(r.store) AS store, r.topic, r."partition", r."offset", %2$s AS row_position
            FROM (SELECT * FROM sink_rows WHERE role = 'landing' AND %1$s) r
            JOIN (SELECT topic, "partition", "offset" FROM sink_rows WHERE role = 'landing' AND %1$s
                  GROUP BY topic, "partition", "offset" HAVING count(*) > 1) t
                 ON t.topic IS NOT DISTINCT FROM r.topic AND t."partition" IS NOT DISTINCT FROM r."partition"
                 AND t."offset" = r."offset"
            GROUP BY r.topic, r."partition", r."offset"
            """;

    /** How a step is cut: by ranges of offsets, by identity, or not at all. */
    private enum Cut { POSITION, IDENTITY, NONE }

    /**
     * The statements in their order: what each makes, from which text, how it is cut, and whether it adds to a table
     * an earlier step made. In one piece ({@link #create(FateSql)}), the steps that add become one table by
     * {@code UNION ALL}.
     */
    private static final List<Step> STEPS = List.of(
            new Step(ReplayFold.PARENTS, ReplayFold.PARENTS_QUERY, Cut.NONE, false, true),
            new Step(ReplayFold.LINKS, ReplayFold.LINKS_QUERY, Cut.NONE, false, true),
            new Step(PLACED, PLACED_QUERY, Cut.POSITION, false, false),
            new Step(SPANS, SPANS_QUERY, Cut.NONE, false, false),
            new Step(EXTRA_ROWS, EXTRA_QUERY, Cut.POSITION, false, false),
            new Step(LANDED_IDS, LANDED_IDS_QUERY, Cut.IDENTITY, false, false),
            new Step(ReplayFold.MEMBERS, ReplayFold.MEMBERS_QUERY, Cut.NONE, false, true),
            new Step(ReplayFold.REPLAYED, ReplayFold.REPLAYED_QUERY, Cut.NONE, false, true),
            new Step(LANDED_TWICE, TWICE_QUERY, Cut.POSITION, false, false),
            new Step(LANDED_TWICE, ReplayFold.TWICE_QUERY, Cut.NONE, true, true),
            new Step(FATES, FATES_PLACED_QUERY, Cut.NONE, false, false),
            new Step(FATES, FATES_QUERY, Cut.IDENTITY, true, false),
            new Step(FATES, ReplayFold.FATES_QUERY, Cut.NONE, true, true));

    /**
     * The steps that run: all when a captured event carries {@code truthline.replay.of}, else those of the fold left
     * out (most ranges hold no replayed record, and on Spark each step is a few stages more).
     */
    private static List<Step> steps(FateSql engine) throws Exception {
        boolean replays = ((Number) engine.rows("SELECT count(*) FROM (SELECT 1 FROM captured WHERE replay_of IS NOT "
                + "NULL LIMIT 1) t").get(0).get(0)).longValue() > 0;
        return STEPS.stream().filter(s -> replays || !s.fold()).map(s -> s.folding(replays)).toList();
    }

    /** What the outputs do not need once the fates are made. */
    private static final List<String> INTERMEDIATE = List.of(PLACED, LANDED_IDS, SPANS, ReplayFold.PARENTS,
            ReplayFold.LINKS, ReplayFold.MEMBERS, ReplayFold.REPLAYED);

    /** {@code fold}: a step of {@link ReplayFold}; {@code folding}: the fold runs (the others leave its events out). */
    private record Step(String table, String template, Cut cut, boolean adds, boolean fold, boolean folding) {

        Step(String table, String template, Cut cut, boolean adds, boolean fold) {
            this(table, template, cut, adds, fold, true);
        }

        Step folding(boolean on) {
            return new Step(table, template, cut, adds, fold, on);
        }

        int buckets(FateBuckets buckets) {
            return switch (cut) {
                case POSITION -> buckets.count();
                case IDENTITY -> buckets.identities();
                case NONE -> 1;
            };
        }

        String sql(FateSql engine, FateBuckets buckets, int bucket) {
            String predicate = switch (cut) {
                case POSITION -> buckets.position("\"offset\"", bucket);
                case IDENTITY -> buckets.identity("id_lo", bucket);
                case NONE -> "TRUE";
            };
            return template.formatted(predicate, engine.joinedInOrder("row_position"),
                    engine.joinedBy("step", "n", "; "), engine.joinedBy("landed_row", "n", ", "),
                    folding ? ReplayFold.notFolded("p") : "TRUE");
        }
    }

    private static final String ROW_ORDER = " ORDER BY topic, \"partition\", \"offset\"";

    /**
     * Assigns the fates in the embedded DuckDB and summarises them.
     *
     * @param listLimit at most this many unexplained events and rows are listed one by one (all are counted)
     */
    public static AuditResult assign(AuditDatabase db, int listLimit) throws SQLException {
        create(db);
        return summarise(db, listLimit);
    }

    /**
     * Assigns the fates on {@code engine} (its {@code captured}, {@code sink_rows} and {@code dead_letters} filled)
     * into its table {@code fates}, in one bucket, and summarises them: the same statements on every engine.
     */
    public static AuditResult assign(FateSql engine, int listLimit) throws Exception {
        create(engine);
        return summarise(engine, listLimit);
    }

    /**
     * Fills the embedded DuckDB's table {@code fates}, one row per captured event, in as many buckets as its staged
     * rows need within its memory limit: position buckets for all of them, identity buckets for the events their
     * positions leave unplaced (usually few: one bucket).
     */
    static void create(AuditDatabase db) throws SQLException {
        create(db, FateBuckets.forStaged(db), true);
    }

    /** Fills the embedded DuckDB's table {@code fates} in {@code buckets}. */
    static void create(AuditDatabase db, FateBuckets buckets) throws SQLException {
        create(db, buckets, false);
    }

    private static void create(AuditDatabase db, FateBuckets given, boolean sizeIdentities) throws SQLException {
        DuckDbSql engine = new DuckDbSql(db.connection());
        FateBuckets buckets = given;
        List<Step> steps;
        try {
            steps = steps(engine);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException(e);
        }
        for (Step step : steps) {
            if (step.cut() == Cut.IDENTITY && sizeIdentities) {
                buckets = buckets.withIdentities(FateBuckets.count(unplaced(engine), db.memoryLimitBytes()));
                sizeIdentities = false;
            }
            for (int b = 0; b < step.buckets(buckets); b++) {
                String sql = step.sql(engine, buckets, b);
                if (b == 0 && !step.adds()) {
                    engine.materialize(step.table(), sql);
                } else {
                    engine.append(step.table(), sql);
                }
            }
        }
        for (String table : INTERMEDIATE) {
            engine.drop(table);
        }
    }

    /** How many events their positions did not place: what the identity steps work on. */
    private static long unplaced(DuckDbSql engine) throws SQLException {
        return number(engine.rows("SELECT count(*) FROM " + PLACED + " WHERE fate IS NULL").get(0).get(0));
    }

    /** Summarises the embedded DuckDB's table {@code fates}, as it is now. */
    static AuditResult summarise(AuditDatabase db, int listLimit) throws SQLException {
        try {
            return summarise(new DuckDbSql(db.connection()), listLimit);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException(e);
        }
    }

    /** Fills {@code engine}'s table {@code fates} (and the extra rows and rows landed twice), in one bucket. */
    static void create(FateSql engine) throws Exception {
        List<Step> steps = steps(engine);
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            StringBuilder sql = new StringBuilder(step.sql(engine, FateBuckets.ONE, 0));
            while (i + 1 < steps.size() && steps.get(i + 1).adds()) {
                sql.append(" UNION ALL ").append(steps.get(++i).sql(engine, FateBuckets.ONE, 0));
            }
            engine.materialize(step.table(), sql.toString());
        }
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
        // Two rows may name one position (landed twice): their file#row orders them, the same on every engine.
        String columns = "SELECT store, topic, \"partition\", \"offset\", row_position FROM ";
        List<AuditResult.Row> extra = rows(engine, columns + EXTRA_ROWS + ROW_ORDER + ", row_position", listLimit);
        long extraCount = count(engine, "SELECT count(*) FROM " + EXTRA_ROWS);
        List<AuditResult.Row> landedTwice = rows(engine, columns + LANDED_TWICE + ROW_ORDER + ", row_position",
                listLimit);
        long twiceCount = count(engine, "SELECT count(*) FROM " + LANDED_TWICE);
        long replayedCount = count(engine, "SELECT count(*) FROM fates WHERE history IS NOT NULL");
        List<AuditResult.Replayed> replayed = new ArrayList<>();
        for (List<Object> row : engine.rows("SELECT topic, \"partition\", \"offset\", kind, fate, history FROM fates "
                + "WHERE history IS NOT NULL" + ROW_ORDER + " LIMIT " + listLimit)) {
            replayed.add(new AuditResult.Replayed((String) row.get(0), (int) number(row.get(1)), number(row.get(2)),
                    (String) row.get(3), Fate.valueOf(((String) row.get(4)).toUpperCase(java.util.Locale.ROOT)),
                    (String) row.get(5)));
        }
        return new AuditResult(counts, perRule, perReason, unexplained, extraCount, extra, twiceCount, landedTwice,
                replayedCount, replayed);
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

        /** Appends the rows of {@code query} to the table {@code name}. */
        void append(String name, String query) throws SQLException {
            try (Statement s = connection.createStatement()) {
                s.execute("INSERT INTO " + name + " " + query);
            }
        }

        void drop(String name) throws SQLException {
            try (Statement s = connection.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + name);
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

        @Override
        public String joinedBy(String column, String order, String separator) {
            return "string_agg(" + column + ", '" + separator + "' ORDER BY " + order + ")";
        }
    }
}
