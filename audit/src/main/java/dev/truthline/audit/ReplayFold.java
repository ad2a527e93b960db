package dev.truthline.audit;

import java.util.List;

/**
 * Folds the records {@code truthline replay} wrote into the captured events they replay, so that an event quarantined
 * or dead-lettered and later replayed is one event whose fate is where its history ends.
 *
 * <p>A replayed record is a captured event of its own (it has a change-topic position, and gets a fate there like any
 * other: landed, dead-lettered again, a duplicate of a copy that landed first, or unexplained); its header
 * {@code truthline.replay.of} names the captured event it replays ({@code captured.replay_of}). When that event is in
 * the audited range, the copy is folded into it: the replayed event keeps one row in {@code fates}, with
 * <ul>
 * <li>{@code landed} when a copy landed (the first one's row), or when it had landed itself;</li>
 * <li>else the last copy's fate (dead-lettered again, a duplicate, unexplained when a copy vanished);</li>
 * <li>{@code history}: its own fate, then each copy in position order — {@code quarantined (status_known) → replayed
 * replay-20261205T041200Z as orders.events.v1/2/815 → landed silver.orders f.parquet#3; replayed … as …/2/901 →
 * duplicate of orders.events.v1/2/815};</li>
 * </ul>
 * and the copies' own rows leave {@code fates}, so the counts are of events captured once. A copy whose original is
 * outside the range stays an event of its own. A replay of a replay (a copy dead-lettered again, then replayed) folds
 * into the first event of the chain, up to {@link #DEPTH} copies deep. An event that landed more than once this way
 * (its own row and a copy's, or two copies') is a position landed more than once: an unexplained row in
 * {@code landed_twice}, with all its rows.
 *
 * <p>Replays are few: the steps here run uncut, on tables as large as the replayed records; the rest of the fate
 * assignment only leaves their events out (an anti-join with that small table).
 */
final class ReplayFold {

    /** Each replayed copy whose {@code replay_of} names a captured event: its parent. */
    static final String PARENTS = "replay_parents";
    /** Each replayed copy whose original is captured, with the first event of its chain (its root). */
    static final String LINKS = "replay_links";
    /** The copies and their roots, each with the fate its own position or identity shows, and its root. */
    static final String MEMBERS = "replay_fates";
    /** One row per root: its folded fate and history, and the rows it landed as. */
    static final String REPLAYED = "replayed";

    private static final String KINDS = "('" + CapturedEvents.CHANGE + "', '" + CapturedEvents.QUARANTINE + "')";

    /** Each copy whose {@code replay_of} names a captured event of the range (its parent). */
    static final String PARENTS_QUERY = """
            SELECT c.topic, c."partition", c."offset", c.replay_id,
                   o.topic AS of_topic, o."partition" AS of_partition, o."offset" AS of_offset
            FROM (SELECT topic, "partition", "offset", replay_id,
                         split_part(replay_of, '/', 1) AS of_topic,
                         TRY_CAST(split_part(replay_of, '/', 2) AS INTEGER) AS of_partition,
                         TRY_CAST(split_part(replay_of, '/', 3) AS BIGINT) AS of_offset
                  FROM captured
                  WHERE replay_of IS NOT NULL AND split_part(replay_of, '/', 4) = '' AND kind IN %1$s) c
            JOIN (SELECT topic, "partition", "offset" FROM captured WHERE kind IN %1$s) o
                 ON o.topic = c.of_topic AND o."partition" = c.of_partition AND o."offset" = c.of_offset
            WHERE NOT (o.topic = c.topic AND o."partition" = c."partition" AND o."offset" = c."offset")
            """.formatted(KINDS);

    /** How many replays of replays a chain may hold and still fold into its first event. */
    static final int DEPTH = 4;

    /**
     * Each copy with the first event of its chain: its parent, or its parent's parent while that is a copy too, up to
     * {@link #DEPTH} copies deep (one statement, no loop: the same plan on every engine). A copy deeper than that, or
     * in a cycle (which headers could form), stays an event of its own.
     */
    static final String LINKS_QUERY = links();

