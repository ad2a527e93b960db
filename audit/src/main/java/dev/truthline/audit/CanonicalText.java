package dev.truthline.audit;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.StringJoiner;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * One text for one value, whichever side it was read from — a Kafka record key, the source database, the warehouse —
 * so the reconciliation compares rows and keys as text inside DuckDB: {@code 10.50} and {@code 10.5} are the same
 * amount, a {@code timestamptz} is its instant, an {@code int} and a {@code bigint} 5 are both {@code 5}.
 */
final class CanonicalText {

    /** Joins the columns of a key or a row: a control character no value of an ordinary table holds. */
    static final String SEPARATOR = "\u001f";
    /** SQL NULL, distinct from the text {@code null}. */
    static final String NULL = "\u2400";

    private CanonicalText() {
    }

    /** A Kafka record key as entity text: a struct's (or map's) fields in order, else the value itself. */
    static String entity(Object key) {
        if (key == null) {
            return null;
        }
        if (key instanceof Struct s) {
            StringJoiner j = new StringJoiner(SEPARATOR);
            for (Field f : s.schema().fields()) {
                j.add(of(s.get(f)));
            }
            return j.toString();
        }
        if (key instanceof Map<?, ?> m) {
            StringJoiner j = new StringJoiner(SEPARATOR);
            m.values().forEach(v -> j.add(of(v)));
            return j.toString();
        }
        return of(key);
    }

    /** A value as Connect or JDBC gives it. */
    static String of(Object v) {
        if (v == null) {
            return NULL;
        }
        if (v instanceof BigDecimal d) {
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof Double || v instanceof Float) {
            return of(new BigDecimal(v.toString()));
        }
        if (v instanceof OffsetDateTime t) {
            return t.toInstant().toString();
        }
        if (v instanceof java.util.Date d && !(v instanceof java.sql.Date)) {
            return d.toInstant().toString();
        }
        return v.toString();
    }

    /** Column {@code i} of a JDBC row; {@code typeName} from the result's metadata picks the temporal reading. */
    static String of(ResultSet rs, int i, String typeName) throws SQLException {
        String type = typeName == null ? "" : typeName.toLowerCase(java.util.Locale.ROOT);
        Object v;
        if (type.equals("timestamptz") || type.equals("timestamp with time zone")) {
            v = rs.getObject(i, OffsetDateTime.class);
        } else if (type.equals("timestamp") || type.equals("timestamp without time zone")) {
            LocalDateTime t = rs.getObject(i, LocalDateTime.class);
            v = t == null ? null : t.toString();
        } else {
            v = rs.getObject(i);
            if (v instanceof java.sql.Date || v instanceof java.sql.Time || v instanceof java.sql.Array) {
                v = rs.getString(i);
            }
        }
        return of(v);
    }
}
