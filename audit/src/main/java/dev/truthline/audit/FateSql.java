package dev.truthline.audit;

import java.util.List;

/**
 * Where the fate assignment's SQL runs: the embedded DuckDB of the one-machine audit, or Spark SQL
 * ({@code audit-spark}) for volumes beyond one machine. Both run the same statements of {@link FateAssignment} over
 * tables of the same names and columns ({@code captured}, {@code sink_rows}, {@code dead_letters}); this interface
 * holds only what the two dialects spell differently.
 */
public interface FateSql {

    /** Makes the rows of {@code query} the table (or view) {@code name}, replacing any of that name. */
    void materialize(String name, String query) throws Exception;

    /** The rows of {@code query}, each as its column values (text, numbers or null). */
    List<List<Object>> rows(String query) throws Exception;

    /** The function that turns an array into one row per element: {@code unnest} (DuckDB), {@code explode} (Spark). */
    String explode();

    /** An aggregate joining {@code column}'s texts in their order with {@code ", "}. */
    String joinedInOrder(String column);

    /** An aggregate joining {@code column}'s texts with {@code separator}, ordered by {@code order}. */
    String joinedBy(String column, String order, String separator);
}