    private static String links() {
        StringBuilder root = new StringBuilder();
        StringBuilder joins = new StringBuilder();
        String previous = "c";
        for (int i = 1; i <= DEPTH; i++) {
            String p = "p" + i;
            joins.append("LEFT JOIN replay_parents ").append(p).append(" ON ").append(p).append(".topic = ")
                    .append(previous).append(".of_topic AND ").append(p).append(".\"partition\" = ").append(previous)
                    .append(".of_partition AND ").append(p).append(".\"offset\" = ").append(previous)
                    .append(".of_offset\n");
            previous = p;
        }
        root.append("SELECT c.topic, c.\"partition\", c.\"offset\", c.replay_id");
        for (String column : List.of("topic", "partition", "offset")) {
            root.append(",\n       CASE");
            for (int i = 1; i < DEPTH; i++) {
                root.append(" WHEN p").append(i).append(".topic IS NULL THEN ").append(i == 1 ? "c" : "p" + (i - 1))
                        .append(".of_").append(column);
            }
            root.append(" ELSE p").append(DEPTH - 1).append(".of_").append(column).append(" END AS r_").append(column);
        }
        return root + "\nFROM replay_parents c\n" + joins + "WHERE p" + DEPTH + ".topic IS NULL\n";
    }

    /**
     * Each copy and each root with the fate its position shows ({@code placed}) or its identity ({@code landed_ids}):
     * what the fate assignment would give it alone.
     */
    static final String MEMBERS_QUERY = """
            SELECT p.topic, p."partition", p."offset", p.kind, p."key", p.ts_ms, c.replay_id,
                   coalesce(c.r_topic, p.topic) AS r_topic, coalesce(c.r_partition, p."partition") AS r_partition,
                   coalesce(c.r_offset, p."offset") AS r_offset, c.topic IS NOT NULL AS is_copy,
                   CASE
                       WHEN p.fate IS NOT NULL THEN p.fate
                       WHEN p.kind = 'change' AND i.landed_at IS NOT NULL THEN 'duplicate'
                       ELSE 'unexplained'
                   END AS fate,
                   CASE
                       WHEN p.fate IS NOT NULL THEN p.detail
                       WHEN p.kind = 'change' AND i.landed_at IS NOT NULL THEN i.landed_at
                       ELSE NULL
                   END AS detail,
                   p.reason
            FROM placed p
            LEFT JOIN replay_links c ON c.topic = p.topic AND c."partition" = p."partition" AND c."offset" = p."offset"
            LEFT JOIN (SELECT r_topic, r_partition, r_offset FROM replay_links GROUP BY r_topic, r_partition, r_offset) r
                 ON r.r_topic = p.topic AND r.r_partition = p."partition" AND r.r_offset = p."offset"
            LEFT JOIN landed_ids i ON p.fate IS NULL AND p.kind = 'change' AND i.id_hi = p.id_hi AND i.id_lo = p.id_lo
            WHERE c.topic IS NOT NULL OR r.r_topic IS NOT NULL
            """;

    /** SQL: one event's fate in a history, from its columns {@code fate}, {@code detail}, {@code reason} of {@code t}. */
    private static String said(String t) {
        return ("""
                CASE %1$s.fate
                    WHEN 'landed' THEN 'landed ' || %1$s.detail
                    WHEN 'quarantined' THEN 'quarantined (' || coalesce(trim(%1$s.reason), '') || ')'
                    WHEN 'dead_lettered' THEN 'dead_lettered by ' || %1$s.detail || ': ' || %2$s
                    WHEN 'duplicate' THEN 'duplicate of ' || %1$s.detail
                    ELSE %1$s.fate
                END""").formatted(t, FateAssignment.shownReason(t + ".reason"));
    }

    /** SQL: the data file#row of a landed event's {@code detail} ({@code <store> <file#row>}). */
    private static String rowOf(String detail) {
        return "substring(" + detail + ", instr(" + detail + ", ' ') + 1)";
    }

    /** SQL: the store of a landed event's {@code detail}. */
    private static String storeOf(String detail) {
        return "substring(" + detail + ", 1, instr(" + detail + ", ' ') - 1)";
    }

