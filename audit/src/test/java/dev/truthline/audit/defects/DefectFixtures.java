package dev.truthline.audit.defects;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.truthline.audit.MemoryTopics;

/**
 * A pipeline's defect topics in memory, written as the pipeline writes them: quarantine records with
 * ValidateContract's verdict headers ({@code dq.status}, {@code dq.contract}, {@code dq.violations}, {@code dq.rules}),
 * dead letters with Connect's DLQ reporter context headers ({@code __connect.errors.*}), values the Debezium envelope
 * (schemaless JSON) whose status carries {@link #SECRET} — a value no output may show.
 */
final class DefectFixtures {

    static final String CHANGES = "orders.events.v1";
    static final String QUARANTINE = "orders.events.v1.quarantine";
    static final String SILVER_DLQ = "orders.silver.dlq";
    static final String WAREHOUSE_DLQ = "orders.events.dlq";
    /** A payload value that appears in every fixture record and must appear in no output. */
    static final String SECRET = "REFUNDED-7f3c-secret";
    static final Instant T0 = Instant.parse("2026-11-28T09:00:00Z");

    static final String SILVER_REJECTS = "Record violates contract orders@2: failed rules status_known";

    final MemoryTopics topics = new MemoryTopics().topic(QUARANTINE, 2).topic(SILVER_DLQ, 1).topic(WAREHOUSE_DLQ, 1);

    static DefectPlan plan() {
        Map<String, String> dlqs = new LinkedHashMap<>();
        dlqs.put(SILVER_DLQ, "orders-silver");
        dlqs.put(WAREHOUSE_DLQ, "orders-warehouse");
        dlqs.put("orders.bronze.dlq", "orders-bronze");
        return new DefectPlan("kafka:9092", CHANGES, QUARANTINE, "${topic}.quarantine", "orders-source", "dq.", false,
                false, dlqs);
    }

    static byte[] key(long orderId) {
        return ("{\"order_id\":" + orderId + "}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] envelope(long orderId) {
        return ("{\"before\":null,\"after\":{\"order_id\":" + orderId + ",\"status\":\"" + SECRET
                + "\",\"customer_id\":\"C000042\"},\"source\":{\"schema\":\"public\",\"table\":\"orders\",\"ts_ms\":"
                + "1764320400000},\"op\":\"u\",\"ts_ms\":1764320400123}").getBytes(StandardCharsets.UTF_8);
    }

    /** A quarantined change that broke {@code rules} (each {@code rule:field}), at {@code at}. */
    ConsumerRecord<byte[], byte[]> quarantined(int partition, Instant at, long orderId, String... rules) {
        RecordHeaders h = new RecordHeaders();
        h.add("dq.status", bytes("invalid"));
        h.add("dq.contract", bytes("orders-shape@2"));
        StringBuilder v = new StringBuilder("[");
        StringBuilder names = new StringBuilder();
        for (String rule : rules) {
            String[] rf = rule.split(":");
            v.append(v.length() > 1 ? "," : "").append("{\"rule\":\"").append(rf[0]).append("\",\"field\":\"")
                    .append(rf[1]).append("\",\"message\":\"not one of the allowed values\"}");
            names.append(names.length() > 0 ? "," : "").append(rf[0]);
        }
        h.add("dq.violations", bytes(v.append(']').toString()));
        h.add("dq.rules", bytes(names.toString()));
        return topics.append(QUARANTINE, partition, at.toEpochMilli(), key(orderId), envelope(orderId), h);
    }

    /** A dead letter of {@code dlq} naming the change topic's {@code partition/offset}, as Connect's reporter writes it. */
    ConsumerRecord<byte[], byte[]> deadLetter(String dlq, Instant at, long orderId, int partition, long offset,
            String message) {
        RecordHeaders h = new RecordHeaders();
        h.add("dq.status", bytes("valid"));
        h.add("__connect.errors.topic", bytes(CHANGES));
        h.add("__connect.errors.partition", bytes(Integer.toString(partition)));
        h.add("__connect.errors.offset", bytes(Long.toString(offset)));
        h.add("__connect.errors.connector.name", bytes("orders-silver"));
        h.add("__connect.errors.task.id", bytes("0"));
        h.add("__connect.errors.stage", bytes("TRANSFORMATION"));
        h.add("__connect.errors.class.name", bytes("dev.truthline.connect.validation.ValidateContract$Value"));
        h.add("__connect.errors.exception.class.name", bytes("org.apache.kafka.connect.errors.DataException"));
        h.add("__connect.errors.exception.message", bytes(message + " (topic " + CHANGES + ", partition " + partition
                + ", offset " + offset + ")"));
        h.add("__connect.errors.exception.stacktrace", bytes("org.apache.kafka.connect.errors.DataException: ..."));
        return topics.append(dlq, 0, at.toEpochMilli(), key(orderId), envelope(orderId), h);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
