package dev.truthline.audit.spark;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import dev.truthline.audit.Reconciliation;
import dev.truthline.audit.TableRows;

/**
 * One row of {@link TableRows#select} (the key's columns, the compared columns, the row's source position) as the
 * reconciliation's {@code (entity, vals, lsn)}: the same canonical texts the one-machine audit makes of a JDBC row.
 * Spark gives a {@code timestamptz} as a {@code java.sql.Timestamp} (its instant, as the one-machine audit's
 * {@code OffsetDateTime}), a {@code timestamp} as a {@code LocalDateTime} ({@code preferTimestampNTZ}), a
 * {@code numeric} as a {@code BigDecimal}, a {@code date} as a {@code java.sql.Date}: the texts agree.
 */
final class TableRowsText implements MapFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    static final StructType TYPE = new StructType()
            .add("entity", DataTypes.StringType, false)
            .add("vals", DataTypes.StringType)
            .add("lsn", DataTypes.LongType);

    private final int keys;
    private final int columns;

    TableRowsText(int keys, int columns) {
        this.keys = keys;
        this.columns = columns;
    }

    @Override
    public Row call(Row r) {
        List<Object> key = new ArrayList<>(keys);
        for (int i = 0; i < keys; i++) {
            key.add(r.get(i));
        }
        List<Object> vals = new ArrayList<>(columns);
        for (int i = keys; i < keys + columns; i++) {
            vals.add(r.get(i));
        }
        Object lsn = r.get(keys + columns);
        return RowFactory.create(Reconciliation.canonical(key), Reconciliation.canonical(vals),
                lsn == null ? null : ((Number) lsn).longValue());
    }
}
