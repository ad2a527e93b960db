package dev.truthline.connect.core;

/**
 * The identity of one Debezium change: what makes a re-emitted copy (after a restart or an offset
 * rewind) the same change as its original, whatever its Kafka position. {@code Deduplicate}'s
 * {@code debezium} strategy and everything that counts copies (the demo, the audit) use this one
 * definition, so they can never disagree about what a duplicate is.
 *
 * <p>PostgreSQL: source database, schema and table, {@code source.sequence} (else {@code source.lsn}:
 * the LSN alone is not unique, a transaction's changes can share it), {@code op} and the record key.
 * Works on Connect data (Struct or schemaless Map); callers that read raw topic bytes convert them
 * with the converter the pipeline uses first, so keys and values compare as the sink sees them.
 */
public final class ChangeIdentity {

    private static final FieldPath SOURCE_DB = FieldPath.parse("source.db");
    private static final FieldPath SOURCE_SCHEMA = FieldPath.parse("source.schema");
    private static final FieldPath SOURCE_TABLE = FieldPath.parse("source.table");
    private static final FieldPath SOURCE_SEQUENCE = FieldPath.parse("source.sequence");
    private static final FieldPath SOURCE_LSN = FieldPath.parse("source.lsn");
    private static final FieldPath OP = FieldPath.parse("op");

    private ChangeIdentity() {
    }

    /**
     * Adds the identity of the change in {@code value} (the envelope) with record key {@code key} to
     * {@code id}.
     *
     * @return {@code null} when the identity is complete, else the path of the first field it lacks
     *         ({@code value.source.lsn}); {@code id} then holds a partial identity and must not be used
     */
    public static String appendTo(IdEncoder id, Object key, Object value) {
        Object table = SOURCE_TABLE.get(value);
        if (isMissing(table)) {
            return "value.source.table";
        }
        Object sequence = SOURCE_SEQUENCE.get(value);
        boolean hasSequence = !isMissing(sequence);
        Object lsn = hasSequence ? null : SOURCE_LSN.get(value);
        if (!hasSequence && isMissing(lsn)) {
            return "value.source.lsn";
        }
        Object op = OP.get(value);
        if (isMissing(op)) {
            return "value.op";
        }
        id.add(SOURCE_DB.get(value)).add(SOURCE_SCHEMA.get(value)).add(table)
                .add(hasSequence ? sequence : lsn).add(op).add(key);
        return null;
    }

    /**
     * The 128-bit identity of a change as {hi, lo}, or {@code null} when the value is not a change
     * event this class can identify.
     */
    public static long[] of(Object key, Object value) {
        IdEncoder id = new IdEncoder();
        return appendTo(id, key, value) == null ? id.hash128() : null;
    }

    private static boolean isMissing(Object v) {
        return v == null || v == FieldPath.ABSENT;
    }
}
