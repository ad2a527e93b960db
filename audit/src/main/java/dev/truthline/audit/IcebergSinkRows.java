package dev.truthline.audit;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.common.TopicPartition;
import org.duckdb.DuckDBAppender;

/**
 * Reads a sink table's provenance into {@code sink_rows}: the Iceberg API lists the data files of a snapshot (the
 * current one unless given), and DuckDB reads their Kafka-position columns straight from Parquet — the rows never
 * pass through this JVM's heap. A row's position is its data file and row number in it.
 *
 * <p>The sink tables are append-only (the Iceberg sink writes no deletes); a snapshot with delete files cannot be
 * judged this way and says so.
 */
public final class IcebergSinkRows {

    /** The Kafka position columns every sink table carries (KafkaMetadataTransform, nested=false). */
    public static final String TOPIC_COLUMN = "_kafka_metadata_topic";
    public static final String PARTITION_COLUMN = "_kafka_metadata_partition";
    public static final String OFFSET_COLUMN = "_kafka_metadata_offset";

    /** Files per DuckDB statement: keeps each statement's text small on tables with many files. */
    private static final int FILES_PER_STATEMENT = 200;

    private IcebergSinkRows() {
    }

    /**
     * Appends one {@code sink_rows} row per row of {@code table}'s snapshot.
     *
     * @param store the table's name in the report ({@code silver.orders})
     * @param role  {@code landing} or {@code quarantine}
     * @param snapshotId the snapshot to read, or null for the current one
     * @return the number of data files read
     */
    public static int load(AuditDatabase db, Table table, String store, String role, Long snapshotId)
            throws CannotJudgeException, SQLException {
        requirePositionColumns(table, store);
        if (table.currentSnapshot() == null) {
            return 0;
        }
        Map<String, Long> committed = dataFiles(table, store, snapshotId);
        List<String> all = new ArrayList<>(committed.keySet());
        for (int from = 0; from < all.size(); from += FILES_PER_STATEMENT) {
            String list = fileList(all.subList(from, Math.min(all.size(), from + FILES_PER_STATEMENT)));
            try (Statement s = db.connection().createStatement()) {
                s.execute("INSERT INTO " + AuditDatabase.SINK_ROWS + " SELECT " + literal(store) + ", " + literal(role)
                        + ", " + TOPIC_COLUMN + ", " + PARTITION_COLUMN + ", " + OFFSET_COLUMN
                        + ", filename || '#' || file_row_number FROM read_parquet([" + list
                        + "], filename = true, file_row_number = true, union_by_name = true)");
            } catch (SQLException e) {
                throw new CannotJudgeException("cannot read the data files of " + store + ": " + e.getMessage(), e);
            }
        }
        try (DuckDBAppender a = db.appender(AuditDatabase.DATA_FILES)) {
            for (String f : all) {
                a.beginRow().append(store).append(f);
                Long ms = committed.get(f);
                if (ms == null) {
                    a.appendNull();
                } else {
                    a.append(ms.longValue());
                }
                a.endRow();
            }
        }
        return all.size();
    }

    private static void requirePositionColumns(Table table, String store) throws CannotJudgeException {
        for (String column : List.of(TOPIC_COLUMN, PARTITION_COLUMN, OFFSET_COLUMN)) {
            if (table.schema().findField(column) == null) {
                throw new CannotJudgeException(store + " has no column " + column
                        + ": its sink does not write the Kafka position (KafkaMetadataTransform, nested=false)");
            }
        }
    }

    /**
     * The data files of {@code table}'s snapshot (the current one when null), each with the commit time of the
     * snapshot that added it (null when unknown), in the order the scan lists them.
     */
    private static Map<String, Long> dataFiles(Table table, String store, Long snapshotId) throws CannotJudgeException {
        TableScan scan = table.newScan();
        if (snapshotId != null) {
            scan = scan.useSnapshot(snapshotId);
        }
        Map<String, Long> committed = new LinkedHashMap<>();
        Map<Long, Long> commitTimes = commitTimes(table);
        try (CloseableIterable<FileScanTask> tasks = scan.planFiles()) {
            for (FileScanTask task : tasks) {
                if (!task.deletes().isEmpty()) {
                    throw new CannotJudgeException(store + " has delete files (" + task.deletes().size()
                            + " for " + task.file().location() + "): the audit reads append-only sink tables");
                }
                Long sequence = task.file().dataSequenceNumber();
                committed.put(localPath(store, task.file().location()), sequence == null ? null
                        : commitTimes.get(sequence));
            }
        } catch (java.io.IOException e) {
            throw new CannotJudgeException("cannot list the data files of " + store, e);
        }
        return committed;
    }

    /**
     * Per partition of {@code topic}, one past the highest offset a row of {@code table}'s snapshot holds: the
     * snapshot's cut of the topic. Partitions without a row are absent. Only the position columns are read.
     */
    public static Map<TopicPartition, Long> ends(AuditDatabase db, Table table, String store, long snapshotId,
            String topic) throws CannotJudgeException, SQLException {
        requirePositionColumns(table, store);
        List<String> all = new ArrayList<>(dataFiles(table, store, snapshotId).keySet());
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (int from = 0; from < all.size(); from += FILES_PER_STATEMENT) {
            String list = fileList(all.subList(from, Math.min(all.size(), from + FILES_PER_STATEMENT)));
            try (Statement s = db.connection().createStatement();
                    ResultSet rs = s.executeQuery("SELECT " + PARTITION_COLUMN + ", max(" + OFFSET_COLUMN
                            + ") FROM read_parquet([" + list + "], union_by_name = true) WHERE " + TOPIC_COLUMN
                            + " = " + literal(topic) + " AND " + OFFSET_COLUMN + " IS NOT NULL GROUP BY 1")) {
                while (rs.next()) {
                    ends.merge(new TopicPartition(topic, rs.getInt(1)), rs.getLong(2) + 1, Math::max);
                }
            } catch (SQLException e) {
                throw new CannotJudgeException("cannot read the data files of " + store + ": " + e.getMessage(), e);
            }
        }
        return ends;
    }

    private static String fileList(List<String> files) {
        StringBuilder list = new StringBuilder();
        for (String f : files) {
            list.append(list.length() == 0 ? "" : ", ").append(literal(f));
        }
        return list.toString();
    }

    /**
     * Data sequence number → the commit time of the snapshot that added it: when a data file's rows became readable.
     * A format-v1 table numbers no snapshot (all 0): nothing is known then.
     */
    static Map<Long, Long> commitTimes(Table table) {
        Map<Long, Long> times = new HashMap<>();
        Set<Long> ambiguous = new HashSet<>();
        for (Snapshot s : table.snapshots()) {
            if (times.put(s.sequenceNumber(), s.timestampMillis()) != null) {
                ambiguous.add(s.sequenceNumber());
            }
        }
        ambiguous.forEach(times::remove);
        return times;
    }

    /** DuckDB reads local files here (its httpfs extension for object stores cannot be downloaded offline). */
    private static String localPath(String store, String location) throws CannotJudgeException {
        if (location.startsWith("/")) {
            return location;
        }
        URI uri = URI.create(location);
        if ("file".equals(uri.getScheme())) {
            return uri.getPath();
        }
        throw new CannotJudgeException(store + " keeps its data files at " + uri.getScheme()
                + ": this audit reads local files only");
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
