package dev.truthline.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.duckdb.DuckDBAppender;
import org.junit.jupiter.api.Test;

/** Current-state reconciliation from hand-made tables (no Kafka, no database but DuckDB). */
class ReconciliationTest extends WithAuditDatabase {

    private static final String TOPIC = "orders.events.v1";
    private static final String QUARANTINE = "orders.events.v1.quarantine";

    private long offset;

    /**
     * A rejected change that touched only a column the comparison leaves out (one the source protects, say a malformed
     * customer id quarantined at the source): the compared columns agree, yet the row is an older version — stale by
     * version, as the stale-row view marks it (it compares source positions, not values).
     */
    @Test
    void aRowAnOlderVersionIsStaleEvenWhereTheComparedColumnsAgree() throws SQLException {
        try (DuckDBAppender captured = db.appender(AuditDatabase.CAPTURED);
                DuckDBAppender entities = db.appender(AuditDatabase.ENTITIES)) {
            change(captured, entities, "12", 120, "c");
            quarantined(captured, entities, "12", 121, "u", "customer_format");
        }
        try (DuckDBAppender source = db.appender(AuditDatabase.SOURCE_ROWS);
                DuckDBAppender current = db.appender(AuditDatabase.CURRENT_ROWS)) {
            row(source, "12", "v120", null);
            row(current, "12", "v120", 120L);
        }
        Reconciliation.Result result = Reconciliation.run(db, 10);
        assertThat(states()).containsExactly(Map.entry("12", "stale"));
        assertThat(result.examples().get("stale")).singleElement().satisfies(k -> {
            assertThat(k.rejectedLsn()).isEqualTo(121L);
            assertThat(k.reason()).contains("customer_format");
        });
    }

    /**
     * A replay writes the rejected change again (same key, same source position) to the change topic: once the sink
     * upserted it, its key is equal again — a stale row (rejected update) and an absent one (rejected insert) alike;
     * a replayed change older than a newer landed one is not applied ({@code entity_version}) and the key stays equal,
     * not stale; had the older replay overwritten the newer row, the key would be unexplained.
     */
    @Test
    void aReplayedChangeMakesItsKeyEqualAndAnOlderReplayLeavesANewerRowEqual() throws SQLException {
        long dead1;
        long q2;
        long dead3;
        long dead4;
        try (DuckDBAppender captured = db.appender(AuditDatabase.CAPTURED);
                DuckDBAppender entities = db.appender(AuditDatabase.ENTITIES);
                DuckDBAppender dead = db.appender(AuditDatabase.CURRENT_DEAD_LETTERS)) {
            // 1: inserted, then an update the warehouse dead-lettered: stale until replayed.
            change(captured, entities, "1", 10, "c");
            dead1 = change(captured, entities, "1", 11, "u");
            deadLetter(dead, dead1, "failed rules status_known");
            // 2: its only change quarantined at the source: absent until replayed.
            q2 = quarantined(captured, entities, "2", 20, "c", "status_known");
            // 3 and 4: an update dead-lettered, then a newer one landed.
            change(captured, entities, "3", 30, "c");
            dead3 = change(captured, entities, "3", 31, "u");
            deadLetter(dead, dead3, "failed rules status_known");
            change(captured, entities, "3", 32, "u");
            change(captured, entities, "4", 40, "c");
            dead4 = change(captured, entities, "4", 41, "u");
            deadLetter(dead, dead4, "failed rules status_known");
            change(captured, entities, "4", 42, "u");
        }
        try (DuckDBAppender source = db.appender(AuditDatabase.SOURCE_ROWS)) {
            row(source, "1", "v11", null);
            row(source, "2", "v20", null);
            row(source, "3", "v32", null);
            row(source, "4", "v42", null);
        }
        try (DuckDBAppender current = db.appender(AuditDatabase.CURRENT_ROWS)) {
            row(current, "1", "v10", 10L);
            row(current, "3", "v32", 32L);
            row(current, "4", "v42", 42L);
        }
        Reconciliation.run(db, 10);
        assertThat(states()).isEqualTo(Map.of("1", "stale", "2", "absent", "3", "equal", "4", "equal"));

        // The replay: each rejected change again, as truthline replay writes it; the sink upserts 1 and 2, keeps 3's
        // newer row, and (wrongly) lets 4's older change overwrite its newer row.
        try (DuckDBAppender captured = db.appender(AuditDatabase.CAPTURED);
                DuckDBAppender entities = db.appender(AuditDatabase.ENTITIES)) {
            replayed(captured, entities, "1", 11, "u", TOPIC + "/0/" + dead1);
            replayed(captured, entities, "2", 20, "c", QUARANTINE + "/0/" + q2);
            replayed(captured, entities, "3", 31, "u", TOPIC + "/0/" + dead3);
            replayed(captured, entities, "4", 41, "u", TOPIC + "/0/" + dead4);
        }
        try (Statement s = db.connection().createStatement()) {
            s.execute("DELETE FROM current_rows");
        }
        try (DuckDBAppender current = db.appender(AuditDatabase.CURRENT_ROWS)) {
            row(current, "1", "v11", 11L);
            row(current, "2", "v20", 20L);
            row(current, "3", "v32", 32L);
            row(current, "4", "v41", 41L);
        }
        Reconciliation.Result result = Reconciliation.run(db, 10);

        assertThat(states()).isEqualTo(Map.of("1", "equal", "2", "equal", "3", "equal", "4", "unexplained"));
        assertThat(result.counts()).containsEntry("equal", 3L).containsEntry("stale", 0L).containsEntry("absent", 0L);
    }

