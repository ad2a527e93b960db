package dev.truthline.connect.core;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * The identity of one Debezium change: what makes a re-emitted copy (after a restart or an offset
 * rewind) the same change as its original, whatever its Kafka position. {@code Deduplicate}'s
 * {@code debezium} strategy and everything that counts copies (the demo, the audit) use this one
 * definition, so they can never disagree about what a duplicate is.
 *
 * <p>An identity is the changed table (or collection), the change's position in the source
 * database's log, {@code op} and the record key. The log position depends on the connector, read
 * from {@code source.connector} (an event without it is placed by the fields its source block has:
 * {@code scn} Oracle, {@code commit_lsn} SQL Server, {@code file} MySQL, {@code ord} MongoDB, else
 * PostgreSQL):
 * <ul>
 * <li>{@code postgresql}: {@code source.sequence}, else {@code source.lsn} (the LSN alone is not
 * unique: a transaction's changes can share it);</li>
 * <li>{@code mysql}, {@code mariadb}: {@code source.file}, {@code pos} (where the event's
 * transaction begins in the binlog), {@code row} (the row within its rows event) and {@code gtid}
 * where present; plus the envelope's {@code transaction} block ({@code provide.transaction.metadata}:
 * {@code total_order} numbers the transaction's events) or, without one, the {@code before} and
 * {@code after} images. Without the block, two changes of one row in one transaction with identical
 * images are one identity;</li>
 * <li>{@code sqlserver}: {@code source.commit_lsn}, {@code change_lsn} and {@code event_serial_no}
 * (which tells apart the delete and insert of a primary-key update that share both LSNs);</li>
 * <li>{@code oracle}: {@code source.scn}, {@code commit_scn}, {@code lcr_position} (XStream),
 * {@code rs_id}, {@code ssn} and {@code redo_thread} (LogMiner: the redo record), {@code txId} and
 * {@code txSeq} (the event's place in its transaction) where present;</li>
 * <li>{@code mongodb}: {@code source.ts_ms}, {@code ord}, {@code lsid} and {@code txnNumber}, plus
 * an update's {@code updateDescription}. The change stream's resume token is only in the source
 * offset, not in the event, so it cannot be part of an identity that a sink must also compute.</li>
 * </ul>
 * Optional position fields count as null whether absent or null, so events from connector versions
 * that add a field still match. Works on Connect data (Struct or schemaless Map); callers that read
 * raw topic bytes convert them with the converter the pipeline uses first, so keys and values
 * compare as the sink sees them.
 *
 * <p>An instance remembers how the last value schema it saw is laid out, so a task resolves the
 * envelope's fields once per schema; instances are safe for concurrent use. The static methods
 * resolve fields on every call.
 */
public final class ChangeIdentity {

    private static final String[] NONE = {};
    private static final Object[] NO_VALUES = {};
    /** The transaction block, else the row images: see {@link Rule#extra}. */
    private static final String[] TRANSACTION = {"transaction", "before", "after"};

    /** How one connector family places a change. */
    private enum Rule {
        POSTGRESQL(new String[] {"db", "schema", "table"}, "table", new String[] {"sequence", "lsn"}, true, NONE),
        /*
         * pos is where the event's transaction begins and row counts rows within one rows event, so two statements
         * of one transaction that change one row share file, pos, row and gtid (seen on MariaDB 11.4 with Debezium
         * 3.5's MariaDB connector: MariaDbDeduplicateIT). The transaction block (provide.transaction.metadata)
         * numbers the events of a transaction; without it the row images tell such changes apart.
         */
        MYSQL(new String[] {"db", "table"}, "table", new String[] {"file", "pos", "row", "gtid"}, false, TRANSACTION) {
            @Override
            int required() {
                return 2;
            }
        },
        SQLSERVER(new String[] {"db", "schema", "table"}, "table", new String[] {"commit_lsn", "change_lsn",
            "event_serial_no"}, false, NONE),
        ORACLE(new String[] {"db", "schema", "table"}, "table", new String[] {"scn", "commit_scn", "lcr_position",
            "rs_id", "ssn", "redo_thread", "txId", "txSeq"}, false, NONE),
        MONGODB(new String[] {"db", "collection"}, "collection", new String[] {"ord", "ts_ms", "lsid", "txnNumber"},
                false, new String[] {"updateDescription"});

        /** Source fields naming what changed, in order; {@link #container} among them is required. */
        final String[] names;
        final String container;
        /** Source fields placing the change; the first {@link #required()} must have a value. */
        final String[] positions;
        /** PostgreSQL: only the first present position field counts ({@code sequence}, else {@code lsn}). */
        final boolean firstOf;
        /**
         * Envelope fields (beside {@code source}) that are part of the identity; with {@link #TRANSACTION}, the
         * {@code transaction} block when it has a value, else the {@code before} and {@code after} images.
         */
        final String[] extra;

        Rule(String[] names, String container, String[] positions, boolean firstOf, String[] extra) {
            this.names = names;
            this.container = container;
            this.positions = positions;
            this.firstOf = firstOf;
            this.extra = extra;
        }

        /**
         * The rule for a {@code source.connector} value, or null for a connector this class does not
         * know; without a connector value, the rule whose fields the source block has.
         */
        static Rule of(Object connector, Predicate<String> sourceHas) {
            if (connector == null || connector == FieldPath.ABSENT) {
                return sourceHas.test("scn") ? ORACLE
                        : sourceHas.test("commit_lsn") ? SQLSERVER
                        : sourceHas.test("file") ? MYSQL
                        : sourceHas.test("ord") ? MONGODB
                        : POSTGRESQL;
            }
            // Compared with equals rather than a switch: a switch hashes the string first, and every record brings
            // a string of its own whose hash is not cached yet.
            String name = connector.toString();
            return name.equals("postgresql") ? POSTGRESQL
                    : name.equals("mysql") || name.equals("mariadb") ? MYSQL
                    : name.equals("sqlserver") ? SQLSERVER
                    : name.equals("oracle") ? ORACLE
                    : name.equals("mongodb") ? MONGODB
                    : null;
        }

        /** How many leading position fields must have a value (with {@link #firstOf}: one of them). */
        int required() {
            return 1;
        }
    }

    /** The fields of one value schema, resolved once. */
    private static final class Layout {
        final Schema valueSchema;
        final Schema sourceSchema;
        final Field source;
        final Field op;
        final Field connector;
        /** Per rule (by ordinal): its name, position and extra fields in this schema, null entries when absent. */
        final Field[][] names = new Field[Rule.values().length][];
        final Field[][] positions = new Field[Rule.values().length][];
        final Field[][] extra = new Field[Rule.values().length][];

        Layout(Schema valueSchema) {
            this.valueSchema = valueSchema;
            boolean isStruct = valueSchema.type() == Schema.Type.STRUCT;
            this.source = isStruct ? valueSchema.field("source") : null;
            this.op = isStruct ? valueSchema.field("op") : null;
            this.sourceSchema = source != null && source.schema().type() == Schema.Type.STRUCT ? source.schema() : null;
            this.connector = sourceSchema == null ? null : sourceSchema.field("connector");
            if (sourceSchema != null) {
                for (Rule rule : Rule.values()) {
                    names[rule.ordinal()] = fields(sourceSchema, rule.names);
                    positions[rule.ordinal()] = fields(sourceSchema, rule.positions);
                    extra[rule.ordinal()] = fields(valueSchema, rule.extra);
                }
            }
        }

        private static Field[] fields(Schema schema, String[] names) {
            Field[] fields = new Field[names.length];
            for (int i = 0; i < names.length; i++) {
                fields[i] = schema.field(names[i]);
            }
            return fields;
        }
    }

    private volatile Layout last;
    /** Told once when a MySQL-family change has no transaction block; null to stay silent. */
    private final Consumer<String> notice;
    private volatile boolean noticed;

    /** An identity that stays silent. */
    public ChangeIdentity() {
        this(null);
    }

    /**
     * @param notice told once, in words for an operator, when a MySQL-family change carries no {@code transaction}
     *     block (the source lacks {@code provide.transaction.metadata=true}) and its identity falls back on the row
     *     images; never given a value of the record
     */
    public ChangeIdentity(Consumer<String> notice) {
        this.notice = notice;
    }

    /**
     * Adds the identity of the change in {@code value} (the envelope) with record key {@code key} to
     * {@code id}, resolving the envelope's fields once per value schema.
     *
     * @return {@code null} when the identity is complete, else the path of the first field it lacks
     *         ({@code value.source.lsn}; {@code value.source.connector} for a connector with no rule);
     *         {@code id} then holds a partial identity and must not be used
     */
    public String append(IdEncoder id, Object key, Object value) {
        if (!(value instanceof Struct)) {
            return appendTo(id, key, value);
        }
        Struct struct = (Struct) value;
        Layout layout = last;
        if (layout == null || layout.valueSchema != struct.schema()) {
            layout = new Layout(struct.schema());
            last = layout;
        }
        if (layout.source == null) {
            return "value.source.table";
        }
        Object sourceValue = struct.get(layout.source);
        if (!(sourceValue instanceof Struct) || ((Struct) sourceValue).schema() != layout.sourceSchema) {
            return appendTo(id, key, value);
        }
        Struct source = (Struct) sourceValue;
        Schema sourceSchema = layout.sourceSchema;
        Rule rule = Rule.of(layout.connector == null ? null : source.get(layout.connector),
                name -> sourceSchema.field(name) != null);
        if (rule == null) {
            return "value.source.connector";
        }
        int r = rule.ordinal();
        Field[] names = layout.names[r];
        Field[] positions = layout.positions[r];
        Object[] nameValues = new Object[names.length];
        for (int i = 0; i < names.length; i++) {
            nameValues[i] = names[i] == null ? null : source.get(names[i]);
            if (nameValues[i] == null && rule.names[i].equals(rule.container)) {
                return "value.source." + rule.container;
            }
        }
        Object op = layout.op == null ? null : struct.get(layout.op);
        Field[] extraFields = layout.extra[r];
        // No allocation on the hot path of the connectors without envelope fields in their identity (PostgreSQL).
        Object[] extra = extraFields.length == 0 ? NO_VALUES : new Object[extraFields.length];
        for (int i = 0; i < extra.length; i++) {
            extra[i] = extraFields[i] == null ? null : struct.get(extraFields[i]);
        }
        if (rule.extra == TRANSACTION && extra[0] == null && notice != null && !noticed) {
            noticed = true;
            notice.accept("a " + rule.name().toLowerCase(java.util.Locale.ROOT) + "-family change event (table "
                    + nameValues[nameValues.length - 1] + ") carries no transaction block, so its identity falls back "
                    + "on the row images: two changes of one row in one transaction with the same before and after "
                    + "images would look like copies. Set provide.transaction.metadata=true on the source connector");
        }
        return write(id, rule, nameValues, source, positions, null, op, extra, key);
    }

    /**
     * Adds the identity of the change in {@code value} (the envelope) with record key {@code key} to
     * {@code id}, resolving the envelope's fields on this call.
     *
     * @return as {@link #append}
     */
    public static String appendTo(IdEncoder id, Object key, Object value) {
        Object source = get(value, "source");
        if (source == null) {
            return "value.source.table";
        }
        Rule rule = Rule.of(get(source, "connector"), name -> get(source, name) != null);
        if (rule == null) {
            return "value.source.connector";
        }
        Object[] nameValues = new Object[rule.names.length];
        for (int i = 0; i < nameValues.length; i++) {
            nameValues[i] = get(source, rule.names[i]);
            if (nameValues[i] == null && rule.names[i].equals(rule.container)) {
                return "value.source." + rule.container;
            }
        }
        Object[] extra = rule.extra.length == 0 ? NO_VALUES : new Object[rule.extra.length];
        for (int i = 0; i < extra.length; i++) {
            extra[i] = get(value, rule.extra[i]);
        }
        return write(id, rule, nameValues, source, null, rule.positions, get(value, "op"), extra, key);
    }

    /**
     * The 128-bit identity of a change as {hi, lo}, or {@code null} when the value is not a change
     * event this class can identify.
     */
    public static long[] of(Object key, Object value) {
        IdEncoder id = new IdEncoder();
        return appendTo(id, key, value) == null ? id.hash128() : null;
    }

    /**
     * Writes the identity. Position values come from {@code source} through resolved {@code fields}
     * (Struct path) or by {@code names} (any container).
     */
    private static String write(IdEncoder id, Rule rule, Object[] nameValues, Object source, Field[] fields,
            String[] names, Object op, Object[] extra, Object key) {
        int n = rule.positions.length;
        Object first = position(source, fields, names, 0);
        if (rule.firstOf) {
            for (int i = 1; first == null && i < n; i++) {
                first = position(source, fields, names, i);
            }
        }
        if (first == null) {
            return "value.source." + rule.positions[rule.firstOf ? n - 1 : 0];
        }
        for (int i = 1; !rule.firstOf && i < rule.required(); i++) {
            if (position(source, fields, names, i) == null) {
                return "value.source." + rule.positions[i];
            }
        }
        if (op == null || op == FieldPath.ABSENT) {
            return "value.op";
        }
        for (Object v : nameValues) {
            id.add(v);
        }
        id.add(first);
        if (!rule.firstOf) {
            for (int i = 1; i < n; i++) {
                id.add(position(source, fields, names, i));
            }
        }
        id.add(op).add(key);
        if (rule.extra == TRANSACTION) {
            if (extra[0] != null) {
                id.add(extra[0]);
            } else {
                id.add(extra[1]).add(extra[2]);
            }
        } else {
            for (Object v : extra) {
                id.add(v);
            }
        }
        return null;
    }

    private static Object position(Object source, Field[] fields, String[] names, int i) {
        if (fields != null) {
            return fields[i] == null ? null : ((Struct) source).get(fields[i]);
        }
        return get(source, names[i]);
    }

    /** A field of a Struct or Map, null when absent or not a container. */
    private static Object get(Object container, String name) {
        if (container instanceof Struct) {
            Field field = ((Struct) container).schema().field(name);
            return field == null ? null : ((Struct) container).get(field);
        }
        if (container instanceof Map) {
            return ((Map<?, ?>) container).get(name);
        }
        return null;
    }
}
