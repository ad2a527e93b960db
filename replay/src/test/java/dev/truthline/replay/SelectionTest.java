package dev.truthline.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.truthline.audit.OptionException;

/** Which defects a replay takes, from the settings the command line passes. */
class SelectionTest {

    private static final Instant NOW = Instant.parse("2026-12-05T04:00:00Z");
    private final ReplayCandidate quarantined = Fixtures.quarantined(7, 42, "REFUNDED", 1_000);
    private final ReplayCandidate deadLettered = Fixtures.deadLettered(3, 2, 120, 43, "REFUNDED", 5_000);

    private static ReplaySettings settings(String... selectors) {
        List<String> args = new java.util.ArrayList<>(List.of("connectors=/p"));
        args.addAll(List.of(selectors));
        return ReplaySettings.fromArguments(args, NOW);
    }

    private List<ReplayCandidate> selected(String... selectors) {
        Selection s = settings(selectors).selection;
        return List.of(quarantined, deadLettered).stream().filter(c -> s.all || s.matches(c)).toList();
    }

    @Test
    void withoutASelectorTheReplayRefusesNamingAll() {
        assertThatThrownBy(() -> settings()).isInstanceOfSatisfying(OptionException.class,
                e -> assertThat(e.option()).isEqualTo("--all"));
        assertThat(selected("all=true")).containsExactly(quarantined, deadLettered);
    }

    @Test
    void byCauseTheCauseSelectedUnderIsTheOneAskedFor() {
        String cause = deadLettered.causes().get(0);
        assertThat(cause).matches("d-[0-9a-f]{10}");
        assertThat(quarantined.causes().get(0)).matches("q-[0-9a-f]{10}");
        assertThat(selected("cause=" + cause)).containsExactly(deadLettered);
        assertThat(selected("cause=" + cause, "cause=" + quarantined.causes().get(0))).hasSize(2);
        assertThat(settings("cause=" + cause).selection.selectedCause(deadLettered)).isEqualTo(cause);
        assertThat(selected("cause=q-0000000000")).isEmpty();
    }

    @Test
    void byPositionOfTheDefectOrOfTheCapturedEventItStandsFor() {
        assertThat(selected("position=orders.events.v1.quarantine/0/7")).containsExactly(quarantined);
        assertThat(selected("position=orders.events.dlq/0/3")).containsExactly(deadLettered);
        assertThat(selected("position=orders.events.v1/2/100-120")).containsExactly(deadLettered);
        assertThat(selected("position=orders.events.v1/2/121-200")).isEmpty();
        assertThat(selected("position=orders.events.v1/1/120")).isEmpty();
        assertThatThrownBy(() -> settings("position=orders.events.v1/2/9-3"))
                .isInstanceOfSatisfying(OptionException.class, e -> assertThat(e.option()).isEqualTo("--position"));
        assertThatThrownBy(() -> settings("position=orders.events.v1/x"))
                .isInstanceOfSatisfying(OptionException.class, e -> assertThat(e.option()).isEqualTo("--position"));
    }

    @Test
    void byKeyBytesConnectDataOrOneField() {
        assertThat(selected("key=42")).containsExactly(quarantined);
        assertThat(selected("key={\"order_id\":43}")).containsExactly(deadLettered);
        assertThat(selected("key={order_id=43}")).containsExactly(deadLettered);
        assertThat(selected("key=44")).isEmpty();
    }

    @Test
    void bySinceAndEverySelectorKindMustMatch() {
        assertThat(selected("since=2000")).containsExactly(deadLettered);
        assertThat(selected("since=1970-01-01T00:00:01Z")).containsExactly(quarantined, deadLettered);
        assertThat(selected("since=2000", "key=42")).isEmpty();
        assertThat(settings("since=7d").selection.sinceMs).as("as triage reads it")
                .isEqualTo(NOW.minus(java.time.Duration.ofDays(7)).toEpochMilli());
        assertThatThrownBy(() -> settings("since=yesterday"))
                .isInstanceOfSatisfying(OptionException.class, e -> assertThat(e.option()).isEqualTo("--since"));
    }

    @Test
    void aRejectedReplayStillStandsForTheEventFirstCaptured() {
        org.apache.kafka.common.header.internals.RecordHeaders h = Fixtures.deadLetterHeaders(1, 900);
        h.add(dev.truthline.connect.core.ReplayHeaders.OF, Fixtures.bytes("orders.events.v1/2/120"));
        ReplayCandidate again = Fixtures.candidate(Fixtures.record(Fixtures.DLQ, 9, 5_000, 43, "REFUNDED", h));
        assertThat(again.of().toString()).isEqualTo("orders.events.v1/2/120");
        assertThat(again.at().toString()).isEqualTo("orders.events.dlq/0/9");
    }

    @Test
    void theReplayIdDefaultsToTheUtcTimeAndTheOperatorToTheOsUser() {
        ReplaySettings s = settings("all=true");
        assertThat(s.replayId).isEqualTo("replay-20261205T040000Z");
        assertThat(s.operator).isEqualTo(System.getProperty("user.name"));
        assertThatThrownBy(() -> settings("all=true", "replayId=a b"))
                .isInstanceOfSatisfying(OptionException.class, e -> assertThat(e.option()).isEqualTo("--replay-id"));
    }
}
