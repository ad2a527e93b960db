package dev.truthline.replay;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import dev.truthline.audit.ConfigValues;
import dev.truthline.audit.defects.DefectPlan;
import dev.truthline.audit.defects.DefectRecord;
import dev.truthline.audit.defects.Defects;

/** A small pipeline's connector configs and defects of it, for the replay's tests. */
final class Fixtures {

    static final String CHANGES = "orders.events.v1";
    static final String QUARANTINE = "orders.events.v1.quarantine";
    static final String DLQ = "orders.events.dlq";
    static final String VALIDATE = "dev.truthline.connect.validation.ValidateContract$Value";

    private Fixtures() {
    }

    /** A source quarantining what breaks its contract; {@code statuses} are the ones its status rule allows. */
    static Map<String, String> source(String statuses) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("key.converter.schemas.enable", "false");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "false");
        c.put("transforms", "contract");
        c.put("transforms.contract.type", VALIDATE);
        c.put("transforms.contract.on.failure", "quarantine");
        c.put("transforms.contract.quarantine.topic", "${topic}.quarantine");
        c.put("transforms.contract.contract.id", "orders-shape");
        c.put("transforms.contract.contract.version", "3");
        c.put("transforms.contract.rules", "status_known");
        c.put("transforms.contract.rules.status_known.type", "in");
        c.put("transforms.contract.rules.status_known.field", "status");
        c.put("transforms.contract.rules.status_known.values", statuses);
        return c;
    }

    /** A current-state sink of the change topic: its own contract, Deduplicate in entity_version, a DLQ. */
    static Map<String, String> warehouse(String statuses, String ttlMs) {
        Map<String, String> c = new LinkedHashMap<>(source(statuses));
        c.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
        c.put("topics", CHANGES);
        c.put("errors.deadletterqueue.topic.name", DLQ);
        c.remove("transforms.contract.quarantine.topic");
        c.put("transforms", "contract,dedupe");
        c.put("transforms.contract.on.failure", "fail");
        c.put("transforms.contract.contract.id", "orders");
        c.put("transforms.dedupe.type", "dev.truthline.connect.dedupe.Deduplicate");
        c.put("transforms.dedupe.strategy", "entity_version");
        c.put("transforms.dedupe.version.field", "value.lsn");
        c.put("transforms.dedupe.rebuild.bootstrap.servers", "localhost:9092");
        if (ttlMs != null) {
            c.put("transforms.dedupe.window.ttl.ms", ttlMs);
        }
        return c;
    }

    /** A sink of the quarantine topic (what makes it a quarantine topic the replay reads). */
    static Map<String, String> holds() {
        return Map.of("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector", "topics", QUARANTINE);
    }

    static ReplayPipeline pipeline(String sourceStatuses, String sinkStatuses, String ttlMs) {
        return new ReplayPipeline(connectors(sourceStatuses, sinkStatuses, ttlMs), new ConfigValues(Map.of()));
    }

    static Map<String, Map<String, String>> connectors(String sourceStatuses, String sinkStatuses, String ttlMs) {
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        connectors.put("orders-source", source(sourceStatuses));
        connectors.put("orders-warehouse", warehouse(sinkStatuses, ttlMs));
        connectors.put("orders-holds", holds());
        return connectors;
    }

    /** Where this pipeline's defects are, as triage's discovery finds them. */
    static final DefectPlan PLAN = new DefectPlan("localhost:9092", CHANGES, QUARANTINE, "${topic}.quarantine",
            "orders-source", "dq.", false, false, Map.of(DLQ, "orders-warehouse"));

    /** A defect record as triage's reader makes it a defect, and the replay a candidate. */
    static ReplayCandidate candidate(ConsumerRecord<byte[], byte[]> r) {
        try (Revalidation keys = new Revalidation(pipeline("NEW", "NEW", null))) {
            return new DefectRecords(PLAN, keys).candidate(new DefectRecord(new Defects(PLAN).defect(r), r));
        }
    }

    static ConsumerRecord<byte[], byte[]> record(String topic, long offset, long timestamp, long orderId,
            String status, RecordHeaders headers) {
        byte[] key = bytes("{\"order_id\":" + orderId + "}");
        byte[] value = bytes(value(orderId, status));
        return new ConsumerRecord<>(topic, 0, offset, timestamp, TimestampType.CREATE_TIME, key.length,
                value.length, key, value, headers, Optional.empty());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String value(long orderId, String status) {
        return "{\"order_id\":" + orderId + ",\"customer\":\"secret-customer-" + orderId + "\",\"status\":\""
                + status + "\",\"lsn\":" + (1000 + orderId) + "}";
    }

    /** A record the source quarantined at {@code offset}: the verdict of contract orders-shape@2. */
    static ReplayCandidate quarantined(long offset, long orderId, String status, long timestamp) {
        return candidate(record(QUARANTINE, offset, timestamp, orderId, status, quarantineHeaders(orderId)));
    }

    static RecordHeaders quarantineHeaders(long orderId) {
        RecordHeaders h = new RecordHeaders();
        h.add("trace", bytes("t-" + orderId));
        h.add("dq.status", bytes("invalid"));
        h.add("dq.contract", bytes("orders-shape@2"));
        h.add("dq.violations", bytes("[{\"rule\":\"status_known\",\"field\":\"status\",\"message\":\"not one of "
                + "the allowed values\"}]"));
        h.add("dq.rules", bytes("status_known"));
        return h;
    }

    /** A record the warehouse dead-lettered: the change at {@code CHANGES/partition/offset}. */
    static ReplayCandidate deadLettered(long dlqOffset, int partition, long offset, long orderId, String status,
            long timestamp) {
        return candidate(record(DLQ, dlqOffset, timestamp, orderId, status, deadLetterHeaders(partition, offset)));
    }

    static RecordHeaders deadLetterHeaders(int partition, long offset) {
        RecordHeaders h = new RecordHeaders();
        h.add("dq.status", bytes("valid"));
        h.add("dq.contract", bytes("orders-shape@3"));
        h.add("__connect.errors.topic", bytes(CHANGES));
        h.add("__connect.errors.partition", bytes(String.valueOf(partition)));
        h.add("__connect.errors.offset", bytes(String.valueOf(offset)));
        h.add("__connect.errors.stage", bytes("TRANSFORMATION"));
        h.add("__connect.errors.class.name", bytes(VALIDATE));
        h.add("__connect.errors.exception.class.name", bytes("org.apache.kafka.connect.errors.DataException"));
        h.add("__connect.errors.exception.message", bytes("Record violates contract orders@3: failed rules "
                + "[status_known] (topic " + CHANGES + ", partition " + partition + ", offset " + offset + ")"));
        return h;
    }
}
