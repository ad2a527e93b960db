package dev.truthline.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The Iceberg tables, read back through the same JDBC catalog the sinks commit to: row counts of the
 * current snapshot, the rows each snapshot appended (for latency: a row becomes visible with the
 * snapshot that first contains it), and a read as of an earlier snapshot (time travel).
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

    /** Rows in the current snapshot, by reading them. */
    static long count(Table table) {
        if (table.currentSnapshot() == null) {
            return 0;
        }
        return count(IcebergGenerics.read(table).build());
    }

    /**
     * Rows of the current snapshot that repeat a change already in the table: same {@code __source_lsn},
     * {@code __op} and {@code keyField} (ExtractNewRecordState's added fields); -1 when the table lacks them.
     */
    static long copies(Table table, String keyField) {
        if (table.currentSnapshot() == null) {
            return 0;
        }
        if (table.schema().findField("__source_lsn") == null || table.schema().findField("__op") == null
                || table.schema().findField(keyField) == null) {
            return -1;
        }
        java.util.Set<List<Object>> seen = new java.util.HashSet<>();
        long copies = 0;
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).select("__source_lsn", "__op", keyField).build()) {
            for (Record r : rows) {
                if (!seen.add(java.util.Arrays.asList(r.getField("__source_lsn"), r.getField("__op"), r.getField(keyField)))) {
                    copies++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copies;
    }

    /** Rows as of a snapshot, by reading them. */
    static long countAt(Table table, long snapshotId) {
        return count(IcebergGenerics.read(table).useSnapshot(snapshotId).build());
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

    /**
     * For every row, its visibility delay: the commit time of the snapshot that appended it minus the
     * row's own time ({@code rowTimeMs}, e.g. Debezium's {@code source.ts_ms}: the PostgreSQL commit).
     * Rows without a time ({@code rowTimeMs} &lt; 0) are skipped.
     */
    static long[] visibilityDelays(Table table, ToLongFunction<Record> rowTimeMs) {
        List<SnapshotInfo> snapshots = snapshots(table);
        long[] delays = new long[1024];
        int n = 0;
        Long parent = null;
        for (SnapshotInfo s : snapshots) {
            CloseableIterable<Record> appended = parent == null ? IcebergGenerics.read(table).useSnapshot(s.id()).build()
                    : IcebergGenerics.read(table).appendsBetween(parent, s.id()).build();
            try (appended) {
                for (Record r : appended) {
                    long t = rowTimeMs.applyAsLong(r);
                    if (t >= 0) {
                        if (n == delays.length) {
                            delays = java.util.Arrays.copyOf(delays, n * 2);
                        }
                        delays[n++] = s.committedAtMs() - t;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            parent = s.id();
        }
        return java.util.Arrays.copyOf(delays, n);
    }

    /** {@code __source_ts_ms} (ExtractNewRecordState's added field) or {@code source.ts_ms} (a raw envelope); else -1. */
    static long sourceTsMs(Record r) {
        for (String name : new String[] {"__source_ts_ms", "__ts_ms", "source_ts_ms"}) {
            if (r.struct().field(name) != null) {
                Object v = r.getField(name);
                return v instanceof Number n ? n.longValue() : -1;
            }
        }
        if (r.struct().field("source") != null && r.getField("source") instanceof Record source
                && source.struct().field("ts_ms") != null) {
            Object v = source.getField("ts_ms");
            return v instanceof Number n ? n.longValue() : -1;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        catalog.close();
    }
}
