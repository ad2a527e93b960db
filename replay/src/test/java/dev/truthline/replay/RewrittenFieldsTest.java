package dev.truthline.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import dev.truthline.audit.ConfigValues;

/**
 * A source whose chain protects a field after its contract (the reference pipeline's {@code route,contract,protect}):
 * the quarantine record holds a token where the contract saw the value, so a rule on that field keeps its
 * capture-time verdict; every other rule is judged anew.
 */
class RewrittenFieldsTest {

    private static ReplayPipeline protectingSource(String statuses) {
        Map<String, String> source = new LinkedHashMap<>(Fixtures.source(statuses));
        source.put("transforms", "contract,protect");
        source.put("transforms.contract.rules", "status_known,customer_format");
        source.put("transforms.contract.rules.customer_format.type", "regex");
        source.put("transforms.contract.rules.customer_format.field", "customer");
        source.put("transforms.contract.rules.customer_format.pattern", "C[0-9]{6}");
        source.put("transforms.protect.type", "dev.truthline.connect.privacy.ProtectFields$Value");
        source.put("transforms.protect.rules", "ids");
        source.put("transforms.protect.rules.ids.fields", "before.customer,after.customer");
        source.put("transforms.protect.rules.ids.method", "token");
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>(Fixtures.connectors(statuses, statuses,
                null));
        connectors.put("orders-source", source);
        return new ReplayPipeline(connectors, new ConfigValues(Map.of()));
    }

    @Test
    void aRuleOnAProtectedFieldKeepsItsCaptureTimeVerdict() throws Exception {
        // The stored customer is "secret-customer-42": a token would not match C[0-9]{6} either.
        ReplayCandidate c = Fixtures.quarantined(7, 42, "REFUNDED", 1_000);
        try (Revalidation loosened = new Revalidation(protectingSource("NEW,PAID,REFUNDED"))) {
            Revalidation.Recheck r = loosened.recheck(c);
            assertThat(r.valid()).isTrue();
            assertThat(r.notRechecked()).containsExactly("customer_format");
            assertThat(r.verdictHeaders()).containsEntry("dq.status", "valid").doesNotContainKeys("dq.rules",
                    "dq.violations");
        }
        try (Revalidation strict = new Revalidation(protectingSource("NEW,PAID"))) {
            Revalidation.Recheck r = strict.recheck(c);
            assertThat(r.valid()).isFalse();
            assertThat(r.failedRules()).containsExactly("status_known");
            assertThat(r.verdictHeaders().get("dq.violations")).contains("status_known")
                    .doesNotContain("customer_format");
        }
    }

    @Test
    void aRuleOnAProtectedFieldThatFailedAtCaptureStillFails() throws Exception {
        RecordHeaders h = Fixtures.quarantineHeaders(42);
        h.remove("dq.rules");
        h.add("dq.rules", Fixtures.bytes("status_known,customer_format"));
        h.remove("dq.violations");
        ReplayCandidate c = Fixtures.candidate(Fixtures.record(Fixtures.QUARANTINE, 7, 1_000, 42, "REFUNDED", h));
        try (Revalidation loosened = new Revalidation(protectingSource("NEW,PAID,REFUNDED"))) {
            Revalidation.Recheck r = loosened.recheck(c);
            assertThat(r.valid()).isFalse();
            assertThat(r.failedRules()).containsExactly("customer_format");
            assertThat(r.notRechecked()).isEmpty();
        }
    }

    @Test
    void onlyFieldsProtectedAfterTheContractCount() {
        Map<String, Map<String, String>> chain = new LinkedHashMap<>();
        chain.put("early", Map.of("type", RewrittenFields.PROTECT_FIELDS + "Value", "rules.a.fields", "after.ssn"));
        chain.put("contract", Map.of("type", Fixtures.VALIDATE));
        chain.put("protect", Map.of("type", RewrittenFields.PROTECT_FIELDS + "Value", "rules.ids.fields",
                "after.customer_id,before.customer_id"));
        assertThat(RewrittenFields.after(chain, "contract")).containsExactlyInAnyOrder("after.customer_id",
                "before.customer_id", "customer_id");
        chain.put("classified", Map.of("type", RewrittenFields.PROTECT_FIELDS + "Value", "classification.pii",
                "mask"));
        assertThat(RewrittenFields.after(chain, "contract")).contains(RewrittenFields.ANY);
    }
}
