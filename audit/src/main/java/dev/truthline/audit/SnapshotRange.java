package dev.truthline.audit;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.kafka.common.TopicPartition;

/**
 * A range by snapshots of the landing table, {@code (A, B]}, turned into offsets. Snapshot {@code S} of the landing
 * table cuts the change topic, per partition, one past the highest offset its rows hold; it cuts the quarantine topic
 * where the quarantine table's newest snapshot committed at or before {@code S} was committed cuts it. The range is
 * the offsets from A's cut (inclusive) to B's (exclusive), per partition.
 *
 * <p>So an event belongs to the first snapshot whose table holds a row at or after its offset in its partition:
 * a landed event to the snapshot that added its row; an event that did not land (dead-lettered, a duplicate, lost) to
 * the first snapshot that landed anything after it in its partition. A sink reads a partition in order, so by then
 * the sink had passed it. Cuts only grow from a snapshot to a later one, so consecutive ranges meet without a gap or
 * an overlap, and an event landed by A lies before A's cut: it is never in {@code (A, B]}.
 *
 * <p>With an end snapshot, the tables are read as of it (the landing table at B, the quarantine table at its newest
 * snapshot at or before B's commit), so rows added later do not count; dead-letter queues are read whole, as always.
 */
final class SnapshotRange {

    /** The range as offsets, and the snapshots to read the tables at (null: the current ones). */
    record Resolved(AuditRange range, Long landingSnapshot, Long quarantineSnapshot, boolean quarantineEmpty) {
    }

    private SnapshotRange() {
    }

    /**
     * Turns the range's snapshot bounds into cuts; a range without one comes back as it is.
     *
     * @param landing    the landing table (null when it does not exist yet)
     * @param quarantine the quarantine table (null when there is none or it does not exist yet)
     */
    static Resolved resolve(AuditDatabase db, AuditPlan plan, AuditRange range, Table landing, Table quarantine)
            throws CannotJudgeException, SQLException {
        Long sinceId = range.since().snapshotId();
        Long untilId = range.until().snapshotId();
        if (sinceId == null && untilId == null) {
            return new Resolved(range, null, null, false);
        }
        Snapshot since = sinceId == null ? null : snapshot(landing, plan, range.since().option(), sinceId);
        Snapshot until = untilId == null ? null : snapshot(landing, plan, range.until().option(), untilId);
        long newest = until != null ? until.snapshotId() : landing.currentSnapshot().snapshotId();
        if (since != null && !SnapshotUtil.isAncestorOf(landing, newest, since.snapshotId())) {
            throw CannotJudgeException.option(range.since().option(), since.snapshotId() + " is not "
                    + (until != null ? "an ancestor of " + range.until().option() + " " + newest
                            : "an ancestor of the current snapshot of " + plan.landing().table())
                    + ": the range would run backwards");
        }
        AuditRange.Bound start = since == null ? range.since() : cut(db, plan, range.since().option(), since, landing,
                quarantine);
        AuditRange.Bound end = until == null ? range.until() : cut(db, plan, range.until().option(), until, landing,
                quarantine);
        Long quarantineAt = until == null || quarantine == null ? null : asOf(quarantine, until.timestampMillis());
        return new Resolved(new AuditRange(start, end), until == null ? null : until.snapshotId(), quarantineAt,
                until != null && quarantine != null && quarantineAt == null);
    }

    private static Snapshot snapshot(Table landing, AuditPlan plan, String option, long id) throws CannotJudgeException {
        if (landing == null) {
            throw CannotJudgeException.option(option, plan.landing().table() + " does not exist yet: it has no "
                    + "snapshot " + id);
        }
        Snapshot s = landing.snapshot(id);
        if (s == null) {
            Snapshot current = landing.currentSnapshot();
            throw CannotJudgeException.option(option, id + " is not a snapshot of " + plan.landing().table()
                    + " (expired, or of another table; its current snapshot is "
                    + (current == null ? "none" : String.valueOf(current.snapshotId())) + ")");
        }
        return s;
    }

    /** Snapshot {@code s}'s cut of the change topic and, through the quarantine table, of the quarantine topic. */
    private static AuditRange.Bound cut(AuditDatabase db, AuditPlan plan, String option, Snapshot s, Table landing,
            Table quarantine) throws CannotJudgeException, SQLException {
        Map<TopicPartition, Long> offsets = new HashMap<>(IcebergSinkRows.ends(db, landing, plan.landing().table(),
                s.snapshotId(), plan.changeTopic()));
        if (quarantine != null && plan.quarantineTopic() != null) {
            Long q = asOf(quarantine, s.timestampMillis());
            if (q != null) {
                offsets.putAll(IcebergSinkRows.ends(db, quarantine, plan.quarantine().table(), q,
                        plan.quarantineTopic()));
            }
        }
        return AuditRange.Bound.cut(option, offsets);
    }

    /** The table's newest snapshot (of its current history) committed at or before {@code timeMs}, or null. */
    private static Long asOf(Table table, long timeMs) {
        if (table.currentSnapshot() == null) {
            return null;
        }
        try {
            return SnapshotUtil.snapshotIdAsOfTime(table, timeMs);
        } catch (IllegalArgumentException none) {
            return null;
        }
    }
}
