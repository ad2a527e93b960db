package dev.truthline.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an audit counted beside the fates: per kind of captured event ({@code change}, {@code quarantine}), and per
 * kind and fate, the events and the distinct changes among them — by {@code ChangeIdentity}, so a change a source
 * emitted again after a restart or a rewind is one change at several positions, and an event without an identity
 * counts as a change of its own —; the source commit times ({@code source.ts_ms}) the events span; the tombstones
 * passed over (they are no change events); and the rows read from each sink table.
 *
 * <p>So a landed change counted at more positions than one is a copy the landing table kept (its de-duplication let
 * it through), which no fate shows: each copy landed at its own position.
 *
 * @param byKind     per kind of captured event
 * @param byFate     per kind, then per fate
 * @param tombstones records with no value in the captured topics' ranges
 * @param rowsRead   rows read per sink table (landing and quarantine), by table name
 */
public record AuditCounts(Map<String, Counted> byKind, Map<String, Map<Fate, Counted>> byFate, long tombstones,
        Map<String, Long> rowsRead) {

    /**
     * Events and the distinct changes among them; the earliest and latest {@code source.ts_ms} (null when none
     * carries one, and per fate not measured).
     */
    public record Counted(long events, long changes, Long firstTsMs, Long lastTsMs) {

        static final Counted NONE = new Counted(0, 0, null, null);

        /** Events repeating a change already counted at another position. */
        public long repeats() {
            return events - changes;
        }
    }

    /** Events of one kind ({@link CapturedEvents#CHANGE}, {@link CapturedEvents#QUARANTINE}). */
    public Counted kind(String kind) {
        return byKind.getOrDefault(kind, Counted.NONE);
    }

    /** Events of one kind that met one fate. */
    public Counted of(String kind, Fate fate) {
        return byFate.getOrDefault(kind, Map.of()).getOrDefault(fate, Counted.NONE);
    }

    /** Rows read from a sink table; null when it was not read. */
    public Long rowsRead(String table) {
        return rowsRead.get(table);
    }

    /** Counts the {@link AuditDatabase}'s {@code captured}, {@code fates} and {@code sink_rows} as they are now. */
    static AuditCounts measure(AuditDatabase db, long tombstones) throws SQLException {
        String changes = "count(DISTINCT (c.id_hi, c.id_lo)) FILTER (WHERE c.id_hi IS NOT NULL)"
                + " + count(*) FILTER (WHERE c.id_hi IS NULL)";
        Map<String, Counted> byKind = new TreeMap<>();
        Map<String, Map<Fate, Counted>> byFate = new TreeMap<>();
        Map<String, Long> rowsRead = new TreeMap<>();
        try (Statement s = db.connection().createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT c.kind, count(*), " + changes + ", min(c.ts_ms), max(c.ts_ms) "
                    + "FROM captured c WHERE c.kind IN ('" + CapturedEvents.CHANGE + "', '" + CapturedEvents.QUARANTINE
                    + "') GROUP BY c.kind")) {
                while (rs.next()) {
                    byKind.put(rs.getString(1), new Counted(rs.getLong(2), rs.getLong(3), number(rs, 4), number(rs, 5)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT f.kind, f.fate, count(*), " + changes + " FROM fates f "
                    + "JOIN captured c ON c.topic = f.topic AND c.\"partition\" = f.\"partition\" "
                    + "AND c.\"offset\" = f.\"offset\" AND c.kind = f.kind GROUP BY f.kind, f.fate")) {
                while (rs.next()) {
                    byFate.computeIfAbsent(rs.getString(1), k -> new EnumMap<>(Fate.class)).put(
                            Fate.valueOf(rs.getString(2).toUpperCase(java.util.Locale.ROOT)),
                            new Counted(rs.getLong(3), rs.getLong(4), null, null));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT store, count(*) FROM sink_rows GROUP BY store")) {
                while (rs.next()) {
                    rowsRead.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return new AuditCounts(byKind, byFate, tombstones, rowsRead);
    }

    private static Long number(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
