package dev.truthline.audit.spark;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import dev.truthline.audit.FateSql;

/**
 * The fate assignment's SQL on Spark: a materialized table is a persisted temporary view. Identifiers are
 * double-quoted in the shared SQL, so the session runs with {@code spark.sql.ansi.doubleQuotedIdentifiers=true}.
 */
final class SparkFateSql implements FateSql {

    private final SparkSession spark;

    SparkFateSql(SparkSession spark) {
        this.spark = spark;
    }

    @Override
    public void materialize(String name, String query) {
        Dataset<Row> rows = spark.sql(query).persist(StorageLevel.MEMORY_AND_DISK());
        rows.createOrReplaceTempView(name);
    }

    @Override
    public List<List<Object>> rows(String query) {
        List<List<Object>> rows = new ArrayList<>();
        for (Row r : spark.sql(query).collectAsList()) {
            List<Object> row = new ArrayList<>(r.length());
            for (int i = 0; i < r.length(); i++) {
                row.add(r.get(i));
            }
            rows.add(row);
        }
        return rows;
    }

    @Override
    public String explode() {
        return "explode";
    }

    @Override
    public String joinedInOrder(String column) {
        return "array_join(array_sort(collect_list(" + column + ")), ', ')";
    }

    @Override
    public String joinedBy(String column, String order, String separator) {
        return "array_join(transform(array_sort(collect_list(named_struct('o', " + order + ", 'v', " + column
                + "))), x -> x.v), '" + separator + "')";
    }
}
