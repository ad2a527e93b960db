package dev.truthline.connect.validation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

import dev.truthline.connect.contract.ContractRule;
import dev.truthline.connect.core.FieldPath;

/**
 * {@code type}: the value has the {@code expected} type. Numbers widen the way a JSON reader needs:
 * {@code long} takes any integer, {@code int} an integer within 32 bits, {@code float}/{@code double}
 * any number but a decimal, {@code number} any number at all. {@code integer} is JSON Schema's: any
 * number without a fractional part, of any size ({@code 1005.0}, {@code 2^64}). {@code date}, {@code time},
 * {@code timestamp} and {@code decimal} need the field's schema to say so (Connect's logical types,
 * or Debezium's time types); schemaless records carry no such types. Built from an ODCS contract, a
 * date, time or timestamp may also be ISO-8601 text, the standard's default format.
 */
final class TypeRule extends FieldRule {

    static final RuleType TYPE = new RuleType("type", ContractRule.Type.class, RuleDefinitions.FIELD,
            RuleDefinitions.EXPECTED) {
        @Override
        Rule fromConfig(RuleConfig config) {
            FieldPath path = config.field();
            String expected = config.required(RuleDefinitions.EXPECTED);
            return new TypeRule(config.name(), path, config.severity(), config.message(),
                    Expected.valueOf(expected.toUpperCase(Locale.ROOT)));
        }

        @Override
        Rule fromContract(ContractRule rule, RuleSeverity severity) {
            ContractRule.Type type = (ContractRule.Type) rule.check();
            return new TypeRule(rule.name(), FieldPath.parse(rule.field()), severity, null,
                    Expected.valueOf(type.expected().toUpperCase(Locale.ROOT)), type.isoText());
        }

        /** Types are compared by name: an integer is also a number; any other change refuses values both ways. */
        @Override
        boolean refusesMore(ContractRule.Check a, ContractRule.Check b, boolean integersOnly) {
            String refusing = ((ContractRule.Type) a).expected();
            String accepting = ((ContractRule.Type) b).expected();
            return !refusing.equals(accepting) && !widens(accepting, refusing);
        }
    };

    /** Whether every value of type {@code narrow} is a value of type {@code wide} (type names as this rule has them). */
    static boolean widens(String narrow, String wide) {
        return (narrow.equals("integer") || narrow.equals("long")) && wide.equals("number");
    }

    enum Expected {
        STRING, INT, LONG, INTEGER, FLOAT, DOUBLE, NUMBER, BOOLEAN, BYTES, STRUCT, MAP, ARRAY, DECIMAL, DATE, TIME,
        TIMESTAMP;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Set<String> DATE_NAMES = Set.of(Date.LOGICAL_NAME, "io.debezium.time.Date");
    private static final Set<String> TIME_NAMES = Set.of(Time.LOGICAL_NAME, "io.debezium.time.Time",
            "io.debezium.time.MicroTime", "io.debezium.time.NanoTime", "io.debezium.time.ZonedTime");
    private static final Set<String> TIMESTAMP_NAMES = Set.of(Timestamp.LOGICAL_NAME,
            "io.debezium.time.Timestamp", "io.debezium.time.MicroTimestamp", "io.debezium.time.NanoTimestamp",
            "io.debezium.time.ZonedTimestamp");
    private static final Set<String> DECIMAL_NAMES = Set.of(Decimal.LOGICAL_NAME);

    private final Expected expected;
    /** Whether a date, time or timestamp may be ISO-8601 text. */
    private final boolean isoText;
    private final String mismatch;
    /** The last root schema seen and the leaf schema it gave: one schema per task is the common case. */
    private volatile SchemaPair lastSchemas;

    private record SchemaPair(Schema root, Schema leaf) {
    }

    TypeRule(String name, FieldPath path, RuleSeverity severity, String message, Expected expected) {
        this(name, path, severity, message, expected, false);
    }

    TypeRule(String name, FieldPath path, RuleSeverity severity, String message, Expected expected, boolean isoText) {
        super(name, path, severity, message);
        this.expected = expected;
        this.isoText = isoText;
        this.mismatch = "expected type " + expected.label() + " but was ";
    }

    @Override
    String checkPresent(Object value, RecordView record) {
        boolean ok;
        switch (expected) {
            case STRING:
                ok = value instanceof String;
                break;
            case INT:
                ok = value instanceof Integer || value instanceof Short || value instanceof Byte
                        || (value instanceof Long && (long) (Long) value == (int) (long) (Long) value);
                break;
            case LONG:
                ok = value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
                break;
            case INTEGER:
                ok = isIntegral(value);
                break;
            case FLOAT:
            case DOUBLE:
                ok = value instanceof Number && !(value instanceof BigDecimal);
                break;
            case NUMBER:
                ok = value instanceof Number;
                break;
            case BOOLEAN:
                ok = value instanceof Boolean;
                break;
            case BYTES:
                ok = (value instanceof byte[] || value instanceof ByteBuffer) && !hasLogicalName(record, DECIMAL_NAMES);
                break;
            case STRUCT:
                ok = value instanceof Struct || (value instanceof Map && record.targetSchema() == null);
                break;
            case MAP:
                ok = value instanceof Map;
                break;
            case ARRAY:
                ok = value instanceof List;
                break;
            case DECIMAL:
                ok = value instanceof BigDecimal;
                break;
            case DATE:
                ok = hasLogicalName(record, DATE_NAMES) || (isoText && IsoText.isDate(value));
                break;
            case TIME:
                ok = hasLogicalName(record, TIME_NAMES) || (isoText && IsoText.isTime(value));
                break;
            case TIMESTAMP:
                ok = hasLogicalName(record, TIMESTAMP_NAMES) || (isoText && IsoText.isTimestamp(value));
                break;
            default:
                throw new IllegalStateException("unhandled type " + expected);
        }
        if (ok) {
            return null;
        }
        Schema leaf = leafSchema(record);
        String actual = leaf != null && leaf.name() != null ? leaf.name() : TypeNames.of(value);
        return mismatch + actual;
    }

    /** An integer as JSON Schema has it: a number whose fractional part is zero, of any size. */
    private static boolean isIntegral(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return true;
        }
        if (value instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) value;
            return d.signum() == 0 || d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) && d == Math.rint(d);
        }
        return false;
    }

    private boolean hasLogicalName(RecordView record, Set<String> names) {
        Schema leaf = leafSchema(record);
        return leaf != null && leaf.name() != null && names.contains(leaf.name());
    }

    private Schema leafSchema(RecordView record) {
        Schema root = record.targetSchema();
        if (root == null) {
            return null;
        }
        SchemaPair last = lastSchemas;
        if (last != null && last.root() == root) {
            return last.leaf();
        }
        Schema leaf = path().leafSchema(root);
        lastSchemas = new SchemaPair(root, leaf);
        return leaf;
    }
}
