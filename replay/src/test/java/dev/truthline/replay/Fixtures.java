package dev.truthline.replay;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.truthline.audit.CannotJudgeException;
import dev.truthline.audit.ConfigValues;
import dev.truthline.connect.core.ReplayHeaders.Position;

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
        if (ttlMs != null) {
            c.put("transforms.dedupe.window.ttl.ms", ttlMs);
        }
        return c;
    }

    /** A sink of the quarantine topic (what makes it a quarantine topic the replay reads). */
    static Map<String, String> holds() {
        return Map.of("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector", "topics", QUARANTINE);
    }

    static ReplayPipeline pipeline(String sourceStatuses, String sinkStatuses, String ttlMs)
            throws CannotJudgeException {
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
        connectors.put("orders-source", source(sourceStatuses));
        connectors.put("orders-warehouse", warehouse(sinkStatuses, ttlMs));
        connectors.put("orders-holds", holds());
        return new ReplayPipeline(connectors, new ConfigValues(Map.of()), "localhost:9092");
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
        RecordHeaders h = new RecordHeaders();
        h.add("trace", bytes("t-" + orderId));
        h.add("dq.status", bytes("invalid"));
        h.add("dq.contract", bytes("orders-shape@2"));
        h.add("dq.violations", bytes("[{\"rule\":\"status_known\",\"field\":\"status\",\"message\":\"not one of "
                + "the allowed values\"}]"));
        h.add("dq.rules", bytes("status_known"));
        Position at = new Position(QUARANTINE, 0, offset);
        return new ReplayCandidate(ReplayCandidate.Kind.QUARANTINE, at, at, "orders-source", CHANGES,
                CauseIds.quarantine(h, "dq."), timestamp, bytes("{\"order_id\":" + orderId + "}"),
                bytes(value(orderId, status)), h, List.of("{\"order_id\":" + orderId + "}", "{order_id=" + orderId
                        + "}", String.valueOf(orderId)));
    }

    /** A record the warehouse dead-lettered: the change at {@code CHANGES/partition/offset}. */
    static ReplayCandidate deadLettered(long dlqOffset, int partition, long offset, long orderId, String status,
            long timestamp) {
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
        return new ReplayCandidate(ReplayCandidate.Kind.DEAD_LETTER, new Position(DLQ, 0, dlqOffset),
                new Position(CHANGES, partition, offset), "orders-warehouse", CHANGES,
                CauseIds.deadLetter(h, "orders-warehouse"), timestamp, bytes("{\"order_id\":" + orderId + "}"),
                bytes(value(orderId, status)), h, List.of("{\"order_id\":" + orderId + "}",
                        "{order_id=" + orderId + "}", String.valueOf(orderId)));
    }
}
