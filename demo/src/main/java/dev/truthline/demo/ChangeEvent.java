package dev.truthline.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One record of the change topic as Debezium wrote it (JSON converter, with or without schemas): its
 * position, and what identifies the change — key, op, {@code source.lsn}, {@code source.sequence},
 * {@code source.txId} — the fields the Deduplicate SMT's {@code debezium} strategy uses. A copy that
 * Debezium emits again after a rewind or a restart has the same identity at a later offset.
 */
record ChangeEvent(int partition, long offset, boolean tombstone, List<Object> identity, long lsn, long sourceTsMs) {

    static ChangeEvent of(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return new ChangeEvent(r.partition(), r.offset(), true, List.of(), -1, -1);
        }
        JsonNode value = payload(r.value());
        JsonNode source = value.path("source");
        String key = r.key() == null ? "" : keyText(r.key());
        List<Object> identity = Arrays.asList(key, value.path("op").asText(), source.path("lsn").asLong(-1),
                source.path("sequence").asText(""), source.path("txId").asLong(-1), source.path("table").asText(""));
        return new ChangeEvent(r.partition(), r.offset(), false, identity, source.path("lsn").asLong(-1),
                source.path("ts_ms").asLong(-1));
    }

    /** The JSON converter's value: the {@code payload} of a schema envelope, or the value itself. */
    static JsonNode payload(byte[] bytes) {
        try {
            JsonNode node = ConnectRest.JSON.readTree(bytes);
            return node.has("schema") && node.has("payload") ? node.get("payload") : node;
        } catch (IOException e) {
            throw new IllegalStateException("A change topic record is not JSON: " + e.getMessage(), e);
        }
    }

    private static String keyText(byte[] key) {
        try {
            JsonNode node = ConnectRest.JSON.readTree(key);
            return (node.has("schema") && node.has("payload") ? node.get("payload") : node).toString();
        } catch (IOException e) {
            return new String(key, StandardCharsets.UTF_8);
        }
    }
}
