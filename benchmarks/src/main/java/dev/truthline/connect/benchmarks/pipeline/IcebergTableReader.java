package dev.truthline.connect.benchmarks.pipeline;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs in a JVM of its own on the Iceberg plugin folder's jars (never on the benchmark's class path: Iceberg is only
 * compiled against). {@code prepare URI USER WAREHOUSE OUT}: makes the JDBC catalog's tables and the benchmark's
 * namespace. {@code read URI USER WAREHOUSE OUT TABLE…}: for each table scans every row — counting them and the
 * distinct Kafka positions ({@code _kafka_metadata_partition}, {@code _kafka_metadata_offset}) they came from — and
 * counts its snapshots (commits) and its current data files and their bytes; writes the figures as JSON to OUT.
 */
public final class IcebergTableReader {

    private IcebergTableReader() {
    }

    public static void main(String[] args) throws Exception {
        String command = args[0];
        JdbcCatalog catalog = new JdbcCatalog();
        catalog.setConf(new org.apache.hadoop.conf.Configuration());
        catalog.initialize(IcebergCatalog.CATALOG, Map.of("uri", args[1], "jdbc.user", args[2], "jdbc.password",
                args[2], "jdbc.schema-version", "V1", "warehouse", args[3]));
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        try {
            if (command.equals("prepare")) {
                Namespace ns = Namespace.of(IcebergCatalog.NAMESPACE);
                if (!catalog.namespaceExists(ns)) {
                    catalog.createNamespace(ns);
                }
                out.put("namespace", IcebergCatalog.NAMESPACE);
            } else if (command.equals("read")) {
                for (int i = 5; i < args.length; i++) {
                    out.set(args[i], read(catalog.loadTable(TableIdentifier.parse(args[i])), json));
                }
            } else {
                throw new IllegalArgumentException("unknown command " + command + " (prepare, read)");
            }
        } finally {
            catalog.close();
        }
        json.writerWithDefaultPrettyPrinter().writeValue(Path.of(args[4]).toFile(), out);
    }

    private static ObjectNode read(Table table, ObjectMapper json) throws java.io.IOException {
        String partition = "_kafka_metadata_partition";
        String offset = "_kafka_metadata_offset";
        if (table.schema().findField(partition) == null || table.schema().findField(offset) == null) {
            throw new IllegalStateException(table.name() + " has no " + partition + "/" + offset + " columns: "
                    + table.schema());
        }
        long rows = 0;
        Set<Long> positions = new HashSet<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).select(partition, offset).build()) {
            for (Record r : records) {
                rows++;
                long p = ((Number) r.getField(partition)).longValue();
                long o = ((Number) r.getField(offset)).longValue();
                positions.add(p << 40 | o);
            }
        }
        long commits = 0;
        for (Snapshot ignored : table.snapshots()) {
            commits++;
        }
        Snapshot current = table.currentSnapshot();
        Map<String, String> summary = current == null ? Map.of() : current.summary();
        return json.createObjectNode().put("rows", rows).put("distinctOffsets", positions.size())
                .put("commits", commits)
                .put("dataFiles", Long.parseLong(summary.getOrDefault("total-data-files", "0")))
                .put("fileBytes", Long.parseLong(summary.getOrDefault("total-files-size", "0")))
                .put("summaryRecords", Long.parseLong(summary.getOrDefault("total-records", "0")));
    }
}
