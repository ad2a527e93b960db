package dev.truthline.audit.spark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import dev.truthline.audit.CannotJudgeException;
import dev.truthline.audit.ReconcilePlan;
import dev.truthline.audit.Reconciliation;
import dev.truthline.audit.TableRows;

/**
 * The current-state reconciliation's {@code source_rows} and {@code current_rows} on Spark: both tables read through
 * Spark's JDBC source by the one-machine audit's own {@link TableRows#select} (the source's primary key and its columns
 * but those the source protects), each row made the reconciliation's {@code (entity, vals, lsn)} with the same
 * canonical texts the one-machine audit makes of a JDBC row ({@link Reconciliation#canonical}). Spark gives a
 * {@code timestamptz} as a {@code java.sql.Timestamp} (its instant, as the one-machine audit's {@code OffsetDateTime}),
 * a {@code timestamp} as a {@code LocalDateTime} ({@code preferTimestampNTZ}), a {@code numeric} as a
 * {@code BigDecimal}, a {@code date} as a {@code java.sql.Date}: the texts agree.
 */
final class SparkTableRows {

    static final StructType TYPE = new StructType()
            .add("entity", DataTypes.StringType, false)
            .add("vals", DataTypes.StringType)
            .add("lsn", DataTypes.LongType);

    private SparkTableRows() {
    }

    /** Fills the views {@code source_rows} and {@code current_rows} (empty when the current table does not exist). */
    static void read(SparkSession spark, ReconcilePlan reconcile) throws CannotJudgeException {
        TableRows.Shape shape;
        try (Connection source = TableRows.connect(reconcile.source())) {
            shape = TableRows.shape(source, reconcile.source().table()).without(reconcile.notCompared());
        } catch (SQLException e) {
            throw new CannotJudgeException("cannot read " + reconcile.source() + ": " + e.getMessage(), e);
        }
        boolean current;
        try (Connection c = TableRows.connect(reconcile.current())) {
            // A sink creates its table with its first row: no table, no rows.
            current = TableRows.exists(c, reconcile.current().table());
        } catch (SQLException e) {
            throw new CannotJudgeException("cannot read " + reconcile.current() + ": " + e.getMessage(), e);
        }
        view(rows(spark, reconcile.source(), shape, null), "source_rows");
        view(current ? rows(spark, reconcile.current(), shape, reconcile.lsnColumn())
                : spark.createDataFrame(List.of(), TYPE), "current_rows");
    }

    /** A table's rows through Spark's JDBC source, as {@code (entity, vals, lsn)}. */
    static Dataset<Row> rows(SparkSession spark, ReconcilePlan.Table table, TableRows.Shape shape, String lsnColumn)
            throws CannotJudgeException {
        DataFrameReader reader = spark.read().format("jdbc")
                .option("url", table.jdbcUrl())
                .option("driver", driver(table.jdbcUrl()))
                .option("query", TableRows.select(table.table(), shape, lsnColumn))
                .option("fetchsize", "5000")
                // timestamp without time zone as a local date-time, as the one-machine audit reads it
                .option("preferTimestampNTZ", "true");
        if (table.user() != null) {
            reader = reader.option("user", table.user());
        }
        if (table.password() != null) {
            reader = reader.option("password", table.password());
        }
        return reader.load().map(new Text(shape.key().size(), shape.columns().size()), Encoders.row(TYPE));
    }

    /**
     * The JDBC driver's class for {@code url}, named to Spark: under {@code spark-submit} the driver comes with
     * {@code --jars}, in a class loader DriverManager does not let Spark's own classes use ("No suitable driver");
     * named, Spark registers it from that loader. Asked from here, whose class loader is the job's.
     */
    private static String driver(String url) throws CannotJudgeException {
        try {
            return DriverManager.getDriver(url).getClass().getName();
        } catch (SQLException e) {
            throw new CannotJudgeException("no JDBC driver for " + url + " on the class path: " + e.getMessage(), e);
        }
    }

    private static void view(Dataset<Row> rows, String name) {
        rows.persist(StorageLevel.MEMORY_AND_DISK()).createOrReplaceTempView(name);
    }

    /** One row of {@link TableRows#select} (key columns, compared columns, source position) as canonical texts. */
    static final class Text implements MapFunction<Row, Row> {

        private static final long serialVersionUID = 1L;

        private final int keys;
        private final int columns;

        Text(int keys, int columns) {
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
}