    @Test
    void everyKeyGetsTheStateItsChangesExplain() throws SQLException {
        long dead2;
        long q3;
        long q7;
        try (DuckDBAppender captured = db.appender(AuditDatabase.CAPTURED);
                DuckDBAppender entities = db.appender(AuditDatabase.ENTITIES);
                DuckDBAppender dead = db.appender(AuditDatabase.CURRENT_DEAD_LETTERS)) {
            // 1: inserted and updated, both landed: equal.
            change(captured, entities, "1", 10, "c");
            change(captured, entities, "1", 11, "u");
            // 2: inserted (landed), then an update the warehouse dead-lettered: stale, named by that update.
            change(captured, entities, "2", 20, "c");
            dead2 = change(captured, entities, "2", 21, "u");
            deadLetter(dead, dead2, "Record violates contract orders@1: failed rules currency_iso (topic "
                    + TOPIC + ", partition 0, offset " + dead2 + ")");
            // 3: inserted (landed), then an update the source quarantined: stale, named by the rules.
            change(captured, entities, "3", 30, "c");
            q3 = quarantined(captured, entities, "3", 31, "u", "customer_required");
            // 4: its only change quarantined: absent.
            quarantined(captured, entities, "4", 40, "c", "amount_required");
            // 5: its only change dead-lettered: absent.
            long dead5 = change(captured, entities, "5", 50, "c");
            deadLetter(dead, dead5, "failed rules status_known");
            // 6: landed, then deleted from the warehouse by hand: unexplained.
            change(captured, entities, "6", 60, "c");
            // 7: landed, then a delete the source quarantined: the row stays, stale.
            change(captured, entities, "7", 70, "c");
            q7 = quarantined(captured, entities, "7", 71, "d", "customer_required");
            // 8: in the warehouse only, nothing explains it: extra.
            // 9: landed, then changed in the warehouse by hand: unexplained.
            change(captured, entities, "9", 90, "c");
            // 10: deleted (accepted), re-inserted with a change the warehouse dead-lettered: absent.
            change(captured, entities, "10", 100, "c");
            change(captured, entities, "10", 101, "d");
            long dead10 = change(captured, entities, "10", 102, "c");
            deadLetter(dead, dead10, "failed rules amount_range");
            // 11: a rejected update, then an accepted one that never arrived: unexplained, not stale.
            change(captured, entities, "11", 110, "c");
            long dead11 = change(captured, entities, "11", 111, "u");
            deadLetter(dead, dead11, "failed rules amount_range");
            change(captured, entities, "11", 112, "u");
        }
        try (DuckDBAppender source = db.appender(AuditDatabase.SOURCE_ROWS);
                DuckDBAppender current = db.appender(AuditDatabase.CURRENT_ROWS)) {
            row(source, "1", "v11", null);
            row(current, "1", "v11", 11L);
            row(source, "2", "v21", null);
            row(current, "2", "v20", 20L);
            row(source, "3", "v31", null);
            row(current, "3", "v30", 30L);
            row(source, "4", "v40", null);
            row(source, "5", "v50", null);
            row(source, "6", "v60", null);
            row(current, "7", "v70", 70L);
            row(current, "8", "v80", 80L);
            row(source, "9", "v90", null);
            row(current, "9", "hand", 90L);
            row(source, "10", "v102", null);
            row(source, "11", "v112", null);
            row(current, "11", "v110", 110L);
        }

        Reconciliation.Result result = Reconciliation.run(db, 10);

        assertThat(states()).isEqualTo(Map.ofEntries(Map.entry("1", "equal"), Map.entry("2", "stale"),
                Map.entry("3", "stale"), Map.entry("4", "absent"), Map.entry("5", "absent"),
                Map.entry("6", "unexplained"), Map.entry("7", "stale"), Map.entry("8", "extra"),
                Map.entry("9", "unexplained"), Map.entry("10", "absent"), Map.entry("11", "unexplained")));
        assertThat(result.counts()).containsExactly(Map.entry("equal", 1L), Map.entry("stale", 3L),
                Map.entry("absent", 3L), Map.entry("extra", 1L), Map.entry("unexplained", 3L));
        assertThat(result.examples().get("stale")).containsExactly(
                new Reconciliation.Key("2", "stale", 20L, TOPIC + "/0/" + dead2, 21L,
                        "orders-warehouse: Record violates contract orders@1: failed rules currency_iso"),
                new Reconciliation.Key("3", "stale", 30L, QUARANTINE + "/0/" + q3, 31L,
                        "quarantined: customer_required"),
                new Reconciliation.Key("7", "stale", 70L, QUARANTINE + "/0/" + q7, 71L,
                        "quarantined: customer_required"));
        assertThat(result.examples().get("unexplained")).extracting(Reconciliation.Key::entity)
                .containsExactly("6", "9", "11");
        assertThat(result.examples().get("unexplained")).allSatisfy(k -> assertThat(k.reason()).isNull());
        assertThat(result.sourceRows()).isEqualTo(9);
        assertThat(result.currentRows()).isEqualTo(7);
        assertThat(result.exitCode()).isEqualTo(AuditResult.UNEXPLAINED);
    }

