package dev.truthline.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.truthline.connect.core.ReplayHeaders;

/** What a replay does with each defect: still failing, already replayed (the ledger), or written. */
class ReplayDecisionsTest {

    private final Selection all = ReplaySettings.fromArguments(List.of("connectors=/p", "all=true")).selection;

    private List<ReplayDecisions.Decision> decide(List<ReplayCandidate> selected, ReplayLedger ledger, boolean again,
            List<Long> ledgerSince) throws Exception {
        try (Revalidation revalidation = new Revalidation(Fixtures.pipeline("NEW,PAID,REFUNDED", "NEW,PAID,REFUNDED",
                null))) {
            return ReplayDecisions.decide(selected, all, revalidation::recheck, (topic, since) -> {
                ledgerSince.add(since);
                return ledger;
            }, again, "fix-2", "ana");
        }
    }

    @Test
    void whatAnEarlierReplayWroteIsSkippedUnlessAgain() throws Exception {
        ReplayCandidate first = Fixtures.quarantined(7, 42, "REFUNDED", 9_000);
        ReplayCandidate second = Fixtures.deadLettered(3, 2, 120, 43, "REFUNDED", 5_000);
        ReplayLedger ledger = ReplayLedger.of(Map.of("orders.events.v1.quarantine/0/7", "fix-1"));
        List<Long> since = new ArrayList<>();
        List<ReplayDecisions.Decision> d = decide(List.of(first, second), ledger, false, since);
        assertThat(since).as("the ledger is read from the earliest selected defect's time").containsExactly(5_000L);
        assertThat(d).extracting(ReplayDecisions.Decision::fate).containsExactly(
                ReplayDecisions.Fate.ALREADY_REPLAYED, ReplayDecisions.Fate.WRITE);
        assertThat(d.get(0).replayedBy()).isEqualTo("fix-1");
        assertThat(d.get(1).record().headers().lastHeader(ReplayHeaders.ID).value()).isEqualTo(
                "fix-2".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        List<ReplayDecisions.Decision> again = decide(List.of(first, second), ledger, true, new ArrayList<>());
        assertThat(again).extracting(ReplayDecisions.Decision::fate).containsOnly(ReplayDecisions.Fate.WRITE);
    }

    @Test
    void oneChangeDeadLetteredByTwoSinksIsWrittenOnce() throws Exception {
        ReplayCandidate warehouse = Fixtures.deadLettered(3, 2, 120, 43, "REFUNDED", 5_000);
        ReplayCandidate silver = Fixtures.deadLettered(8, 2, 120, 43, "REFUNDED", 5_000);
        List<ReplayDecisions.Decision> d = decide(List.of(warehouse, silver), ReplayLedger.of(Map.of()), true,
                new ArrayList<>());
        assertThat(d).extracting(ReplayDecisions.Decision::fate).containsExactly(ReplayDecisions.Fate.WRITE,
                ReplayDecisions.Fate.ALREADY_REPLAYED);
        assertThat(d.get(1).replayedBy()).isEqualTo("fix-2");
    }

    @Test
    void whatStillFailsIsNotWrittenAndTheReportSaysWhichRule() throws Exception {
        ReplayCandidate stillBad = Fixtures.quarantined(9, 44, "LOST", 5_000);
        ReplayCandidate fixed = Fixtures.quarantined(10, 45, "REFUNDED", 5_000);
        List<ReplayDecisions.Decision> d = decide(List.of(stillBad, fixed), ReplayLedger.of(Map.of()), false,
                new ArrayList<>());
        assertThat(d).extracting(ReplayDecisions.Decision::fate).containsExactly(
                ReplayDecisions.Fate.STILL_FAILING, ReplayDecisions.Fate.WRITE);
        ReplayReport report = ReplayReport.of("fix-2", "ana", true, d, List.of());
        assertThat(report.exitCode()).isEqualTo(1);
        assertThat(report.total.selected).isEqualTo(2);
        assertThat(report.total.failingRules).containsExactly(Map.entry("status_known", 1L));
        assertThat(report.causes).hasSize(1);
        java.io.StringWriter text = new java.io.StringWriter();
        report.console(new java.io.PrintWriter(text));
        assertThat(text.toString()).contains("still failing: 1 {status_known=1}").contains("would write: 1")
                .doesNotContain("LOST").doesNotContain("secret-customer");
        assertThat(ReplayReport.jsonText(report.json())).doesNotContain("LOST").doesNotContain("secret-customer");
    }
}
