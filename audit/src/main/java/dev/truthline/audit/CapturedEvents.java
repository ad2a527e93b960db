package dev.truthline.audit;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.storage.ConverterType;
import org.duckdb.DuckDBAppender;

import dev.truthline.connect.core.ChangeIdentity;
import dev.truthline.connect.core.FieldPath;
import dev.truthline.connect.core.ReplayHeaders;

/**
 * Fills {@code captured} from the change topic and the source quarantine topic: one row per change event
 * (tombstones are not changes), with its {@link ChangeIdentity} computed from the key and value as the sinks see
 * them (Connect's JSON converter), for a quarantined event the rules it broke ({@code dq.rules}), and for a record
 * {@code truthline replay} wrote the event it replays and the replay's id ({@code truthline.replay.of} / {@code .id}).
 */
public final class CapturedEvents {

    public static final String CHANGE = "change";
    public static final String QUARANTINE = "quarantine";

    private static final FieldPath TS_MS = FieldPath.parse("source.ts_ms");

    private final JsonConverter keys = new JsonConverter();
    private final JsonConverter values = new JsonConverter();
    private final String rulesHeader;
    private boolean entities;
    private long tombstones;

    /**
     * @param keySchemas   {@code key.converter.schemas.enable} of the sinks
     * @param valueSchemas {@code value.converter.schemas.enable} of the sinks
     * @param rulesHeader  the source contract's rules header ({@code dq.rules} with the default prefix)
     */
    public CapturedEvents(boolean keySchemas, boolean valueSchemas, String rulesHeader) {
        keys.configure(config(ConverterType.KEY, keySchemas));
        values.configure(config(ConverterType.VALUE, valueSchemas));
        this.rulesHeader = rulesHeader;
    }

    private static Map<String, Object> config(ConverterType type, boolean schemas) {
        Map<String, Object> c = new HashMap<>();
        c.put(JsonConverterConfig.TYPE_CONFIG, type.getName());
        c.put(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, schemas);
        return c;
    }

    /**
     * Also fills {@code captured_entities} (entity key, source position, operation), which the current-state
     * reconciliation needs; off by default, as the fate assignment does not.
     */
    public CapturedEvents withEntities() {
        this.entities = true;
        return this;
    }

    /** Reads the ranges of one topic into {@code captured}; returns the number of events appended. */
    public long load(AuditDatabase db, TopicRanges topics, Map<TopicPartition, TopicRanges.Range> ranges, String kind)
            throws SQLException {
        long[] count = {0};
        try (DuckDBAppender a = db.appender(AuditDatabase.CAPTURED);
                DuckDBAppender ents = entities ? db.appender(AuditDatabase.ENTITIES) : null) {
            topics.read(ranges, r -> {
                if (r.value() == null) {
                    tombstones++;
                    return;
                }
                try {
                    append(a, ents, r, kind);
                    count[0]++;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException s) {
                throw s;
            }
            throw e;
        }
        return count[0];
    }

    /** Records with no value (tombstones: no change events) the loads so far passed over. */
    public long tombstones() {
        return tombstones;
    }

    /**
     * What the audit takes from one event's key and value bytes: the key as text (for the report), its
     * {@link ChangeIdentity} (null when it has none) and {@code source.ts_ms}; {@code value} the envelope as the sinks'
     * converter reads it (null when the bytes are not JSON). The one decoding every engine uses (the Spark audit calls
     * it from a UDF).
     */
    public record Decoded(Object key, Object value, long[] id, Long tsMs) {

        /** The key as the report prints it, or null. */
        public String keyText() {
            return key == null ? null : String.valueOf(key);
        }
    }

    /** Decodes one change or quarantine event of {@code topic} (its value not null) as the sinks see it. */
    public Decoded decode(String topic, byte[] keyBytes, byte[] valueBytes) {
        SchemaAndValue key = keyBytes == null ? SchemaAndValue.NULL : keys.toConnectData(topic, keyBytes);
        Object value;
        try {
            value = values.toConnectData(topic, valueBytes).value();
        } catch (RuntimeException notJson) {
            value = null;
        }
        long[] id = value == null ? null : ChangeIdentity.of(key.value(), value);
        Object ts = value == null ? null : TS_MS.get(value);
        return new Decoded(key.value(), value, id, ts instanceof Number n ? n.longValue() : null);
    }

    void append(DuckDBAppender a, DuckDBAppender entityRows, ConsumerRecord<byte[], byte[]> r, String kind)
            throws SQLException {
        Decoded d = decode(r.topic(), r.key(), r.value());
        long[] id = d.id();
        a.beginRow().append(r.topic()).append(r.partition()).append(r.offset()).append(kind);
        appendText(a, d.keyText());
        if (id == null) {
            a.appendNull().appendNull();
        } else {
            a.append(id[0]).append(id[1]);
        }
        if (d.tsMs() != null) {
            a.append(d.tsMs().longValue());
        } else {
            a.appendNull();
        }
        appendText(a, header(r, rulesHeader));
        appendText(a, header(r, ReplayHeaders.OF));
        appendText(a, header(r, ReplayHeaders.ID));
        a.endRow();
        if (entityRows != null) {
            entityRows.beginRow().append(r.topic()).append(r.partition()).append(r.offset()).append(kind);
            Reconciliation.Change change = Reconciliation.Change.of(d);
            appendText(entityRows, change.entity());
            if (change.lsn() != null) {
                entityRows.append(change.lsn().longValue());
            } else {
                entityRows.appendNull();
            }
            appendText(entityRows, change.op());
            entityRows.endRow();
        }
    }

    /** A header's last value as text, or null ({@code lastHeader}, as the Spark audit reads it too). */
    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return header(r.headers(), name);
    }

    /** A header's last value as UTF-8 text, or null: the one way the audit, triage and replay read a header. */
    public static String header(org.apache.kafka.common.header.Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void appendText(DuckDBAppender a, String text) throws SQLException {
        if (text == null) {
            a.appendNull();
        } else {
            a.append(text);
        }
    }
}