    @Test
    void aCompositeKeyIsShownWithCommasAndEqualTablesExitZero() throws SQLException {
        try (DuckDBAppender captured = db.appender(AuditDatabase.CAPTURED);
                DuckDBAppender entities = db.appender(AuditDatabase.ENTITIES)) {
            change(captured, entities, "a" + CanonicalText.SEPARATOR + "1", 5, "c");
        }
        try (DuckDBAppender source = db.appender(AuditDatabase.SOURCE_ROWS);
                DuckDBAppender current = db.appender(AuditDatabase.CURRENT_ROWS)) {
            row(source, "a" + CanonicalText.SEPARATOR + "1", "x", null);
            row(current, "a" + CanonicalText.SEPARATOR + "1", "x", 5L);
        }
        Reconciliation.Result result = Reconciliation.run(db, 10);
        assertThat(result.count("equal")).isEqualTo(1);
        assertThat(result.exitCode()).isEqualTo(AuditResult.EXPLAINED);
        assertThat(Reconciliation.display("a" + CanonicalText.SEPARATOR + "1")).isEqualTo("a,1");
    }

    /**
     * Randomized histories checked against a plain model: each key's changes are accepted or rejected at random, the
     * warehouse applies the accepted ones in order (and sometimes loses a row by hand); the engine's state of every
     * key equals the one the model derives from the rules with maps and loops.
     */
    @Test
    void randomizedHistoriesAgreeWithAPlainModel() throws SQLException {
        Random random = new Random(11);
        Map<String, String> expected = new HashMap<>();
        try (DuckDBAppender captured = db.appender(AuditDatabase.CAPTURED);
                DuckDBAppender entities = db.appender(AuditDatabase.ENTITIES);
                DuckDBAppender dead = db.appender(AuditDatabase.CURRENT_DEAD_LETTERS);
                DuckDBAppender source = db.appender(AuditDatabase.SOURCE_ROWS);
                DuckDBAppender current = db.appender(AuditDatabase.CURRENT_ROWS)) {
            for (int k = 0; k < 2_000; k++) {
                String key = "k" + k;
                int changes = 1 + random.nextInt(4);
                String sourceVals = null;
                String currentVals = null;
                long currentLsn = -1;
                long newestRejected = -1;
                long newestAccepted = -1;
                String newestAcceptedOp = null;
                for (int i = 0; i < changes; i++) {
                    long lsn = k * 10L + i;
                    String op = i == 0 || sourceVals == null ? "c" : random.nextInt(5) == 0 ? "d" : "u";
                    String vals = "d".equals(op) ? null : key + "@" + lsn;
                    sourceVals = vals;
                    int fate = random.nextInt(6);
                    if (fate == 0) {
                        quarantined(captured, entities, key, lsn, op, "r");
                        newestRejected = lsn;
                    } else if (fate == 1) {
                        long at = change(captured, entities, key, lsn, op);
                        deadLetter(dead, at, "x");
                        newestRejected = lsn;
                    } else {
                        change(captured, entities, key, lsn, op);
                        currentVals = vals;
                        currentLsn = lsn;
                        newestAccepted = lsn;
                        newestAcceptedOp = op;
                    }
                }
                boolean lostByHand = currentVals != null && random.nextInt(20) == 0;
                if (lostByHand) {
                    currentVals = null;
                }
                if (sourceVals != null) {
                    row(source, key, sourceVals, null);
                }
                if (currentVals != null) {
                    row(current, key, currentVals, currentLsn);
                }
                String state;
                if (sourceVals == null && currentVals == null) {
                    continue;
                } else if (currentVals != null && newestRejected > currentLsn && newestAccepted <= currentLsn) {
                    state = "stale";
                } else if (sourceVals != null && sourceVals.equals(currentVals)) {
                    state = "equal";
                } else if (sourceVals != null && currentVals == null && newestRejected >= 0
                        && (newestAccepted < 0 || newestAccepted < newestRejected && "d".equals(newestAcceptedOp))) {
                    state = "absent";
                } else if (currentVals != null && sourceVals == null) {
                    state = "extra";
                } else {
                    state = "unexplained";
                }
                expected.put(key, state);
            }
        }
        Reconciliation.run(db, 10);
        assertThat(states()).isEqualTo(expected);
        assertThat(expected.values()).contains("equal", "stale", "absent", "unexplained");
    }

