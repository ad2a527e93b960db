package dev.truthline.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.truthline.audit.AuditCounts;
import dev.truthline.audit.AuditCounts.Counted;
import dev.truthline.audit.AuditPlan;
import dev.truthline.audit.AuditResult;
import dev.truthline.audit.Fate;
import dev.truthline.audit.LandingLatency;
import dev.truthline.audit.PipelineAudit;
import dev.truthline.demo.IcebergTables.SnapshotInfo;
import dev.truthline.demo.StoreReadings.TimeTravelRead;

/** The truth report judged from an audit outcome and store readings made up here: no broker, no table, no worker. */
class ReportJudgeTest {

    private static final TruthReport.Run RUN = new TruthReport.Run("orders", 10, 10,
            Map.of("inserts", 10, "updates", 0, "deletes", 0), Map.of("source", 1, "silver", 1), 0.1, 0.1, 1, false,
            1, null, 42, 0, 2.0, 30.0);

    private static final AuditPlan PLAN = new AuditPlan("localhost:9092", "orders.events.v1",
            "orders.events.v1.quarantine", "dq.rules", true, true, "iceberg", Map.of(),
            new AuditPlan.SinkTable("orders-silver", "silver.orders"),
            new AuditPlan.SinkTable("orders-quarantine", "quarantine.orders"), Map.of(), "64MB", Path.of("."));

    private static final StoreReadings STORES = new StoreReadings(10L,
            List.of(new SnapshotInfo(11, 2_000, 3), new SnapshotInfo(12, 3_000, 6), new SnapshotInfo(13, 5_000, 7)),
            new TimeTravelRead(1, 6), 7L, 7, 2L, null, 1, 9_999);

    /**
     * Thirteen events of ten changes: 10 in the change topic (8 changes, two of them re-emitted by a rewind; a
     * tombstone besides), 3 in the quarantine topic (2 changes, one re-emitted); by default 7 landed, 1 dead-lettered,
     * 2 duplicates, 3 quarantined.
     */
    private static PipelineAudit.Outcome audit(Map<Fate, Long> fates, long extraRows, long deadLetters,
            Map<String, Counted> byKind, Map<String, Map<Fate, Counted>> byFate, long silverRows) {
        AuditResult result = new AuditResult(fates, Map.of(), Map.of(), List.of(), extraRows, List.of(), 0, List.of());
        AuditCounts counts = new AuditCounts(byKind, byFate, 1,
                Map.of("silver.orders", silverRows, "quarantine.orders", 3L));
        LandingLatency.Histogram latency = new LandingLatency.Histogram(List.of(), 7, 0, 10L, 30L, 30L);
        return new PipelineAudit.Outcome(result, Map.of(), fates.values().stream().mapToLong(Long::longValue).sum(),
                deadLetters, 0, 4, 100, latency, null, 0, counts);
    }

    private static Map<Fate, Long> fates(long landed, long quarantined, long dead, long duplicate, long unexplained) {
        Map<Fate, Long> f = new EnumMap<>(Fate.class);
        f.put(Fate.LANDED, landed);
        f.put(Fate.QUARANTINED, quarantined);
        f.put(Fate.DEAD_LETTERED, dead);
        f.put(Fate.DUPLICATE, duplicate);
        f.put(Fate.UNEXPLAINED, unexplained);
        return f;
    }

    private static Map<String, Counted> byKind() {
        return Map.of("change", new Counted(10, 8, 1_001L, 1_008L), "quarantine", new Counted(3, 2, 1_009L, 1_010L));
    }

    private static Map<String, Map<Fate, Counted>> byFate(long landedChanges) {
        return Map.of("change", Map.of(Fate.LANDED, new Counted(7, landedChanges, null, null),
                        Fate.DEAD_LETTERED, new Counted(1, 1, null, null), Fate.DUPLICATE, new Counted(2, 2, null, null)),
                "quarantine", Map.of(Fate.QUARANTINED, new Counted(3, 2, null, null)));
    }

