package dev.truthline.demo;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.storage.ConverterType;

import dev.truthline.connect.core.ChangeIdentity;
import dev.truthline.connect.core.FieldPath;

/**
 * One record of a change (or quarantine) topic: its position and the identity of the change it carries, as
 * {@link ChangeIdentity} — the definition {@code Deduplicate}'s {@code debezium} strategy uses — gives it from the
 * key and value the sinks see (the bytes converted with Connect's JSON converter). A copy Debezium emits again after
 * a rewind or a restart has the same identity at a later offset.
 *
 * @param id the change's identity; null for a tombstone, or for a value that is no change event
 */
record TopicChange(int partition, long offset, boolean tombstone, Id id, long lsn, long sourceTsMs) {

    /** A change's 128-bit identity. */
    record Id(long hi, long lo) {
    }

    private static final FieldPath LSN = FieldPath.parse("source.lsn");
    private static final FieldPath TS_MS = FieldPath.parse("source.ts_ms");

    /** Reads topic records as the pipeline's sinks do: Connect's JSON converter, with or without schemas. */
    static final class Reader {
        private final JsonConverter keys = new JsonConverter();
        private final JsonConverter values = new JsonConverter();

        Reader(boolean keySchemas, boolean valueSchemas) {
            keys.configure(config(ConverterType.KEY, keySchemas));
            values.configure(config(ConverterType.VALUE, valueSchemas));
        }

        /** The JSON converter settings of a connector config ({@code key.converter.schemas.enable}, …; default true). */
        static Reader forConnector(Map<String, String> connectorConfig) {
            return new Reader(!"false".equalsIgnoreCase(connectorConfig.get("key.converter.schemas.enable")),
                    !"false".equalsIgnoreCase(connectorConfig.get("value.converter.schemas.enable")));
        }

        private static Map<String, Object> config(ConverterType type, boolean schemas) {
            Map<String, Object> c = new HashMap<>();
            c.put(JsonConverterConfig.TYPE_CONFIG, type.getName());
            c.put(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, schemas);
            return c;
        }

        TopicChange read(ConsumerRecord<byte[], byte[]> r) {
            if (r.value() == null) {
                return new TopicChange(r.partition(), r.offset(), true, null, -1, -1);
            }
            SchemaAndValue key = r.key() == null ? SchemaAndValue.NULL : keys.toConnectData(r.topic(), r.key());
            Object value = values.toConnectData(r.topic(), r.value()).value();
            long[] id = ChangeIdentity.of(key.value(), value);
            return new TopicChange(r.partition(), r.offset(), false, id == null ? null : new Id(id[0], id[1]),
                    number(LSN.get(value)), number(TS_MS.get(value)));
        }

        private static long number(Object v) {
            return v instanceof Number n ? n.longValue() : -1;
        }
    }
}
