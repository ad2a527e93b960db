package dev.truthline.demo;

import java.util.List;

import dev.truthline.demo.IcebergTables.SnapshotInfo;

/**
 * What the truth report takes from the stores beside the audit, read at the end of a run — no judgement in it:
 * bronze's row count (the audit reads silver and the quarantine table, not bronze), silver's snapshots and a count as
 * of an earlier one (time travel), the warehouse and source tables' row counts, and the Deduplicate SMT's own counter.
 * {@link ReportJudge} turns it and the audit into the report.
 *
 * @param bronzeRows rows in bronze from its current snapshot's summary; null without a bronze sink
 * @param silverTimeTravel silver's row count as of one earlier snapshot; null with fewer than two snapshots
 * @param warehouseRows rows in the warehouse table; null without a warehouse sink
 * @param dedupeDropped the silver sink's Deduplicate counters (duplicates + stale) over JMX; null without them
 * @param dedupeProblem why the counters could not be read; null when they could or there is no worker
 * @param workerStarts how often the demo's worker was started (its counters count since the last start); 0 when
 *     the pipeline runs on the user's Connect cluster
 * @param readAtMs when the stores were read (the end of the throughput window when silver has no snapshot)
 */
record StoreReadings(Long bronzeRows, List<SnapshotInfo> silverSnapshots, TimeTravelRead silverTimeTravel,
        Long warehouseRows, long sourceTableRows, Long dedupeDropped, String dedupeProblem, int workerStarts,
        long readAtMs) {

    /** Rows as of the snapshot at {@code index} of the snapshot list. */
    record TimeTravelRead(int index, long rows) {
    }
}
