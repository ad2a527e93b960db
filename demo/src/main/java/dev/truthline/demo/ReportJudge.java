package dev.truthline.demo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.truthline.demo.IcebergTables.SnapshotInfo;
import dev.truthline.demo.StoreReadings.DeadLetter;
import dev.truthline.demo.TruthReport.Captured;
import dev.truthline.demo.TruthReport.Dropped;
import dev.truthline.demo.TruthReport.Equation;
import dev.truthline.demo.TruthReport.Landed;
import dev.truthline.demo.TruthReport.Latency;
import dev.truthline.demo.TruthReport.Run;
import dev.truthline.demo.TruthReport.Throughput;
import dev.truthline.demo.TruthReport.TimeTravel;

/**
 * The truth report as a plain function of what was read from the stores: which records are copies of a change
 * already seen (by {@code ChangeIdentity}), which dead letters are silver's and at which distinct positions, which
 * drop count the equation uses, and whether {@code captured = silver + quarantined + dead-lettered + dropped}.
 */
final class ReportJudge {

    private ReportJudge() {
    }

    /**
     * @param run what the run did (not read from a store)
     * @param writeSeconds the workload's exact write time, for its write rate
     * @param runNotes what the run noted on the way (overrides, restarted tasks), first in the report's notes
     */
    static TruthReport judge(StoreReadings stores, Run run, double writeSeconds, List<String> runNotes) {
        List<String> notes = new ArrayList<>(runNotes);

        // The change topic: events, tombstones, and copies of changes already in the topic.
        Set<TopicChange.Id> seen = new HashSet<>();
        List<TopicChange> copies = new ArrayList<>();
        long tombstones = 0;
        long firstCommitMs = Long.MAX_VALUE;
        for (TopicChange e : stores.changeTopic()) {
            if (e.tombstone()) {
                tombstones++;
                continue;
            }
            if (e.id() != null && !seen.add(e.id())) {
                copies.add(e);
            }
            if (e.sourceTsMs() > 0) {
                firstCommitMs = Math.min(firstCommitMs, e.sourceTsMs());
            }
        }
        long changeEvents = stores.changeTopic().size() - tombstones;

        // The quarantine topic: what the source's contract routed away, copies included.
        long quarantined = 0;
        long quarantineCopies = 0;
        Set<TopicChange.Id> quarantineSeen = new HashSet<>();
        for (TopicChange e : stores.quarantineTopic()) {
            if (!e.tombstone()) {
                quarantined++;
                if (e.id() != null && !quarantineSeen.add(e.id())) {
                    quarantineCopies++;
                }
            }
        }

        // Silver's dead letters, by the position they came from: a sink that restarts from its last committed
        // offset dead-letters a record again. Without context headers every dead letter counts on its own.
        Set<String> deadPositions = new HashSet<>();
        long deadLetters = 0;
        for (DeadLetter d : stores.deadLetters()) {
            if (d.connector() != null && !d.connector().equals(stores.silverConnector())) {
                continue; // another sink's dead letter in a shared DLQ topic
            }
            deadLetters++;
            deadPositions.add(d.sourcePartition() == null || d.sourceOffset() == null
                    ? "dlq/" + d.partition() + "/" + d.offset() : d.sourcePartition() + "/" + d.sourceOffset());
        }
        if (deadLetters > deadPositions.size()) {
            notes.add(String.format("the DLQ holds %,d records for %,d positions: %,d dead-lettered again after a restart",
                    deadLetters, deadPositions.size(), deadLetters - deadPositions.size()));
        }
        long copiesDropped = copies.stream().filter(c -> !deadPositions.contains(c.partition() + "/" + c.offset())).count();

        Long silverCopies = stores.silverCopies();
        if (silverCopies != null && silverCopies > 0) {
            notes.add(String.format("silver holds %,d rows that repeat a change already in silver: copies that reached "
                    + "a Deduplicate window which did not hold their original (a task restarted with an empty window)",
                    silverCopies));
        }
        if (!stores.latency().table().equals(stores.silverTable())) {
            notes.add("silver rows carry no source.ts_ms: latency measured on bronze");
        }
        List<SnapshotInfo> snapshots = stores.silverSnapshots();
        TimeTravel timeTravel = null;
        if (stores.silverTimeTravel() != null) {
            int index = stores.silverTimeTravel().index();
            SnapshotInfo earlier = snapshots.get(index);
            timeTravel = new TimeTravel(earlier.id(), earlier.committedAtMs(), stores.silverTimeTravel().rows(),
                    stores.silverRows(), index + 1, snapshots.size());
        }
        long lastSnapshotMs = snapshots.isEmpty() ? stores.readAtMs() : snapshots.get(snapshots.size() - 1).committedAtMs();

        // The Deduplicate SMT's own count holds only while the worker never restarted (it counts since its start).
        Long metrics = stores.dedupeDropped();
        if (stores.dedupeProblem() != null) {
            notes.add("Deduplicate metrics unavailable over JMX: " + stores.dedupeProblem());
        }
        boolean metricsWhole = metrics != null && stores.workerStarts() == 1;
        long dropped = metricsWhole ? metrics : copiesDropped;
        String droppedSource = metricsWhole ? "Deduplicate metrics over JMX"
                : metrics == null ? "from the topic (no JMX metrics)"
                : "from the topic (the worker restarted: its metrics count only since then)";
        if (metricsWhole && metrics != copiesDropped) {
            notes.add(String.format("Deduplicate metrics (%,d) and the copies in the topic that did not go to the DLQ "
                    + "(%,d) disagree", metrics, copiesDropped));
        }

        long captured = changeEvents + quarantined;
        return new TruthReport(run,
                new Captured(captured, changeEvents, quarantined, tombstones, copies.size() + quarantineCopies),
                new Landed(stores.bronzeRows(), stores.silverRows(), silverCopies, stores.quarantineTableRows(),
                        stores.warehouseRows(), stores.sourceTableRows()),
                quarantined, deadPositions.size(), new Dropped(metrics, copiesDropped, dropped, droppedSource),
                Equation.of(captured, stores.silverRows(), quarantined, deadPositions.size(), dropped),
                Latency.of(stores.latency().table(), stores.latency().millis()),
                Throughput.of(captured, firstCommitMs == Long.MAX_VALUE ? lastSnapshotMs : firstCommitMs, lastSnapshotMs,
                        run.changesWritten(), writeSeconds),
                timeTravel, List.copyOf(notes));
    }
}
