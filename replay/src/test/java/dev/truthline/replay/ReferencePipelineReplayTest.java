package dev.truthline.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

import dev.truthline.audit.ConfigValues;
import dev.truthline.audit.ConnectorConfigs;
import dev.truthline.audit.ConnectorDiscovery;
import dev.truthline.audit.defects.DefectPlan;
import dev.truthline.audit.defects.DefectRecord;
import dev.truthline.audit.defects.Defects;
import dev.truthline.connect.harness.DebeziumEnvelopes;

/**
 * The replay's judgement on the reference pipeline's own connector files (connector-configs/orders): discovered as
 * triage discovers it, records as its converters write them (JSON with schemas, a Debezium envelope, a decimal
 * amount, a tokenized customer). A status the contracts do not know stays rejected by the warehouse's deployed
 * contract until that contract is loosened; the source's quarantine keeps a rule on its protected customer field
 * from judging the token; the warehouse's entity_version window guards old records.
 */
class ReferencePipelineReplayTest {

    private static final Path ORDERS = Path.of(System.getProperty("truthline.orders.dir"));
    private static final String TOKEN = "AQ" + "x".repeat(40);
    private static final Schema ROW = DebeziumEnvelopes.ORDERS_ROW;
    private static final Schema ENVELOPE = DebeziumEnvelopes.envelopeSchema(ROW);
    private static final Schema KEY = DebeziumEnvelopes.ORDERS_KEY;

    private static Map<String, Map<String, String>> connectors(String warehouseStatuses) throws Exception {
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>(ConnectorConfigs.fromFiles(ORDERS));
        if (warehouseStatuses != null) {
            Map<String, String> warehouse = new LinkedHashMap<>(connectors.get("orders-warehouse"));
            warehouse.put("transforms.contract.rules.status_known.values", warehouseStatuses);
            connectors.put("orders-warehouse", warehouse);
        }
        return connectors;
    }

    private static final ConfigValues VALUES = new ConfigValues(Map.of("TRUTHLINE_KAFKA_BOOTSTRAP", "kafka:9092"));

    private static DefectPlan plan() throws Exception {
        return ConnectorDiscovery.discoverDefects(connectors(null), VALUES, null, null);
    }

    private static byte[] json(boolean key, Schema schema, Object value) {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", true, "decimal.format", "NUMERIC"), key);
        return c.fromConnectData("orders.events.v1", schema, value);
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, long offset, long timestamp, long orderId,
            BigDecimal amount, String status, RecordHeaders headers) {
        Struct row = new Struct(ROW).put("order_id", orderId).put("customer_id", TOKEN).put("amount", amount)
                .put("currency", "EUR").put("status", status).put("updated_at", "2026-12-01T10:00:00Z");
        Struct source = new Struct(DebeziumEnvelopes.SOURCE).put("version", "3.6.1.Final").put("connector",
                "postgresql").put("name", "orders").put("ts_ms", timestamp).put("db", "shop").put("schema", "public")
                .put("table", "orders").put("lsn", 1000 + orderId);
        Struct envelope = new Struct(ENVELOPE).put("after", row).put("source", source).put("op", "u")
                .put("ts_ms", timestamp);
        byte[] key = json(true, KEY, new Struct(KEY).put("order_id", orderId));
        byte[] value = json(false, ENVELOPE, envelope);
        return new ConsumerRecord<>(topic, 0, offset, timestamp, TimestampType.CREATE_TIME, key.length, value.length,
                key, value, headers, Optional.empty());
    }

    private static ReplayCandidate candidate(DefectPlan plan, Revalidation revalidation,
            ConsumerRecord<byte[], byte[]> r) {
        return new DefectRecords(plan, revalidation).candidate(new DefectRecord(new Defects(plan).defect(r), r));
    }

    @Test
    void theWarehousesDeadLetterStaysRejectedUntilItsContractIsLoosened() throws Exception {
        DefectPlan plan = plan();
        assertThat(plan.deadLetterQueues()).containsKeys("orders.events.dlq", "orders.silver.dlq");
        RecordHeaders h = Fixtures.deadLetterHeaders(4, 77);
        ConsumerRecord<byte[], byte[]> dead = record("orders.events.dlq", 0, 5_000, 42, new BigDecimal("10.00"),
                "REFUNDED", h);
        try (Revalidation deployed = new Revalidation(new ReplayPipeline(connectors(null), VALUES))) {
            ReplayCandidate c = candidate(plan, deployed, dead);
            assertThat(c.connector()).isEqualTo("orders-warehouse");
            assertThat(c.target()).isEqualTo("orders.events.v1");
            assertThat(c.keyForms()).contains("42");
            Revalidation.Recheck r = deployed.recheck(c);
            assertThat(r.valid()).isFalse();
            assertThat(r.failedRules()).containsExactly("status_known");
        }
        try (Revalidation loosened = new Revalidation(new ReplayPipeline(
                connectors("NEW,PAID,SHIPPED,DELIVERED,CANCELLED,REFUNDED"), VALUES))) {
            Revalidation.Recheck r = loosened.recheck(candidate(plan, loosened, dead));
            assertThat(r.valid()).as(r.toString()).isTrue();
            assertThat(r.contracts()).isEqualTo(1);
        }
    }

