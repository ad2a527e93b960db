package dev.truthline.connect.benchmarks.pipeline;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import dev.truthline.connect.harness.ConnectRest;
import dev.truthline.connect.harness.ForkedJvm;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The Iceberg side of a {@code --sink iceberg} run: the reference silver connector's catalog ({@code JdbcCatalog},
 * schema version V1, catalog name {@code iceberg}) on an embedded PostgreSQL (real binaries, data under the work
 * folder, no Docker), a {@code file:} warehouse, the sink's settings for one table, and two reads of the tables:
 * cheap ones while a pass runs (the catalog's row, then the current snapshot's summary in its metadata file: what the
 * last commit says the table holds) and the real one at the end ({@link IcebergTableReader} in a JVM of its own, on
 * the Iceberg plugin folder's jars: every row scanned).
 */
final class IcebergCatalog implements AutoCloseable {

    static final String CATALOG = "iceberg";
    static final String NAMESPACE = "bench";
    private static final String USER = "postgres";

    /** What the end-of-run read found in one table ({@link IcebergTableReader}'s output). */
    record TableStats(long rows, long distinctOffsets, long commits, long dataFiles, long fileBytes) {
        double averageFileBytes() {
            return dataFiles == 0 ? Double.NaN : (double) fileBytes / dataFiles;
        }
    }

    private final EmbeddedPostgres postgres;
    private final Path work;
    private final Path pluginFolder;
    private final Path slf4j;
    private final String warehouse;

    private IcebergCatalog(EmbeddedPostgres postgres, Path work, Path pluginFolder, Path slf4j) {
        this.postgres = postgres;
        this.work = work;
        this.pluginFolder = pluginFolder;
        this.slf4j = slf4j;
        this.warehouse = work.resolve("warehouse").toUri().toString();
    }

    /**
     * Starts PostgreSQL under {@code work/postgres} and makes the catalog's tables and the {@value #NAMESPACE}
     * namespace before any sink task starts (tasks initializing a fresh JDBC catalog at once race to create them).
     */
    static IcebergCatalog start(Path work, Path pluginFolder, Path kafkaLibs) throws Exception {
        dev.truthline.connect.harness.Folders.deleteRecursively(work.resolve("warehouse"));
        Files.createDirectories(work.resolve("postgres"));
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(work.resolve("postgres/binaries").toFile())
                .setDataDirectory(work.resolve("postgres/data"))
                .setCleanDataDirectory(true)
                .start();
        IcebergCatalog catalog = new IcebergCatalog(pg, work, pluginFolder, slf4jApi(kafkaLibs));
        try {
            catalog.reader("prepare", List.of());
            return catalog;
        } catch (Exception e) {
            catalog.close();
            throw e;
        }
    }

    String uri() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    /** The table a connector writes: one per pass. */
    static String table(String connector) {
        return NAMESPACE + "." + connector.replace('-', '_');
    }

    /** The reference silver connector's Iceberg settings, writing {@code table}, its control topic {@code control}. */
    Map<String, String> connectorSettings(String table, String control, String bootstrapServers, long commitIntervalMs) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "org.apache.iceberg.connect.IcebergSinkConnector");
        c.put("iceberg.tables", table);
        c.put("iceberg.control.topic", control);
        c.put("consumer.override.isolation.level", "read_committed");
        c.put("iceberg.catalog", CATALOG);
        c.put("iceberg.catalog.catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog");
        c.put("iceberg.catalog.uri", uri());
        c.put("iceberg.catalog.jdbc.user", USER);
        c.put("iceberg.catalog.jdbc.password", USER);
        c.put("iceberg.catalog.jdbc.schema-version", "V1");
        c.put("iceberg.catalog.warehouse", warehouse);
        c.put("iceberg.kafka.bootstrap.servers", bootstrapServers);
        c.put("iceberg.control.commit.interval-ms", Long.toString(commitIntervalMs));
        // A commit waits this long for every task's data files, then commits what it has (the rest goes next time).
        c.put("iceberg.control.commit.timeout-ms", Long.toString(Math.max(30_000, commitIntervalMs)));
        c.put("iceberg.tables.auto-create-enabled", "true");
        c.put("iceberg.tables.evolve-schema-enabled", "true");
        c.put("iceberg.tables.schema-force-optional", "true");
        return c;
    }

    /**
     * The rows the table's last commit says it holds ({@code total-records} of its current snapshot's summary); 0
     * before the table or its first snapshot exists.
     */
    long committedRecords(String table) throws SQLException, IOException {
        String[] parts = table.split("\\.", 2);
        try (Connection c = DriverManager.getConnection(uri(), USER, USER);
                PreparedStatement s = c.prepareStatement("SELECT metadata_location FROM iceberg_tables "
                        + "WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?")) {
            s.setString(1, CATALOG);
            s.setString(2, parts[0]);
            s.setString(3, parts[1]);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
                JsonNode metadata = ConnectRest.JSON.readTree(Path.of(URI.create(rs.getString(1))).toFile());
                long current = metadata.path("current-snapshot-id").asLong(-1);
                for (JsonNode snapshot : metadata.path("snapshots")) {
                    if (snapshot.path("snapshot-id").asLong() == current) {
                        return snapshot.path("summary").path("total-records").asLong();
                    }
                }
                return 0;
            }
        }
    }

    /** Scans every row of {@code tables} (in one JVM of its own) and reads their snapshots. */
    Map<String, TableStats> read(List<String> tables) throws Exception {
        Path out = reader("read", tables);
        JsonNode json = ConnectRest.JSON.readTree(out.toFile());
        Map<String, TableStats> stats = new LinkedHashMap<>();
        for (String table : tables) {
            JsonNode t = json.path(table);
            if (t.isMissingNode()) {
                throw new IllegalStateException("the reader did not report " + table + "; see " + out);
            }
            stats.put(table, new TableStats(t.path("rows").asLong(), t.path("distinctOffsets").asLong(),
                    t.path("commits").asLong(), t.path("dataFiles").asLong(), t.path("fileBytes").asLong()));
        }
        return stats;
    }

    /**
     * Runs {@link IcebergTableReader} on the Iceberg plugin folder's jars (Iceberg, Parquet, Hadoop, the PostgreSQL
     * driver: what the sink itself runs on), SLF4J's API from Kafka's libs, and this class's own location.
     */
    private Path reader(String command, List<String> tables) throws Exception {
        Path out = work.resolve("iceberg-" + command + ".json");
        Files.deleteIfExists(out);
        String classPath = String.join(java.io.File.pathSeparator, ForkedJvm.folderClassPath(pluginFolder),
                slf4j.toString(), Path.of(IcebergTableReader.class.getProtectionDomain().getCodeSource().getLocation()
                        .toURI()).toString());
        List<String> args = new ArrayList<>(List.of(command, uri(), USER, warehouse, out.toString()));
        args.addAll(tables);
        Path log = work.resolve("iceberg-reader.log");
        ForkedJvm jvm = ForkedJvm.start("iceberg-reader", classPath, List.of("-Xmx1g"),
                IcebergTableReader.class.getName(), args, Map.of(), log);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(5 + tables.size());
        while (jvm.alive()) {
            if (System.nanoTime() > deadline) {
                jvm.killHard();
                throw new IllegalStateException("the Iceberg reader did not finish in time; see " + log);
            }
            Thread.sleep(100);
        }
        if (jvm.exitValue() != 0 || !Files.exists(out)) {
            throw new IllegalStateException("the Iceberg reader (" + command + ") exited with " + jvm.exitValue()
                    + "; see " + log);
        }
        return out;
    }

    private static Path slf4jApi(Path libs) throws IOException {
        try (Stream<Path> jars = Files.list(libs)) {
            return jars.filter(p -> p.getFileName().toString().startsWith("slf4j-api-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no slf4j-api jar in " + libs));
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
