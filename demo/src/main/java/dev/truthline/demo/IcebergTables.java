package dev.truthline.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The Iceberg tables, read back through the same JDBC catalog the sinks commit to: row counts of the
 * current snapshot, the snapshots, and a read as of an earlier snapshot (time travel).
 */
final class IcebergTables implements AutoCloseable {

    /** One snapshot: id, commit time, and the rows the table held then (from the snapshot summary). */
    record SnapshotInfo(long id, long committedAtMs, long totalRecords) {
    }

    private final JdbcCatalog catalog;

    IcebergTables(String catalogName, Map<String, String> properties) {
        Map<String, String> props = new LinkedHashMap<>(properties);
        props.remove("catalog-impl");
        catalog = new JdbcCatalog();
        catalog.setConf(new org.apache.hadoop.conf.Configuration());
        catalog.initialize(catalogName, props);
    }

    /** Every table of the catalog, namespace by namespace (top-level namespaces: the sinks create no others). */
    List<String> tables() {
        List<String> tables = new ArrayList<>();
        for (org.apache.iceberg.catalog.Namespace ns : catalog.listNamespaces()) {
            catalog.listTables(ns).forEach(id -> tables.add(id.toString()));
        }
        return tables;
    }

    boolean exists(String table) {
        return catalog.tableExists(TableIdentifier.parse(table));
    }

    Table load(String table) {
        return catalog.loadTable(TableIdentifier.parse(table));
    }

    /** Rows in the current snapshot, from its summary (cheap: for progress); 0 before the table exists. */
    long currentRows(String table) {
        if (!exists(table)) {
            return 0;
        }
        Snapshot s = load(table).currentSnapshot();
        return s == null ? 0 : Long.parseLong(s.summary().getOrDefault("total-records", "0"));
    }

    /** Rows as of a snapshot, by reading them (one column of each: enough to count). */
    static long countAt(Table table, long snapshotId) {
        return count(IcebergGenerics.read(table).useSnapshot(snapshotId)
                .select(table.schema().columns().get(0).name()).build());
    }

    private static long count(CloseableIterable<Record> rows) {
        long n = 0;
        try (rows) {
            for (Record ignored : rows) {
                n++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    /** The table's snapshots in commit order (the current snapshot's ancestry). */
    static List<SnapshotInfo> snapshots(Table table) {
        List<SnapshotInfo> out = new ArrayList<>();
        for (Snapshot s = table.currentSnapshot(); s != null;
                s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
            out.add(0, new SnapshotInfo(s.snapshotId(), s.timestampMillis(),
                    Long.parseLong(s.summary().getOrDefault("total-records", "-1"))));
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        catalog.close();
    }
}
