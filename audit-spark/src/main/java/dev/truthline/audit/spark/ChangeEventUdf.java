package dev.truthline.audit.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import dev.truthline.audit.CapturedEvents;
import dev.truthline.audit.Reconciliation;

/**
 * {@code change_event(topic, key, value)}: one event's key and value bytes decoded by the audit's own
 * {@link CapturedEvents#decode} — Connect's JSON converter with the sinks' settings, then {@code ChangeIdentity}, the
 * one definition {@code Deduplicate} uses — as a struct {@code (key, id_hi, id_lo, ts_ms, entity, lsn, op)} (the last
 * three: {@link Reconciliation.Change}, what the current-state reconciliation needs). Each executor makes its
 * own decoder (the converters are not serializable).
 */
final class ChangeEventUdf implements UDF3<String, byte[], byte[], Row> {

    private static final long serialVersionUID = 1L;

    static final String NAME = "change_event";

    static final StructType TYPE = new StructType()
            .add("key", DataTypes.StringType)
            .add("id_hi", DataTypes.LongType)
            .add("id_lo", DataTypes.LongType)
            .add("ts_ms", DataTypes.LongType)
            .add("entity", DataTypes.StringType)
            .add("lsn", DataTypes.LongType)
            .add("op", DataTypes.StringType);

    private final boolean keySchemas;
    private final boolean valueSchemas;
    private transient CapturedEvents decoder;

    ChangeEventUdf(boolean keySchemas, boolean valueSchemas) {
        this.keySchemas = keySchemas;
        this.valueSchemas = valueSchemas;
    }

    @Override
    public Row call(String topic, byte[] key, byte[] value) {
        if (decoder == null) {
            // The rules header is read by SQL from the record's headers, not here.
            decoder = new CapturedEvents(keySchemas, valueSchemas, "");
        }
        CapturedEvents.Decoded d = decoder.decode(topic, key, value);
        long[] id = d.id();
        Reconciliation.Change change = Reconciliation.Change.of(d);
        return RowFactory.create(d.keyText(), id == null ? null : id[0], id == null ? null : id[1], d.tsMs(),
                change.entity(), change.lsn(), change.op());
    }
}
