package dev.truthline.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.truthline.audit.CannotJudgeException;
import dev.truthline.audit.ConfigValues;

/** A defect judged against the contract deployed now: rejected by a strict one, accepted once it is loosened. */
class RevalidationTest {

    @Test
    void aContractThatStillRejectsNamesItsRulesAndOnceLoosenedAccepts() throws Exception {
        ReplayCandidate quarantined = Fixtures.quarantined(7, 42, "REFUNDED", 1_000);
        ReplayCandidate deadLettered = Fixtures.deadLettered(3, 2, 120, 43, "REFUNDED", 5_000);
        try (Revalidation strict = new Revalidation(Fixtures.pipeline("NEW,PAID", "NEW,PAID", null))) {
            for (ReplayCandidate c : new ReplayCandidate[] {quarantined, deadLettered}) {
                Revalidation.Recheck r = strict.recheck(c);
                assertThat(r.valid()).as(c.kind().name()).isFalse();
                assertThat(r.contracts()).isEqualTo(1);
                assertThat(r.failedRules()).containsExactly("status_known");
                assertThat(r.verdictHeaders()).containsEntry("dq.status", "invalid");
            }
        }
        // The source's contract loosened, the sink's not: the quarantined record passes, the dead letter not.
        try (Revalidation loosened = new Revalidation(Fixtures.pipeline("NEW,PAID,REFUNDED", "NEW,PAID", null))) {
            Revalidation.Recheck r = loosened.recheck(quarantined);
            assertThat(r.valid()).isTrue();
            assertThat(r.failedRules()).isEmpty();
            assertThat(r.verdictHeaders()).containsEntry("dq.status", "valid").containsEntry("dq.contract",
                    "orders-shape@3").doesNotContainKeys("dq.rules", "dq.violations");
            assertThat(r.verdictNames()).contains("dq.status", "dq.contract", "dq.violations", "dq.rules",
                    "dq.warnings");
            assertThat(loosened.recheck(deadLettered).valid()).isFalse();
        }
    }

    @Test
    void aConnectorWithoutValidateContractPasses() throws Exception {
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        Map<String, String> sink = new LinkedHashMap<>(Fixtures.warehouse("NEW", null));
        sink.put("transforms", "dedupe");
        connectors.put("orders-warehouse", sink);
        try (Revalidation none = new Revalidation(new ReplayPipeline(connectors, new ConfigValues(Map.of())))) {
            Revalidation.Recheck r = none.recheck(Fixtures.deadLettered(3, 2, 120, 43, "REFUNDED", 5_000));
            assertThat(r.valid()).isTrue();
            assertThat(r.contracts()).isZero();
        }
    }

    @Test
    void aContractThatNoLongerConfiguresCannotJudge() throws Exception {
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        Map<String, String> sink = new LinkedHashMap<>(Fixtures.warehouse("NEW", null));
        sink.put("transforms.contract.rules.status_known.type", "no_such_rule");
        connectors.put("orders-warehouse", sink);
        try (Revalidation broken = new Revalidation(new ReplayPipeline(connectors, new ConfigValues(Map.of())))) {
            assertThatThrownBy(() -> broken.recheck(Fixtures.deadLettered(3, 2, 120, 43, "NEW", 5_000)))
                    .isInstanceOf(CannotJudgeException.class).hasMessageContaining("orders-warehouse")
                    .hasMessageContaining("transforms.contract");
        }
    }
}
