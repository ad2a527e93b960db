package dev.truthline.demo;

import java.util.List;

import dev.truthline.demo.IcebergTables.SnapshotInfo;

/**
 * Everything the truth report is judged from, as read from the stores at the end of a run — no judgement in
 * it: the records of the change and quarantine topics (position and change identity), the silver sink's
 * dead-letter records, row counts of every table, silver's snapshots, the rows' visibility delays, and the
 * Deduplicate SMT's own counter. {@link ReportJudge} turns it into the report.
 *
 * @param silverConnector the silver sink's name (its dead letters are the ones that count)
 * @param deadLetters every record of the silver sink's dead-letter topic; empty without one
 * @param silverCopies silver rows repeating a change already in silver; null when silver lacks the fields to tell
 * @param silverTimeTravel silver's row count as of one earlier snapshot; null with fewer than two snapshots
 * @param latency visibility delays of one table's rows: silver's, else bronze's when silver rows carry no time
 * @param dedupeDropped the silver sink's Deduplicate counters (duplicates + stale) over JMX; null without them
 * @param dedupeProblem why the counters could not be read; null when they could or there is no worker
 * @param workerStarts how often the demo's worker was started (its counters count since the last start); 0 when
 *     the pipeline runs on the user's Connect cluster
 * @param readAtMs when the stores were read (the end of the throughput window when silver has no snapshot)
 */
record StoreReadings(List<TopicChange> changeTopic, List<TopicChange> quarantineTopic, String silverConnector,
        List<DeadLetter> deadLetters, String silverTable, long silverRows, Long silverCopies,
        List<SnapshotInfo> silverSnapshots, TimeTravelRead silverTimeTravel, Delays latency, Long bronzeRows,
        Long quarantineTableRows, Long warehouseRows, long sourceTableRows, Long dedupeDropped, String dedupeProblem,
        int workerStarts, long readAtMs) {

    /**
     * A record of a dead-letter topic: the connector and source position from Connect's context headers (null
     * without them) and its own position in the dead-letter topic.
     */
    record DeadLetter(String connector, String sourcePartition, String sourceOffset, int partition, long offset) {
    }

    /** Rows as of the snapshot at {@code index} of the snapshot list. */
    record TimeTravelRead(int index, long rows) {
    }

    /** Delays (ms) from each row's PostgreSQL commit to the commit of the snapshot that first held it. */
    record Delays(String table, long[] millis) {
    }
}