    @Test
    void theAuditsFatesAreTheEquationAndTheWorkloadChecksThem() {
        TruthReport report = ReportJudge.judge(PLAN, audit(fates(7, 3, 1, 2, 0), 0, 2, byKind(), byFate(7), 7),
                STORES, RUN, 2.0, List.of("a run note"));

        assertThat(report.captured()).isEqualTo(new TruthReport.Captured(13, 10, 3, 1, 3));
        assertThat(report.quarantined()).isEqualTo(3);
        assertThat(report.deadLettered()).isEqualTo(1);
        assertThat(report.dropped()).isEqualTo(new TruthReport.Dropped(2, 2L, true));
        assertThat(report.equation()).isEqualTo(TruthReport.Equation.of(13, 7, 3, 1, 2, 0, 0));
        assertThat(report.equation().balanced()).isTrue();
        // Changes written 10: 8 + 2 distinct captured; 1 invalid at the source (but 2 distinct quarantined here).
        assertThat(report.checks()).containsExactly(
                new TruthReport.Check("changes written = distinct changes captured", 10, 10, true),
                new TruthReport.Check("invalid at the source = distinct changes quarantined", 1, 2, false),
                new TruthReport.Check("invalid at silver = distinct changes dead-lettered", 1, 1, true),
                new TruthReport.Check("duplicates the audit found = Deduplicate drops (JMX)", 2, 2, true));
        assertThat(report.holds()).as("a check differs").isFalse();
        assertThat(report.notes()).containsExactly("a run note",
                "the DLQs hold 2 records for 1 captured events: 1 dead-lettered again after a restart",
                "invalid at the source = distinct changes quarantined: 1 against 2");
        assertThat(report.timeTravel()).isEqualTo(new TruthReport.TimeTravel(12, 3_000, 6, 7, 2, 3));
        assertThat(report.throughput().secondsFirstCommitToLastSnapshot()).as("first commit 1,001 ms to 5,000 ms")
                .isEqualTo(4.0);
        assertThat(report.latency()).isEqualTo(new TruthReport.Latency("silver.orders", 7, 10, 30, 30));
        assertThat(report.landed()).isEqualTo(new TruthReport.Landed(10L, 7, 0L, 3L, 7L, 7));
    }

    @Test
    void everyCheckHoldingAndNothingUnexplainedHolds() {
        TruthReport.Run run = new TruthReport.Run("orders", 10, 10, Map.of(), Map.of("source", 2, "silver", 1), 0.1,
                0.1, 1, false, 1, null, 42, 0, 2.0, 30.0);
        TruthReport report = ReportJudge.judge(PLAN, audit(fates(7, 3, 1, 2, 0), 0, 1, byKind(), byFate(7), 7),
                STORES, run, 2.0, List.of());
        assertThat(report.holds()).isTrue();
        assertThat(report.notes()).isEmpty();
    }

    @Test
    void anUnexplainedEventOrRowFailsTheReportEvenWhenTheSumsCancel() {
        // One event lost and one silver row naming no captured event: 13 = 8 + 3 + 1 + 1, yet not balanced.
        TruthReport report = ReportJudge.judge(PLAN, audit(fates(6, 3, 1, 2, 1), 1, 1, byKind(), byFate(6), 7),
                STORES, RUN, 2.0, List.of());
        assertThat(report.equation().difference()).isZero();
        assertThat(report.equation().unexplained()).isEqualTo(1);
        assertThat(report.equation().unexplainedRows()).isEqualTo(1);
        assertThat(report.equation().balanced()).isFalse();
        assertThat(report.holds()).isFalse();
        assertThat(report.notes()).contains("the audit explains neither 1 captured events nor 1 silver rows: they are "
                + "listed by position in audit-report.json");
    }

    @Test
    void aRestartedWorkersMetricsAreShownButNotChecked() {
        StoreReadings restarted = new StoreReadings(10L, STORES.silverSnapshots(), null, 7L, 7, 1L, null, 2, 9_999);
        TruthReport report = ReportJudge.judge(PLAN, audit(fates(7, 3, 1, 2, 0), 0, 1, byKind(), byFate(7), 7),
                restarted, RUN, 2.0, List.of());
        assertThat(report.dropped()).isEqualTo(new TruthReport.Dropped(2, 1L, false));
        assertThat(report.checks()).extracting(TruthReport.Check::what)
                .doesNotContain("duplicates the audit found = Deduplicate drops (JMX)");
        assertThat(report.timeTravel()).isNull();
    }

    @Test
    void metricsThatDisagreeWithTheAuditFailTheReport() {
        StoreReadings more = new StoreReadings(10L, STORES.silverSnapshots(), null, 7L, 7, 5L, null, 1, 9_999);
        TruthReport report = ReportJudge.judge(PLAN, audit(fates(7, 3, 1, 2, 0), 0, 1, byKind(), byFate(7), 7),
                more, RUN, 2.0, List.of());
        assertThat(report.holds()).isFalse();
        assertThat(report.notes()).contains("duplicates the audit found = Deduplicate drops (JMX): 2 against 5");
    }

    @Test
    void copiesSilverKeptAndMissingMetricsAreSaid() {
        StoreReadings noJmx = new StoreReadings(10L, List.of(), null, 7L, 7, null, "connection refused", 1, 9_999);
        TruthReport report = ReportJudge.judge(PLAN, audit(fates(7, 3, 1, 2, 0), 0, 1, byKind(), byFate(5), 7),
                noJmx, RUN, 2.0, List.of());
        assertThat(report.landed().silverCopies()).isEqualTo(2);
        assertThat(report.notes()).contains(
                "silver holds 2 rows that repeat a change already in silver: copies that reached a Deduplicate window "
                        + "which did not hold their original (a task restarted with an empty window)",
                "Deduplicate metrics unavailable over JMX: connection refused");
        assertThat(report.dropped().metrics()).isNull();
        assertThat(report.throughput().secondsFirstCommitToLastSnapshot()).as("no snapshot: up to the read")
                .isEqualTo(9.0);
    }
}
