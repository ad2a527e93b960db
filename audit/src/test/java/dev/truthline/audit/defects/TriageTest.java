package dev.truthline.audit.defects;

import static dev.truthline.audit.defects.DefectFixtures.CHANGES;
import static dev.truthline.audit.defects.DefectFixtures.QUARANTINE;
import static dev.truthline.audit.defects.DefectFixtures.SILVER_DLQ;
import static dev.truthline.audit.defects.DefectFixtures.SILVER_REJECTS;
import static dev.truthline.audit.defects.DefectFixtures.T0;
import static dev.truthline.audit.defects.DefectFixtures.WAREHOUSE_DLQ;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.truthline.connect.core.ReplayHeaders;

/** Grouping by cause: counts, distinct events, first/last seen, the trend per day or per hour, totals. */
class TriageTest {

    private final DefectFixtures f = new DefectFixtures();

    /** A week: status_known quarantines on three days, silver dead-letters twice, the warehouse once. */
    Triage.Result week(Instant since) throws Exception {
        f.quarantined(0, T0, 1, "status_known:status");
        f.quarantined(0, T0.plus(Duration.ofHours(2)), 2, "status_known:status", "amount_range:amount");
        f.quarantined(1, T0.plus(Duration.ofDays(1)), 3, "status_known:status");
        f.quarantined(1, T0.plus(Duration.ofDays(3)), 4, "status_known:status");
        f.deadLetter(SILVER_DLQ, T0.plus(Duration.ofDays(4)), 5, 0, 10, SILVER_REJECTS);
        f.deadLetter(SILVER_DLQ, T0.plus(Duration.ofDays(4)).plusSeconds(5), 6, 2, 11, SILVER_REJECTS);
        // The warehouse rejected event 0/10 as well: a second defect of the same captured event.
        f.deadLetter(WAREHOUSE_DLQ, T0.plus(Duration.ofDays(5)), 5, 0, 10, SILVER_REJECTS);
        Triage triage = new Triage(since, T0.plus(Duration.ofDays(6)));
        Defects.read(DefectFixtures.plan(), f.topics.ranges(), since, r -> triage.add(r.defect()));
        return triage.result();
    }

    @Test
    void groupsByCauseMostRecordsFirstAndCountsEachRecordOnceInTheTotals() throws Exception {
        Triage.Result r = week(null);

        assertThat(r.causes()).extracting(c -> c.cause().describe()).startsWith(
                "orders-shape@2 status_known (status)",
                "orders-silver TRANSFORMATION ValidateContract$Value DataException: " + SILVER_REJECTS)
                .containsOnlyOnce("orders-shape@2 amount_range (amount)",
                        "orders-warehouse TRANSFORMATION ValidateContract$Value DataException: " + SILVER_REJECTS);
        // Equal counts in the order of their ids: the same order in every run.
        assertThat(r.causes().get(2).id()).isLessThan(r.causes().get(3).id());
        assertThat(r.causes()).extracting(Triage.CauseSummary::records).containsExactly(4L, 2L, 1L, 1L);
        assertThat(r.causes()).extracting(Triage.CauseSummary::events).containsExactly(4L, 2L, 1L, 1L);
        // 7 records; the warehouse's dead letter names the same event as silver's first: 6 events.
        assertThat(r.totals()).isEqualTo(new Triage.Totals(7, 6, 4, 3, 4, 0));

        Triage.CauseSummary status = r.causes().get(0);
        assertThat(status.id()).isEqualTo(DefectCause.quarantine("orders-shape@2", "status_known", "status").id());
        assertThat(status.connectors()).containsExactly("orders-source");
        assertThat(status.sourceTables()).containsExactly("public.orders");
        assertThat(status.firstSeen()).isEqualTo(T0);
        assertThat(status.lastSeen()).isEqualTo(T0.plus(Duration.ofDays(3)));
        assertThat(status.examples()).extracting(Triage.Example::position)
                .containsExactly(QUARANTINE + "/0/0", QUARANTINE + "/0/1", QUARANTINE + "/1/0");

        Triage.CauseSummary silver = r.causes().get(1);
        assertThat(silver.cause().kind()).isEqualTo(Defect.Kind.DEAD_LETTERED);
        assertThat(silver.examples()).containsExactly(new Triage.Example(SILVER_DLQ + "/0/0", CHANGES + "/0/10"),
                new Triage.Example(SILVER_DLQ + "/0/1", CHANGES + "/2/11"));
    }

