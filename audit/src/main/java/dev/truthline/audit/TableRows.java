package dev.truthline.audit;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.StringJoiner;

import org.duckdb.DuckDBAppender;

/**
 * Streams a database table into the {@link AuditDatabase} ({@code source_rows} or {@code current_rows}): one row per
 * key, with the compared columns as one {@link CanonicalText}. Read with a cursor ({@code fetchSize}), appended
 * through DuckDB's appender: the table never sits in the JVM's heap. The Spark audit reads the same {@link #select}
 * through Spark's JDBC source.
 */
public final class TableRows {

    private static final int FETCH = 5_000;

    /** A table's key and the columns compared, in the source table's order. */
    public record Shape(List<String> key, List<String> columns) {
        /** Without these columns (the key's columns always stay: rows are matched by them). */
        public Shape without(java.util.Set<String> left) {
            return new Shape(key, columns.stream().filter(c -> key.contains(c) || !left.contains(c)).toList());
        }

    }

    private TableRows() {
    }

    public static Connection connect(ReconcilePlan.Table t) throws CannotJudgeException {
        Properties props = new Properties();
        if (t.user() != null) {
            props.setProperty("user", t.user());
        }
        if (t.password() != null) {
            props.setProperty("password", t.password());
        }
        try {
            return DriverManager.getConnection(t.jdbcUrl(), props);
        } catch (SQLException e) {
            throw new CannotJudgeException("cannot connect to " + t.jdbcUrl() + ": " + e.getMessage(), e);
        }
    }

    /** The source table's primary key and its columns (all compared). */
    public static Shape shape(Connection c, String table) throws SQLException, CannotJudgeException {
        String[] parts = split(table);
        DatabaseMetaData meta = c.getMetaData();
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = meta.getColumns(null, parts[0], parts[1], null)) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME"));
            }
        }
        if (columns.isEmpty()) {
            throw new CannotJudgeException("no table " + table + " at " + c.getMetaData().getURL());
        }
        String[] key = new String[columns.size()];
        int keyColumns = 0;
        try (ResultSet rs = meta.getPrimaryKeys(null, parts[0], parts[1])) {
            while (rs.next()) {
                key[rs.getInt("KEY_SEQ") - 1] = rs.getString("COLUMN_NAME");
                keyColumns++;
            }
        }
        if (keyColumns == 0) {
            throw new CannotJudgeException(table + " has no primary key: the reconciliation compares by key");
        }
        return new Shape(List.of(java.util.Arrays.copyOf(key, keyColumns)), columns);
    }

    /** Whether a table exists (a sink creates its table with its first row). */
    public static boolean exists(Connection c, String table) throws SQLException {
        String[] parts = split(table);
        try (ResultSet rs = c.getMetaData().getTables(null, parts[0], parts[1], null)) {
            return rs.next();
        }
    }

    /**
     * Appends every row of {@code table} to {@code into}: entity (the key columns), vals (the compared columns) and,
     * when {@code lsnColumn} is given, the row's source position.
     *
     * @return the rows read
     */
    public static long load(AuditDatabase db, String into, Connection c, String table, Shape shape, String lsnColumn)
            throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
        long rows = 0;
        try (Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                DuckDBAppender a = db.appender(into)) {
            s.setFetchSize(FETCH);
            try (ResultSet rs = s.executeQuery(select(table, shape, lsnColumn))) {
                ResultSetMetaData meta = rs.getMetaData();
                int keys = shape.key().size();
                int all = keys + shape.columns().size();
                while (rs.next()) {
                    a.beginRow().append(join(rs, meta, 1, keys)).append(join(rs, meta, keys + 1, all));
                    long lsn = rs.getLong(all + 1);
                    if (rs.wasNull()) {
                        a.appendNull();
                    } else {
                        a.append(lsn);
                    }
                    a.endRow();
                    rows++;
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
        return rows;
    }

    /**
     * What is read of a table: the key's columns ({@code k0…}), the compared columns ({@code c0…}), then the row's
     * source position ({@code row_lsn}: {@code lsnColumn}, or NULL).
     */
    public static String select(String table, Shape shape, String lsnColumn) {
        StringJoiner select = new StringJoiner(", ", "SELECT ", " FROM " + quoted(table));
        for (int i = 0; i < shape.key().size(); i++) {
            select.add(quote(shape.key().get(i)) + " AS k" + i);
        }
        for (int i = 0; i < shape.columns().size(); i++) {
            select.add(quote(shape.columns().get(i)) + " AS c" + i);
        }
        // Named apart (a key column is compared too): Spark's JDBC source reads it as a subquery.
        select.add((lsnColumn == null ? "CAST(NULL AS BIGINT)" : quote(lsnColumn)) + " AS row_lsn");
        return select.toString();
    }

    private static String join(ResultSet rs, ResultSetMetaData meta, int from, int to) throws SQLException {
        StringJoiner j = new StringJoiner(CanonicalText.SEPARATOR);
        for (int i = from; i <= to; i++) {
            j.add(CanonicalText.of(rs, i, meta.getColumnTypeName(i)));
        }
        return j.toString();
    }

    /** {@code schema.table} (or {@code table}: schema null, the connection's search path). */
    private static String[] split(String table) {
        int dot = table.indexOf('.');
        return dot < 0 ? new String[] {null, table} : new String[] {table.substring(0, dot), table.substring(dot + 1)};
    }

    static String quoted(String table) {
        String[] parts = split(table);
        return parts[0] == null ? quote(parts[1]) : quote(parts[0]) + "." + quote(parts[1]);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
