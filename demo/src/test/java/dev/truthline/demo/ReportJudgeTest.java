package dev.truthline.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.truthline.demo.IcebergTables.SnapshotInfo;
import dev.truthline.demo.StoreReadings.DeadLetter;
import dev.truthline.demo.StoreReadings.Delays;
import dev.truthline.demo.StoreReadings.TimeTravelRead;

/** The truth report judged from store readings made up here: no broker, no table, no worker. */
class ReportJudgeTest {

    private static final TruthReport.Run RUN = new TruthReport.Run("orders", 10, 10,
            Map.of("inserts", 10, "updates", 0, "deletes", 0), 0.1, 0.1, 1, false, 1, null, 42, 0, 2.0, 30.0);

    private static TopicChange change(int partition, long offset, long change) {
        return new TopicChange(partition, offset, false, new TopicChange.Id(change, -change), 100 + change, 1_000 + change);
    }

    private static TopicChange tombstone(int partition, long offset) {
        return new TopicChange(partition, offset, true, null, -1, -1);
    }

    /** Ten changes: 1-8 in the change topic (2 and 3 twice, after a rewind), 9-10 quarantined (10 twice). */
    private static List<TopicChange> changeTopic() {
        List<TopicChange> topic = new ArrayList<>();
        for (long c = 1; c <= 8; c++) {
            topic.add(change(0, c, c));
        }
        topic.add(tombstone(0, 9));
        topic.add(change(0, 10, 2)); // re-emitted copies
        topic.add(change(0, 11, 3));
        return topic;
    }

    private static StoreReadings stores(List<DeadLetter> deadLetters, long silverRows, Long dedupeDropped,
            int workerStarts) {
        return new StoreReadings(changeTopic(), List.of(change(0, 0, 9), change(0, 1, 10), change(0, 2, 10)), "silver",
                deadLetters, "silver.orders", silverRows, 0L,
                List.of(new SnapshotInfo(11, 2_000, 3), new SnapshotInfo(12, 3_000, 6), new SnapshotInfo(13, 5_000, 7)),
                new TimeTravelRead(1, 6), new Delays("silver.orders", new long[] {10, 20, 30}), 10L, 3L, 7L, 7,
                dedupeDropped, null, workerStarts, 9_999);
    }

    @Test
    void everyEventIsInSilverTheQuarantineTheDlqOrDroppedAsDuplicate() {
        // Change 5 was dead-lettered (offset 5), once more after a restart; the copies of 2 and 3 were dropped.
        List<DeadLetter> dlq = List.of(new DeadLetter("silver", "0", "5", 0, 0), new DeadLetter("silver", "0", "5", 0, 1),
                new DeadLetter("bronze", "0", "6", 0, 2));
        TruthReport report = ReportJudge.judge(stores(dlq, 7, 2L, 1), RUN, 2.0, List.of("a run note"));

        assertThat(report.captured()).isEqualTo(new TruthReport.Captured(13, 10, 3, 1, 3));
        assertThat(report.quarantined()).isEqualTo(3);
        assertThat(report.deadLettered()).as("silver's distinct positions; bronze's dead letter is not silver's")
                .isEqualTo(1);
        assertThat(report.dropped()).isEqualTo(new TruthReport.Dropped(2L, 2, 2, "Deduplicate metrics over JMX"));
        assertThat(report.equation()).isEqualTo(TruthReport.Equation.of(13, 7, 3, 1, 2));
        assertThat(report.equation().balanced()).isTrue();
        assertThat(report.notes()).containsExactly("a run note",
                "the DLQ holds 2 records for 1 positions: 1 dead-lettered again after a restart");
        assertThat(report.timeTravel()).isEqualTo(new TruthReport.TimeTravel(12, 3_000, 6, 7, 2, 3));
        assertThat(report.throughput().secondsFirstCommitToLastSnapshot()).as("first commit 1,001 ms to 5,000 ms")
                .isEqualTo(4.0);
        assertThat(report.latency().maxMs()).isEqualTo(30);
        assertThat(report.landed()).isEqualTo(new TruthReport.Landed(10L, 7, 0L, 3L, 7L, 7));
    }

    @Test
    void aCopyThatWentToTheDlqIsNotCountedAsDropped() {
        // The copy of change 3 (offset 11) was dead-lettered rather than dropped; no JMX figures.
        TruthReport report = ReportJudge.judge(stores(List.of(new DeadLetter(null, "0", "11", 0, 0)), 7, null, 0),
                RUN, 2.0, List.of());
        assertThat(report.dropped()).isEqualTo(new TruthReport.Dropped(null, 1, 1, "from the topic (no JMX metrics)"));
        assertThat(report.deadLettered()).isEqualTo(1);
        assertThat(report.equation().difference()).as("13 - (7 + 3 + 1 + 1)").isEqualTo(1);
    }

    @Test
    void aRestartedWorkersMetricsGiveWayToTheTopic() {
        TruthReport report = ReportJudge.judge(stores(List.of(), 8, 1L, 2), RUN, 2.0, List.of());
        assertThat(report.dropped()).isEqualTo(new TruthReport.Dropped(1L, 2, 2,
                "from the topic (the worker restarted: its metrics count only since then)"));
        assertThat(report.equation().balanced()).isTrue();
    }

    @Test
    void metricsThatDisagreeWithTheTopicAreSaid() {
        TruthReport report = ReportJudge.judge(stores(List.of(), 8, 5L, 1), RUN, 2.0, List.of());
        assertThat(report.dropped().counted()).isEqualTo(5);
        assertThat(report.notes()).containsExactly(
                "Deduplicate metrics (5) and the copies in the topic that did not go to the DLQ (2) disagree");
        assertThat(report.equation().difference()).isEqualTo(-3);
    }

    @Test
    void silverCopiesAndBronzeLatencyAreSaid() {
        StoreReadings s = stores(List.of(), 8, 2L, 1);
        StoreReadings withCopies = new StoreReadings(s.changeTopic(), s.quarantineTopic(), s.silverConnector(),
                s.deadLetters(), s.silverTable(), s.silverRows(), 2L, List.of(), null, new Delays("bronze.orders",
                        new long[] {5}), s.bronzeRows(), s.quarantineTableRows(), s.warehouseRows(), s.sourceTableRows(),
                s.dedupeDropped(), "connection refused", s.workerStarts(), 9_999);
        TruthReport report = ReportJudge.judge(withCopies, RUN, 2.0, List.of());
        assertThat(report.notes()).containsExactly(
                "silver holds 2 rows that repeat a change already in silver: copies that reached a Deduplicate window "
                        + "which did not hold their original (a task restarted with an empty window)",
                "silver rows carry no source.ts_ms: latency measured on bronze",
                "Deduplicate metrics unavailable over JMX: connection refused");
        assertThat(report.timeTravel()).isNull();
        assertThat(report.latency().table()).isEqualTo("bronze.orders");
        assertThat(report.throughput().secondsFirstCommitToLastSnapshot()).as("no snapshot: up to the read")
                .isEqualTo(9.0);
    }
}