    @Test
    void aWeekIsCountedPerDayEveryDayShown() throws Exception {
        Triage.Result r = week(null);
        assertThat(r.granularity()).isEqualTo(Triage.Granularity.DAY);
        assertThat(r.start()).isEqualTo(T0);
        Instant day0 = Instant.parse("2026-11-28T00:00:00Z");
        Map<Instant, Long> status = r.causes().get(0).trend();
        assertThat(status.keySet()).first().isEqualTo(day0);
        assertThat(status).hasSize(7);
        assertThat(List.copyOf(status.values())).containsExactly(2L, 1L, 0L, 1L, 0L, 0L, 0L);
        assertThat(List.copyOf(r.causes().get(1).trend().values())).containsExactly(0L, 0L, 0L, 0L, 2L, 0L, 0L);
    }

    @Test
    void sinceLimitsTheRecordsAndAWindowUnderTwoDaysIsCountedPerHour() throws Exception {
        Instant since = T0.plus(Duration.ofDays(4)).minus(Duration.ofHours(1));
        Triage.Result r = week(since);
        assertThat(r.since()).isEqualTo(since);
        assertThat(r.granularity()).isEqualTo(Triage.Granularity.DAY);
        assertThat(r.totals().records()).isEqualTo(3);
        assertThat(r.causes()).extracting(Triage.CauseSummary::records).containsExactly(2L, 1L);

        Triage hourly = new Triage(since, since.plus(Duration.ofHours(3)));
        List<Defect> defects = new ArrayList<>();
        Defects.read(DefectFixtures.plan(), f.topics.ranges(), since, r2 -> defects.add(r2.defect()));
        defects.stream().filter(d -> d.timestampMs() < since.plus(Duration.ofHours(3)).toEpochMilli())
                .forEach(hourly::add);
        Triage.Result h = hourly.result();
        assertThat(h.granularity()).isEqualTo(Triage.Granularity.HOUR);
        // 08:00, 09:00 (both dead letters), 10:00, 11:00.
        assertThat(List.copyOf(h.causes().get(0).trend().values())).containsExactly(0L, 2L, 0L, 0L);
        assertThat(h.causes().get(0).trend().keySet()).first()
                .isEqualTo(Instant.parse("2026-12-02T08:00:00Z"));
    }

    @Test
    void aReplayRejectedAgainCountsAsTheEventFirstCaptured() throws Exception {
        f.deadLetter(SILVER_DLQ, T0, 5, 0, 10, SILVER_REJECTS);
        // Replayed to the change topic as 3/77 and rejected again: its headers carry truthline.replay.of.
        ConsumerRecord<byte[], byte[]> again = f.deadLetter(SILVER_DLQ, T0.plus(Duration.ofDays(1)), 5, 3, 77,
                SILVER_REJECTS);
        again.headers().add(ReplayHeaders.OF, DefectFixtures.bytes(CHANGES + "/0/10"));
        Triage triage = new Triage(null, T0.plus(Duration.ofDays(2)));
        Defects.read(DefectFixtures.plan(), f.topics.ranges(), null, triage::add);
        Triage.Result r = triage.result();
        assertThat(r.totals().records()).isEqualTo(2);
        assertThat(r.totals().events()).isEqualTo(1);
        assertThat(r.causes().get(0).events()).isEqualTo(1);
        // The example still names where the rejected copy was.
        assertThat(r.causes().get(0).examples()).extracting(Triage.Example::replayOf)
                .containsExactly(CHANGES + "/0/10", CHANGES + "/3/77");
    }

    @Test
    void aTrendShowsItsLatestBucketsOnlyWhileTheCountsKeepEveryRecord() {
        Instant now = Instant.parse("2026-12-05T00:00:00Z");
        Triage triage = new Triage(null, now);
        Defects defects = new Defects(DefectFixtures.plan());
        // A record time of the epoch (a producer that sent 0) and one recent.
        triage.add(defects.defect(f.quarantined(0, Instant.EPOCH, 1, "status_known:status")));
        triage.add(defects.defect(f.quarantined(0, now.minus(Duration.ofDays(1)), 2, "status_known:status")));
        Triage.CauseSummary c = triage.result().causes().get(0);
        assertThat(c.records()).isEqualTo(2);
        assertThat(c.firstSeen()).isEqualTo(Instant.EPOCH);
        assertThat(c.trend()).hasSize(Triage.MAX_TREND_BUCKETS);
        assertThat(c.trend().keySet()).last().isEqualTo(now);
        assertThat(c.trend().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
    }

    @Test
    void nothingToTriageIsAnEmptyResult() {
        Instant now = Instant.parse("2026-12-05T00:00:00Z");
        Triage.Result r = new Triage(null, now).result();
        assertThat(r.causes()).isEmpty();
        assertThat(r.totals()).isEqualTo(new Triage.Totals(0, 0, 0, 0, 0, 0));
        assertThat(r.start()).isEqualTo(now);
        assertThat(r.granularity()).isEqualTo(Triage.Granularity.HOUR);
    }
}
