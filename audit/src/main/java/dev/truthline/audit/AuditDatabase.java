package dev.truthline.audit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The audit's working store: an embedded DuckDB database (a file in the work directory) holding what the store readers found (captured events,
 * sink rows, dead letters) as columnar tables, so the fate assignment is a join the engine runs within a memory
 * limit, spilling to {@code temp_directory} beyond it — never a heap of every offset.
 *
 * <p>Input tables (filled through {@link #appender(String)}, DuckDB's bulk appender):
 * <ul>
 * <li>{@code captured(topic, partition, offset, kind, key, id_hi, id_lo, ts_ms, rules, replay_of, replay_id)}: every
 * event of the change topic ({@code kind='change'}) and of the source quarantine topic ({@code kind='quarantine'},
 * {@code rules} from its {@code dq.rules} header); {@code id_hi/id_lo} its {@code ChangeIdentity} (null when it has
 * none); {@code key} the record key as text, for the report only; {@code replay_of} and {@code replay_id} the
 * {@code truthline.replay.of} / {@code .id} headers of a record {@code truthline replay} wrote (null on any other),
 * which fold a replayed copy into the event it replays ({@link ReplayFold}).</li>
 * <li>{@code sink_rows(store, role, topic, partition, offset, row_position)}: one per row of a sink table, with the
 * Kafka position its provenance columns name; {@code role} is {@code 'landing'} (silver) or {@code 'quarantine'}.</li>
 * <li>{@code dead_letters(connector, topic, partition, offset, reason)}: one per dead-letter record, with the position
 * of the record it failed ({@code __connect.errors.topic/partition/offset}) and its reason.</li>
 * <li>{@code data_files(store, file, committed_ms)}: one per data file of a sink table (the {@code file} of its rows'
 * {@code row_position}), with the time of the snapshot commit that added it (null when unknown), for the latency.</li>
 * </ul>
 *
 * <p>For the current-state reconciliation ({@link Reconciliation}): {@code captured_entities(topic, partition, offset,
 * kind, entity, lsn, op)} (each captured event's entity key as canonical text, its source position and operation),
 * {@code source_rows} and {@code current_rows} {@code (entity, vals, lsn)} (both tables by key, the compared columns
 * as one canonical text, the current row's source position) and {@code current_dead_letters} (the dead letters of the
 * sink that writes the current table, laid out as {@code dead_letters}).
 */
public final class AuditDatabase implements AutoCloseable {

    static final String CAPTURED = "captured";
    static final String SINK_ROWS = "sink_rows";
    static final String DEAD_LETTERS = "dead_letters";
    static final String DATA_FILES = "data_files";
    /** Current-state reconciliation: each captured event's entity key, source position and operation. */
    static final String ENTITIES = "captured_entities";
    /** Current-state reconciliation: the source table and the current table, by key. */
    static final String SOURCE_ROWS = "source_rows";
    static final String CURRENT_ROWS = "current_rows";
    /** Current-state reconciliation: the dead letters of the sink that writes the current table. */
    static final String CURRENT_DEAD_LETTERS = "current_dead_letters";

    private final DuckDBConnection connection;
    private long memoryLimitBytes;

    private AuditDatabase(DuckDBConnection connection) {
        this.connection = connection;
    }

    /**
     * Opens a database in a file under {@code spillDir} whose working memory is capped at {@code memoryLimit}
     * (DuckDB's syntax: {@code 256MB}). A file, not an in-memory database: the input tables then live on disk and the
     * buffer manager keeps only what the current operator needs (an in-memory database ran out of its 128MB limit
     * at 2 million events, a file-backed one did not); operators spill to {@code spillDir} too.
     */
    public static AuditDatabase open(String memoryLimit, Path spillDir) throws SQLException {
        Properties props = new Properties();
        Path file = spillDir.toAbsolutePath().resolve("audit.duckdb");
        DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file, props);
        AuditDatabase db = new AuditDatabase(c);
        try (Statement s = c.createStatement()) {
            s.execute("SET memory_limit = '" + memoryLimit.replace("'", "") + "'");
            s.execute("SET temp_directory = '" + spillDir.toAbsolutePath().toString().replace("'", "''") + "'");
            s.execute("SET preserve_insertion_order = false");
            db.memoryLimitBytes = memoryLimit(s);
            s.execute("CREATE TABLE " + CAPTURED + " (topic VARCHAR NOT NULL, \"partition\" INTEGER NOT NULL, "
                    + "\"offset\" BIGINT NOT NULL, kind VARCHAR NOT NULL, \"key\" VARCHAR, id_hi BIGINT, id_lo BIGINT, "
                    + "ts_ms BIGINT, rules VARCHAR, replay_of VARCHAR, replay_id VARCHAR)");
            s.execute("CREATE TABLE " + SINK_ROWS + " (store VARCHAR NOT NULL, role VARCHAR NOT NULL, topic VARCHAR, "
                    + "\"partition\" INTEGER, \"offset\" BIGINT, row_position VARCHAR)");
            s.execute("CREATE TABLE " + DEAD_LETTERS + " (connector VARCHAR NOT NULL, topic VARCHAR, "
                    + "\"partition\" INTEGER, \"offset\" BIGINT, reason VARCHAR)");
            s.execute("CREATE TABLE " + DATA_FILES + " (store VARCHAR NOT NULL, file VARCHAR NOT NULL, committed_ms BIGINT)");
            s.execute("CREATE TABLE " + ENTITIES + " (topic VARCHAR NOT NULL, \"partition\" INTEGER NOT NULL, "
                    + "\"offset\" BIGINT NOT NULL, kind VARCHAR NOT NULL, entity VARCHAR, lsn BIGINT, op VARCHAR)");
            s.execute("CREATE TABLE " + SOURCE_ROWS + " (entity VARCHAR NOT NULL, vals VARCHAR, lsn BIGINT)");
            s.execute("CREATE TABLE " + CURRENT_ROWS + " (entity VARCHAR NOT NULL, vals VARCHAR, lsn BIGINT)");
            s.execute("CREATE TABLE " + CURRENT_DEAD_LETTERS + " (connector VARCHAR NOT NULL, topic VARCHAR, "
                    + "\"partition\" INTEGER, \"offset\" BIGINT, reason VARCHAR)");
        } catch (SQLException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /** DuckDB's memory limit in bytes, as DuckDB read it. */
    public long memoryLimitBytes() {
        return memoryLimitBytes;
    }

    /** The limit DuckDB holds ({@code 488.2 MiB} for {@code 512MB}), in bytes. */
    private static long memoryLimit(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT current_setting('memory_limit')")) {
            rs.next();
            return bytes(rs.getString(1));
        }
    }

    private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([KMGTP]?)(i?)B",
            Pattern.CASE_INSENSITIVE);

    /** {@code 512MB} (powers of 1000) or {@code 488.2 MiB} (powers of 1024) in bytes. */
    static long bytes(String size) {
        Matcher m = SIZE.matcher(size.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("a memory size as 512MB or 488.2 MiB, not " + size);
        }
        int power = "KMGTP".indexOf(m.group(2).toUpperCase(java.util.Locale.ROOT)) + 1;
        double unit = Math.pow(m.group(3).isEmpty() ? 1000 : 1024, power);
        return (long) (Double.parseDouble(m.group(1)) * unit);
    }

    /** A bulk appender to one of the input tables; close it before assigning fates. */
    public DuckDBAppender appender(String table) throws SQLException {
        return connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table);
    }

    /** The connection, for the fate assignment and the readers that let DuckDB read Parquet files itself. */
    public Connection connection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
