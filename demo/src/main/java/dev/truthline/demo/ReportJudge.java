package dev.truthline.demo;

import java.util.ArrayList;
import java.util.List;

import dev.truthline.audit.AuditCounts;
import dev.truthline.audit.AuditPlan;
import dev.truthline.audit.AuditResult;
import dev.truthline.audit.CapturedEvents;
import dev.truthline.audit.Fate;
import dev.truthline.audit.LandingLatency;
import dev.truthline.audit.PipelineAudit;
import dev.truthline.demo.IcebergTables.SnapshotInfo;
import dev.truthline.demo.TruthReport.Captured;
import dev.truthline.demo.TruthReport.Check;
import dev.truthline.demo.TruthReport.Dropped;
import dev.truthline.demo.TruthReport.Equation;
import dev.truthline.demo.TruthReport.Landed;
import dev.truthline.demo.TruthReport.Latency;
import dev.truthline.demo.TruthReport.Run;
import dev.truthline.demo.TruthReport.Throughput;
import dev.truthline.demo.TruthReport.TimeTravel;

/**
 * The truth report as a plain function of the audit of the run and of what only the demo knows: the audit's fates
 * are the equation ({@code captured = silver + quarantined + dead-lettered + dropped}, nothing unexplained); the
 * workload adds what it intended — every change it wrote captured once, each invalid change quarantined or
 * dead-lettered where its rule is checked — and the Deduplicate SMT's own counter, each checked against the audit.
 */
final class ReportJudge {

    private ReportJudge() {
    }

    /**
     * @param plan what the audit read (the silver and quarantine tables' names)
     * @param audit the audit of the run; its {@code counts} must be there (the one-machine audit counts them)
     * @param stores what only the demo reads: bronze, silver's snapshots, the warehouse, the JMX counter
     * @param run what the run did (not read from a store)
     * @param writeSeconds the workload's exact write time, for its write rate
     * @param runNotes what the run noted on the way (overrides, restarted tasks), first in the report's notes
     */
    static TruthReport judge(AuditPlan plan, PipelineAudit.Outcome audit, StoreReadings stores, Run run,
            double writeSeconds, List<String> runNotes) {
        List<String> notes = new ArrayList<>(runNotes);
        AuditResult fates = audit.result();
        AuditCounts counts = audit.counts();
        AuditCounts.Counted changes = counts.kind(CapturedEvents.CHANGE);
        AuditCounts.Counted quarantine = counts.kind(CapturedEvents.QUARANTINE);
        long captured = fates.captured();

        String silverTable = plan.landing().table();
        long silverRows = orZero(counts.rowsRead(silverTable));
        Long quarantineRows = plan.quarantine() == null ? null : orZero(counts.rowsRead(plan.quarantine().table()));
        long silverCopies = counts.of(CapturedEvents.CHANGE, Fate.LANDED).repeats();
        if (silverCopies > 0) {
            notes.add(String.format("silver holds %,d rows that repeat a change already in silver: copies that reached "
                    + "a Deduplicate window which did not hold their original (a task restarted with an empty window)",
                    silverCopies));
        }
        long unexplainedRows = fates.extraRows() + fates.rowsLandedTwice();
        if (fates.count(Fate.UNEXPLAINED) > 0 || unexplainedRows > 0) {
            notes.add(String.format("the audit explains neither %,d captured events nor %,d silver rows: they are "
                    + "listed by position in audit-report.json", fates.count(Fate.UNEXPLAINED), unexplainedRows));
        }
        if (audit.reconciliation() != null && audit.reconciliation().exitCode() != AuditResult.EXPLAINED) {
            notes.add("the audit's reconciliation of the source table with the warehouse leaves keys unexplained "
                    + "(audit-report.json, reconciliation)");
        }
        long deadLetters = audit.deadLetters() - audit.deadLettersWithoutContext();
        long deadLettered = fates.count(Fate.DEAD_LETTERED);
        if (deadLetters > deadLettered) {
            notes.add(String.format("the DLQs hold %,d records for %,d captured events: %,d dead-lettered again after a "
                    + "restart", deadLetters, deadLettered, deadLetters - deadLettered));
        }
        if (audit.deadLettersWithoutContext() > 0) {
            notes.add(String.format("%,d dead letters carry no context headers: they name no captured event",
                    audit.deadLettersWithoutContext()));
        }

        // The Deduplicate SMT's own count holds only while the worker never restarted (it counts since its start).
        long duplicates = fates.count(Fate.DUPLICATE);
        Long metrics = stores.dedupeDropped();
        if (stores.dedupeProblem() != null) {
            notes.add("Deduplicate metrics unavailable over JMX: " + stores.dedupeProblem());
        }
        boolean metricsCoverRun = metrics != null && stores.workerStarts() == 1;

        List<Check> checks = new ArrayList<>();
        checks.add(Check.of("changes written = distinct changes captured", run.changesWritten(),
                changes.changes() + quarantine.changes()));
        if (run.invalidWritten() != null) {
            checks.add(Check.of("invalid at the source = distinct changes quarantined",
                    run.invalidWritten().getOrDefault("source", 0),
                    counts.of(CapturedEvents.QUARANTINE, Fate.QUARANTINED).changes()));
            checks.add(Check.of("invalid at silver = distinct changes dead-lettered",
                    run.invalidWritten().getOrDefault("silver", 0),
                    counts.of(CapturedEvents.CHANGE, Fate.DEAD_LETTERED).changes()));
        }
        if (metricsCoverRun) {
            checks.add(Check.of("duplicates the audit found = Deduplicate drops (JMX)", duplicates, metrics));
        }
        for (Check c : checks) {
            if (!c.holds()) {
                notes.add(String.format("%s: %,d against %,d", c.what(), c.expected(), c.found()));
            }
        }

        List<SnapshotInfo> snapshots = stores.silverSnapshots();
        TimeTravel timeTravel = null;
        if (stores.silverTimeTravel() != null) {
            int index = stores.silverTimeTravel().index();
            SnapshotInfo earlier = snapshots.get(index);
            timeTravel = new TimeTravel(earlier.id(), earlier.committedAtMs(), stores.silverTimeTravel().rows(),
                    silverRows, index + 1, snapshots.size());
        }
        long lastSnapshotMs = snapshots.isEmpty() ? stores.readAtMs() : snapshots.get(snapshots.size() - 1).committedAtMs();
        Long firstCommitMs = changes.firstTsMs();
        LandingLatency.Histogram h = audit.latency();

        return new TruthReport(run,
                new Captured(captured, changes.events(), quarantine.events(), counts.tombstones(),
                        changes.repeats() + quarantine.repeats()),
                new Landed(stores.bronzeRows(), silverRows, silverCopies, quarantineRows, stores.warehouseRows(),
                        stores.sourceTableRows()),
                fates.count(Fate.QUARANTINED), deadLettered, new Dropped(duplicates, metrics, metricsCoverRun),
                Equation.of(captured, silverRows, fates.count(Fate.QUARANTINED), deadLettered, duplicates,
                        fates.count(Fate.UNEXPLAINED), unexplainedRows),
                List.copyOf(checks),
                h == null || h.measured() == 0 ? null
                        : new Latency(silverTable, h.measured(), h.p50Ms(), h.p95Ms(), h.maxMs()),
                Throughput.of(captured, firstCommitMs == null ? lastSnapshotMs : firstCommitMs, lastSnapshotMs,
                        run.changesWritten(), writeSeconds),
                timeTravel, audit.exitCode(), List.copyOf(notes));
    }

    private static long orZero(Long n) {
        return n == null ? 0 : n;
    }
}