    @Test
    void aQuarantinedChangeIsJudgedOnWhatTheSourceCouldStillSee() throws Exception {
        DefectPlan plan = plan();
        assertThat(plan.quarantineTopic()).isEqualTo("orders.events.v1.quarantine");
        try (Revalidation deployed = new Revalidation(new ReplayPipeline(connectors(null), VALUES))) {
            // Quarantined for a missing amount; the token in customer_id would fail customer_format (C[0-9]{6}), but
            // that rule saw the value before ProtectFields replaced it, and it passed then.
            RecordHeaders missing = new RecordHeaders();
            missing.add("dq.status", Fixtures.bytes("invalid"));
            missing.add("dq.contract", Fixtures.bytes("orders-shape@2"));
            missing.add("dq.violations", Fixtures.bytes("[{\"rule\":\"amount_required\",\"field\":\"amount\","
                    + "\"message\":\"is required\"}]"));
            missing.add("dq.rules", Fixtures.bytes("amount_required"));
            ReplayCandidate stillMissing = candidate(plan, deployed, record("orders.events.v1.quarantine", 3, 5_000,
                    43, null, "NEW", missing));
            assertThat(stillMissing.connector()).isEqualTo("orders-source");
            Revalidation.Recheck r = deployed.recheck(stillMissing);
            assertThat(r.valid()).isFalse();
            assertThat(r.failedRules()).containsExactly("amount_required");
            assertThat(r.notRechecked()).containsExactly("customer_format");

            // Quarantined by an earlier version of the contract for a rule the deployed version passes: it is
            // replayed with the deployed version's verdict.
            RecordHeaders fixed = new RecordHeaders();
            fixed.add("dq.status", Fixtures.bytes("invalid"));
            fixed.add("dq.contract", Fixtures.bytes("orders-shape@1"));
            fixed.add("dq.rules", Fixtures.bytes("status_type"));
            Revalidation.Recheck passes = deployed.recheck(candidate(plan, deployed, record(
                    "orders.events.v1.quarantine", 4, 5_000, 44, new BigDecimal("3.50"), "NEW", fixed)));
            assertThat(passes.valid()).as(passes.toString()).isTrue();
            assertThat(passes.verdictHeaders()).containsEntry("dq.status", "valid").containsEntry("dq.contract",
                    "orders-shape@2");
        }
    }

    @Test
    void onlyTheWarehousesEntityVersionWindowGuardsOldRecords() throws Exception {
        DefectPlan plan = plan();
        long now = 10L * 86_400_000L;
        Map<String, Map<String, String>> rebuilding = connectors(null);
        Map<String, String> warehouse = new LinkedHashMap<>(rebuilding.get("orders-warehouse"));
        warehouse.put("transforms.dedupe.rebuild.bootstrap.servers", "kafka:9092");
        rebuilding.put("orders-warehouse", warehouse);
        ReplayPipeline pipeline = new ReplayPipeline(rebuilding, VALUES);
        try (Revalidation keys = new Revalidation(pipeline)) {
            ReplayCandidate old = candidate(plan, keys, record("orders.silver.dlq", 0, now - 2 * 86_400_000L, 42,
                    new BigDecimal("1.00"), "NEW", Fixtures.deadLetterHeaders(1, 5)));
            List<EntityVersionGuard.Refusal> refused = EntityVersionGuard.check(pipeline, List.of(old), now);
            assertThat(refused).extracting(EntityVersionGuard.Refusal::connector).containsExactly("orders-warehouse");
            assertThat(refused.get(0).windowMs()).isEqualTo(86_400_000L);
            ReplayCandidate recent = candidate(plan, keys, record("orders.silver.dlq", 1, now - 3_600_000L, 42,
                    new BigDecimal("1.00"), "NEW", Fixtures.deadLetterHeaders(1, 6)));
            assertThat(EntityVersionGuard.check(pipeline, List.of(recent), now)).isEmpty();
            warehouse.remove("transforms.dedupe.rebuild.bootstrap.servers");
            assertThat(EntityVersionGuard.check(new ReplayPipeline(rebuilding, VALUES), List.of(recent), now))
                    .as("a window that a restart empties guards nothing").extracting(EntityVersionGuard.Refusal::rebuilds)
                    .containsExactly(false);
        }
    }
}