    private Map<String, String> states() throws SQLException {
        Map<String, String> m = new HashMap<>();
        try (Statement s = db.connection().createStatement();
                ResultSet rs = s.executeQuery("SELECT entity, state FROM reconciliation")) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getString(2));
            }
        }
        return m;
    }

    private long change(DuckDBAppender captured, DuckDBAppender entities, String key, long lsn, String op)
            throws SQLException {
        return event(captured, entities, TOPIC, "change", key, lsn, op, null);
    }

    private long quarantined(DuckDBAppender captured, DuckDBAppender entities, String key, long lsn, String op,
            String rules) throws SQLException {
        return event(captured, entities, QUARANTINE, "quarantine", key, lsn, op, rules);
    }

    /** A change {@code truthline replay} wrote again, replaying the event at {@code of}. */
    private long replayed(DuckDBAppender captured, DuckDBAppender entities, String key, long lsn, String op, String of)
            throws SQLException {
        return event(captured, entities, TOPIC, "change", key, lsn, op, null, of);
    }

    private long event(DuckDBAppender captured, DuckDBAppender entities, String topic, String kind, String key,
            long lsn, String op, String rules) throws SQLException {
        return event(captured, entities, topic, kind, key, lsn, op, rules, null);
    }

    private long event(DuckDBAppender captured, DuckDBAppender entities, String topic, String kind, String key,
            long lsn, String op, String rules, String replayOf) throws SQLException {
        long at = offset++;
        captured.beginRow().append(topic).append(0).append(at).append(kind).append(key).append(0L).append(at)
                .append(1_000L);
        if (rules == null) {
            captured.appendNull();
        } else {
            captured.append(rules);
        }
        if (replayOf == null) {
            captured.appendNull().appendNull();
        } else {
            captured.append(replayOf).append("replay-20261205T041200Z");
        }
        captured.endRow();
        entities.beginRow().append(topic).append(0).append(at).append(kind).append(key).append(lsn).append(op).endRow();
        return at;
    }

    private static void deadLetter(DuckDBAppender dead, long offset, String reason) throws SQLException {
        dead.beginRow().append("orders-warehouse").append(TOPIC).append(0).append(offset).append(reason).endRow();
    }

    private static void row(DuckDBAppender a, String entity, String vals, Long lsn) throws SQLException {
        a.beginRow().append(entity).append(vals);
        if (lsn == null) {
            a.appendNull();
        } else {
            a.append(lsn);
        }
        a.endRow();
    }
}