    /**
     * Per root, in one aggregate of its copies (their order: position, as text of fixed width): its folded fate,
     * detail and reason (the first landed copy's, else the last copy's), its history, how many times it landed (itself
     * and its copies) and those rows. {@code %3$s} joins each copy's {@code step} in its order, {@code %4$s} each
     * landed copy's {@code landed_row} ({@link FateSql#joinedBy}, the engine's spelling).
     */
    static final String REPLAYED_QUERY = """
            WITH copies AS (
                SELECT f.*,
                       'replayed ' || coalesce(f.replay_id, '(no replay id)') || ' as ' || f.topic || '/'
                           || CAST(f."partition" AS STRING) || '/' || CAST(f."offset" AS STRING) || ' → ' || %5$s
                           AS step,
                       CASE WHEN f.fate = 'landed' THEN %6$s END AS landed_row,
                       f.topic || '/' || lpad(CAST(f."partition" AS STRING), 10, '0') || '/'
                           || lpad(CAST(f."offset" AS STRING), 20, '0') AS n
                FROM replay_fates f WHERE f.is_copy),
            tails AS (
                SELECT r_topic, r_partition, r_offset, %3$s AS tail, %4$s AS landed_rows,
                       count(CASE WHEN fate = 'landed' THEN 1 END) AS landings,
                       max_by(fate, n) AS last_fate,
                       nullif(max_by(coalesce(detail, ''), n), '') AS last_detail,
                       nullif(max_by(coalesce(reason, ''), n), '') AS last_reason,
                       nullif(min_by(coalesce(detail, ''), CASE WHEN fate = 'landed' THEN '0' ELSE '1' END || n), '')
                           AS first_landed
                FROM copies GROUP BY r_topic, r_partition, r_offset)
            SELECT o.topic, o."partition", o."offset", o.kind, o."key", o.ts_ms,
                   CASE WHEN o.fate = 'landed' OR t.landings > 0 THEN 'landed' ELSE t.last_fate END AS fate,
                   CASE WHEN o.fate = 'landed' THEN o.detail WHEN t.landings > 0 THEN t.first_landed
                       ELSE t.last_detail END AS detail,
                   CASE WHEN o.fate = 'landed' OR t.landings > 0 THEN NULL ELSE t.last_reason END AS reason,
                   %7$s || ' → ' || t.tail AS history,
                   t.landings + CASE WHEN o.fate = 'landed' THEN 1 ELSE 0 END AS landings,
                   CASE WHEN o.fate = 'landed' THEN %8$s ELSE %9$s END AS store,
                   CASE WHEN o.fate = 'landed' THEN %10$s || ', ' ELSE '' END || t.landed_rows AS landed_rows
            FROM (SELECT * FROM replay_fates WHERE NOT is_copy) o
            JOIN tails t ON t.r_topic = o.topic AND t.r_partition = o."partition" AND t.r_offset = o."offset"
            """.formatted("%1$s", "%2$s", "%3$s", "%4$s", said("f"), rowOf("f.detail"), said("o"), storeOf("o.detail"),
            storeOf("t.first_landed"), rowOf("o.detail"));

    /** The events that landed more than once through their copies, as positions landed more than once. */
    static final String TWICE_QUERY = """
            SELECT store, topic, "partition", "offset", landed_rows AS row_position FROM replayed WHERE landings > 1
            """;

    /** The folded events' rows of {@code fates}. */
    static final String FATES_QUERY = """
            SELECT topic, "partition", "offset", kind, "key", ts_ms, fate, detail, reason, history FROM replayed
            """;

    /** SQL: the event {@code t} (its position columns) is no copy and no root — its fate is assigned as before. */
    static String notFolded(String t) {
        return "NOT EXISTS (SELECT 1 FROM replay_fates m WHERE m.topic = " + t + ".topic AND m.\"partition\" = " + t
                + ".\"partition\" AND m.\"offset\" = " + t + ".\"offset\")";
    }

    private ReplayFold() {
    }
}
