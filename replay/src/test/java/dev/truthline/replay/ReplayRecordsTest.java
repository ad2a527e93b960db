package dev.truthline.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import dev.truthline.connect.core.ReplayHeaders;

/** The record a replay writes: bytes and timestamp unchanged, headers rebuilt, never a value in them. */
class ReplayRecordsTest {

    private static Map<String, List<String>> headers(ProducerRecord<byte[], byte[]> r) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            m.computeIfAbsent(h.key(), k -> new ArrayList<>()).add(new String(h.value(), StandardCharsets.UTF_8));
        }
        return m;
    }

    @Test
    void aQuarantineRecordCarriesTheDeployedContractsVerdictNotTheOldOne() throws Exception {
        ReplayPipeline pipeline = Fixtures.pipeline("NEW,PAID,REFUNDED", "NEW,PAID,REFUNDED", null);
        ReplayCandidate c = Fixtures.quarantined(7, 42, "REFUNDED", 1_000);
        try (Revalidation revalidation = new Revalidation(pipeline)) {
            Revalidation.Recheck recheck = revalidation.recheck(c);
            ProducerRecord<byte[], byte[]> r = ReplayRecords.of(c, recheck, c.causes().get(0), "fix-1", "ana");
            assertThat(r.topic()).isEqualTo(Fixtures.CHANGES);
            assertThat(r.partition()).as("the default partitioner picks it from the key bytes").isNull();
            assertThat(r.key()).isSameAs(c.key());
            assertThat(r.value()).isSameAs(c.value());
            assertThat(r.timestamp()).isEqualTo(1_000L);
            Map<String, List<String>> h = headers(r);
            assertThat(h).containsOnlyKeys("trace", "dq.status", "dq.contract", ReplayHeaders.OF, ReplayHeaders.ID,
                    ReplayHeaders.OPERATOR, ReplayHeaders.CAUSE);
            assertThat(h.get("dq.status")).containsExactly("valid");
            assertThat(h.get("dq.contract")).containsExactly("orders-shape@3");
            assertThat(h.get(ReplayHeaders.OF)).containsExactly("orders.events.v1.quarantine/0/7");
            assertThat(h.get(ReplayHeaders.ID)).containsExactly("fix-1");
            assertThat(h.get(ReplayHeaders.OPERATOR)).containsExactly("ana");
            assertThat(h.get(ReplayHeaders.CAUSE)).containsExactly(c.causes().get(0));
            assertThat(h.values().stream().flatMap(List::stream)).noneMatch(v -> v.contains("secret-customer")
                    || v.contains("REFUNDED"));
        }
    }

    @Test
    void aDeadLetterLosesConnectsErrorHeadersAndKeepsTheChangesOwn() throws Exception {
        ReplayPipeline pipeline = Fixtures.pipeline("NEW,PAID,REFUNDED", "NEW,PAID,REFUNDED", null);
        ReplayCandidate c = Fixtures.deadLettered(3, 2, 120, 43, "REFUNDED", 5_000);
        try (Revalidation revalidation = new Revalidation(pipeline)) {
            ProducerRecord<byte[], byte[]> r = ReplayRecords.of(c, revalidation.recheck(c), c.causes().get(0),
                    "fix-1", "ana");
            Map<String, List<String>> h = headers(r);
            assertThat(h).containsOnlyKeys("dq.status", "dq.contract", ReplayHeaders.OF, ReplayHeaders.ID,
                    ReplayHeaders.OPERATOR, ReplayHeaders.CAUSE);
            assertThat(h.get("dq.contract")).as("the source's verdict the change carried").containsExactly(
                    "orders-shape@3");
            assertThat(h.get(ReplayHeaders.OF)).containsExactly("orders.events.v1/2/120");
            assertThat(r.topic()).isEqualTo(Fixtures.CHANGES);
            assertThat(h.values().stream().flatMap(List::stream)).noneMatch(v -> v.contains("secret-customer"));
        }
    }
}
