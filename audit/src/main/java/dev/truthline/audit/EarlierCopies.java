package dev.truthline.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * A duplicate whose landed copy lies before the audited range. Deduplicate drops a change it has seen; when the copy
 * that landed came before the range's start (a change re-sent after a restart, straddling the boundary), the range
 * alone holds no landed event with its {@code ChangeIdentity}, and the fate assignment calls it unexplained.
 *
 * <p>Only when a range leaves such events: for each change-topic partition that has an unexplained change with an
 * identity, the records just before the range are read — back to the first whose record time is at or after the
 * earliest such change's commit time ({@code source.ts_ms}) less {@link #CLOCK_SKEW_MS}: a copy of a change cannot be
 * written before the change was committed — into {@code captured} as kind {@code earlier} (which no fate, count or
 * span reads), and an unexplained change whose identity is that of a landed earlier event becomes a
 * {@code duplicate} of it. An audit whose range starts at the topic's start reads nothing more.
 */
final class EarlierCopies {

    static final String KIND = "earlier";

    /** How far the database's clock (the commit time) may run ahead of the Kafka record time of the copy. */
    static final long CLOCK_SKEW_MS = 5 * 60_000L;

    private static final String CANDIDATES_SQL = """
            SELECT f."partition", min(c.ts_ms), bool_or(c.ts_ms IS NULL)
            FROM fates f JOIN captured c USING (topic, "partition", "offset")
            WHERE f.fate = 'unexplained' AND f.kind = 'change' AND c.kind = 'change' AND c.id_hi IS NOT NULL
                AND f.topic = ?
            GROUP BY f."partition"
            """;

    private static final String RESOLVE_SQL = """
            UPDATE fates SET fate = 'duplicate', detail = m.landed_at
            FROM (
                SELECT c.topic, c."partition", c."offset",
                       min(e.topic || '/' || e."partition" || '/' || e."offset") AS landed_at
                FROM captured c
                JOIN captured e ON e.kind = 'earlier' AND e.id_hi = c.id_hi AND e.id_lo = c.id_lo
                JOIN sink_rows l ON l.role = 'landing' AND l.topic = e.topic AND l."partition" = e."partition"
                    AND l."offset" = e."offset"
                WHERE c.kind = 'change'
                GROUP BY c.topic, c."partition", c."offset") m
            WHERE fates.fate = 'unexplained' AND fates.kind = 'change' AND fates.topic = m.topic
                AND fates."partition" = m."partition" AND fates."offset" = m."offset"
            """;

    private EarlierCopies() {
    }

    /**
     * Looks for the landed copies of the range's unexplained changes before the range, and makes those changes
     * duplicates.
     *
     * @param ranges the audited ranges (of every captured topic)
     * @return the number of records read before the range
     */
    static long resolve(AuditDatabase db, TopicRanges topics, CapturedEvents events, String changeTopic,
            Map<TopicPartition, TopicRanges.Range> ranges) throws SQLException, CannotJudgeException {
        Map<TopicPartition, Long> since = new LinkedHashMap<>();
        try (java.sql.PreparedStatement p = db.connection().prepareStatement(CANDIDATES_SQL)) {
            p.setString(1, changeTopic);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    long ts = rs.getLong(2);
                    boolean unknown = rs.wasNull() || rs.getBoolean(3);
                    since.put(new TopicPartition(changeTopic, rs.getInt(1)), unknown ? Long.MIN_VALUE : ts - CLOCK_SKEW_MS);
                }
            }
        }
        Map<TopicPartition, TopicRanges.Range> before = topics.before(since, ranges);
        if (before.values().stream().allMatch(r -> r.size() == 0)) {
            return 0;
        }
        long read = events.load(db, topics, before, KIND);
        try (Statement s = db.connection().createStatement()) {
            s.executeUpdate(RESOLVE_SQL);
        }
        return read;
    }
}
