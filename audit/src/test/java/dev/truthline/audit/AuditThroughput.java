package dev.truthline.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.truthline.connect.harness.DebeziumEnvelopes;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A measurement, not part of {@code verify} (its name does not end in Test): the audit's speed and memory on a
 * synthetic topic of N change events (default 1,000,000) with matching Iceberg landing rows.
 *
 * <pre>./mvnw -B -pl audit -am install -DskipTests
 * ./mvnw -B -pl audit test -Dtest=AuditThroughput -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtruthline.audit.events=10000000 -Dtruthline.audit.heap=256m -Dtruthline.audit.memory=1GB</pre>
 *
 * <p>What is real: a KRaft broker (in this JVM), the reference pipeline's connector files
 * ({@code connector-configs/orders}) from which the audit discovers everything, an Iceberg JDBC catalog on PostgreSQL,
 * Parquet data files committed as Iceberg snapshots, and the audit itself ({@code AuditMain}, in a JVM of its own
 * with {@code -Xmx} {@code truthline.audit.heap}). What is synthetic: the events are written by this class, not by
 * Debezium — the Debezium PostgreSQL envelope of {@code DebeziumEnvelopes} (row {@code id}, {@code status}) through
 * the JSON converter with schemas, as the reference source writes; the landing rows are written by DuckDB, not by the
 * Iceberg sink, and hold the columns the audit reads (the Kafka position) and a few more; the dead letters carry
 * Connect's context headers as a sink's DLQ does. Per partition of the 6-partition change topic, of every 100 offsets
 * 94 land, 3 are dead-lettered and 3 are duplicates (the same change as the event 10 offsets earlier, which landed);
 * one quarantined event per 100 change events goes to the 3-partition quarantine topic and table.
 *
 * <p>Printed: wall time of the audit JVM, events per second, its peak heap (its own JSON report) and peak resident
 * memory (JVM and DuckDB, from {@code /proc}), the largest the spill directory grew, and the load average.
 */
class AuditThroughput {

    private static final String CHANGES = "orders.events.v1";
    private static final String QUARANTINE = "orders.events.v1.quarantine";
    private static final int PARTITIONS = 6;
    private static final int QUARANTINE_PARTITIONS = 3;
    /** Landing data files per partition (each round of files is one snapshot). */
    private static final int ROUNDS = 10;

    @Test
    void auditASyntheticTopic() throws Exception {
        long events = Long.getLong("truthline.audit.events", 1_000_000L);
        String heap = System.getProperty("truthline.audit.heap", "256m");
        String memory = System.getProperty("truthline.audit.memory", "512MB");
        Path orders = Path.of(System.getProperty("truthline.orders.dir"));
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "audit-throughput");
        deleteRecursively(dir);
        Files.createDirectories(dir);

        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setOverrideWorkingDirectory(dir.resolve("pg").toFile())
                .setDataDirectory(dir.resolve("pg-data")).setCleanDataDirectory(true).start()) {
            Properties brokerProps = new Properties();
            brokerProps.put("log.segment.bytes", String.valueOf(512 * 1024 * 1024));
            EmbeddedKafkaCluster kafka = new EmbeddedKafkaCluster(1, brokerProps);
            kafka.start();
            try {
                Map<String, String> topicConfig = Map.of("compression.type", "zstd");
                kafka.createTopic(CHANGES, PARTITIONS, 1, topicConfig);
                kafka.createTopic(QUARANTINE, QUARANTINE_PARTITIONS, 1, topicConfig);
                kafka.createTopic("orders.silver.dlq", 1, 1, topicConfig);
                kafka.createTopic("orders.quarantine.dlq", 1, 1, topicConfig);
                long fillStart = System.nanoTime();
                long[] produced = produce(kafka.bootstrapServers(), events);
                long fillMs = (System.nanoTime() - fillStart) / 1_000_000;
                Map<String, String> catalog = catalog(pg, dir);
                long perPartition = (events + PARTITIONS - 1) / PARTITIONS;
                land(catalog, dir, perPartition, events);
                System.out.printf("filled: %,d change events (%,d bytes on the wire on average), %,d quarantined, "
                        + "%,d dead letters in %,d ms%n", events, produced[0] / events, produced[1], produced[2], fillMs);

                Path env = dir.resolve("pipeline.env");
                Files.writeString(env, envFile(catalog, kafka.bootstrapServers()));
                Path json = dir.resolve("audit.json");
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
                String jvmArgs = System.getProperty("truthline.audit.jvmArgs", "");
                if (!jvmArgs.isBlank()) {
                    command.addAll(List.of(jvmArgs.strip().split("\\s+")));
                }
                command.addAll(List.of(AuditMain.class.getName(),
                        "connectors=" + orders, "envFile=" + env, "format=json", "jsonOutput=" + json,
                        "memoryLimit=" + memory, "workDir=" + dir.resolve("work")));
                String load = Files.readString(Path.of("/proc/loadavg")).strip();
                long start = System.nanoTime();
                Process audit = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("audit.out").toFile()).start();
                long peakRss = 0;
                long peakSpill = 0;
                while (audit.isAlive()) {
                    peakRss = Math.max(peakRss, rssHighWater(audit.pid()));
                    peakSpill = Math.max(peakSpill, size(dir.resolve("work")));
                    Thread.sleep(500);
                }
                long wallMs = (System.nanoTime() - start) / 1_000_000;
                String loadAfter = Files.readString(Path.of("/proc/loadavg")).strip();
                assertThat(audit.exitValue()).as(Files.readString(dir.resolve("audit.out"))).isZero();

                JsonNode report = new ObjectMapper().readTree(json.toFile());
                JsonNode fates = report.get("fates");
                long landed = expectedLanded(events);
                assertThat(fates.get("landed").asLong()).isEqualTo(landed);
                assertThat(fates.get("dead_lettered").asLong()).isEqualTo(produced[2]);
                assertThat(fates.get("quarantined").asLong()).isEqualTo(produced[1]);
                assertThat(fates.get("duplicate").asLong()).isEqualTo(events - landed - produced[2]);
                assertThat(fates.get("unexplained").asLong()).isZero();
                long captured = events + produced[1];
                System.out.printf("audit of %,d captured events: %,d ms wall (%,.0f events/s), peak heap %,d MB "
                        + "(-Xmx%s), peak RSS %,d MB, DuckDB limit %s, spill directory at most %,d MB; load average "
                        + "before %s, after %s%n", captured, wallMs, captured * 1000.0 / wallMs,
                        report.get("peak_heap_bytes").asLong() >> 20, heap, peakRss >> 10, memory, peakSpill >> 20,
                        load, loadAfter);
                System.out.println("audit report: " + report.get("millis") + " ms inside the audit; " + json);
            } finally {
                kafka.stop();
            }
        }
    }

    /** Offsets 0..93 of every 100 land. */
    private static long expectedLanded(long events) {
        long landed = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            long n = count(events, p);
            landed += n / 100 * 94 + Math.min(n % 100, 94);
        }
        return landed;
    }

    /** Events of partition p when event i goes to partition i % PARTITIONS. */
    private static long count(long events, int p) {
        return events / PARTITIONS + (p < events % PARTITIONS ? 1 : 0);
    }

    /** The fate of the event at {@code offset} of a change-topic partition: 0 lands, 1 dead letter, 2 duplicate. */
    private static int kind(long offset) {
        int r = (int) (offset % 100);
        return r < 94 ? 0 : r < 97 ? 1 : 2;
    }

    /** @return {bytes of change events, quarantined events, dead letters} */
    private static long[] produce(String bootstrap, long events) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.LINGER_MS_CONFIG, "50");
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, "524288");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L << 20));
        JsonConverter keys = converter(true);
        JsonConverter values = converter(false);
        long bytes = 0;
        long quarantined = 0;
        long dead = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (long i = 0; i < events; i++) {
                int p = (int) (i % PARTITIONS);
                long offset = i / PARTITIONS;
                int kind = kind(offset);
                // A duplicate repeats the change 10 offsets earlier in its partition (which landed): same identity.
                long change = kind == 2 ? i - 10L * PARTITIONS : i;
                DebeziumEnvelopes.Change c = DebeziumEnvelopes.change(change % 7 == 0 ? "c" : "u", change / 3)
                        .lsn(1_000 + change * 8).sequence("[\"" + (992 + change * 8) + "\",\"" + (1_000 + change * 8)
                                + "\"]").txId(change).tsMs(1_700_000_000_000L + change).status("PAID");
                byte[] key = keys.fromConnectData(CHANGES, DebeziumEnvelopes.KEY, c.key());
                byte[] value = values.fromConnectData(CHANGES, DebeziumEnvelopes.ENVELOPE, c.struct());
                bytes += value.length;
                producer.send(new ProducerRecord<>(CHANGES, p, key, value));
                if (kind == 1) {
                    RecordHeaders h = new RecordHeaders();
                    h.add("__connect.errors.topic", CHANGES.getBytes(UTF_8));
                    h.add("__connect.errors.partition", String.valueOf(p).getBytes(UTF_8));
                    h.add("__connect.errors.offset", String.valueOf(offset).getBytes(UTF_8));
                    h.add("__connect.errors.exception.message", ("rule currency_iso failed (topic " + CHANGES
                            + ", partition " + p + ", offset " + offset + ")").getBytes(UTF_8));
                    producer.send(new ProducerRecord<>("orders.silver.dlq", 0, null, key, value, h));
                    dead++;
                }
                if (i % 100 == 0) {
                    RecordHeaders h = new RecordHeaders();
                    h.add("dq.rules", "amount_required".getBytes(UTF_8));
                    producer.send(new ProducerRecord<>(QUARANTINE, (int) (quarantined % QUARANTINE_PARTITIONS), null,
                            key, value, h));
                    quarantined++;
                }
            }
            producer.flush();
        }
        return new long[] {bytes, quarantined, dead};
    }

    private static JsonConverter converter(boolean isKey) {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", "true"), isKey);
        return c;
    }

    private static Map<String, String> catalog(EmbeddedPostgres pg, Path dir) {
        Map<String, String> props = new HashMap<>();
        props.put("uri", pg.getJdbcUrl("postgres", "postgres"));
        props.put("jdbc.user", "postgres");
        props.put("jdbc.password", "postgres");
        props.put("jdbc.schema-version", "V1");
        props.put("warehouse", dir.resolve("warehouse").toUri().toString());
        return props;
    }

    private static String envFile(Map<String, String> catalog, String bootstrap) {
        Map<String, String> env = new HashMap<>();
        for (String name : List.of("TRUTHLINE_ICEBERG_COMMIT_INTERVAL_MS", "TRUTHLINE_ICEBERG_COMMIT_TIMEOUT_MS",
                "TRUTHLINE_MIN_ISR", "TRUTHLINE_ORDERS_TOKEN_KEYSET", "TRUTHLINE_PG_DB", "TRUTHLINE_PG_HOST",
                "TRUTHLINE_PG_PASSWORD", "TRUTHLINE_PG_PORT", "TRUTHLINE_PG_USER", "TRUTHLINE_REPLICATION_FACTOR",
                "TRUTHLINE_TASKS", "TRUTHLINE_WAREHOUSE_JDBC_URL", "TRUTHLINE_WAREHOUSE_PASSWORD",
                "TRUTHLINE_WAREHOUSE_USER")) {
            env.put(name, "1");
        }
        env.put("TRUTHLINE_ICEBERG_CATALOG_URI", catalog.get("uri"));
        env.put("TRUTHLINE_ICEBERG_CATALOG_USER", catalog.get("jdbc.user"));
        env.put("TRUTHLINE_ICEBERG_CATALOG_PASSWORD", catalog.get("jdbc.password"));
        env.put("TRUTHLINE_ICEBERG_WAREHOUSE", catalog.get("warehouse"));
        env.put("TRUTHLINE_KAFKA_BOOTSTRAP", bootstrap);
        StringBuilder text = new StringBuilder();
        env.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return text.toString();
    }

    /**
     * The landing table's rows (DuckDB writes each file), {@code ROUNDS} snapshots of one file per partition, and
     * the quarantine table's: one file per partition, one snapshot.
     */
    private static void land(Map<String, String> props, Path dir, long perPartition, long events)
            throws IOException, SQLException {
        Schema schema = new Schema(
                Types.NestedField.optional(1, "id", Types.LongType.get()),
                Types.NestedField.optional(2, "status", Types.StringType.get()),
                Types.NestedField.optional(3, "__source_lsn", Types.LongType.get()),
                Types.NestedField.optional(4, "__op", Types.StringType.get()),
                Types.NestedField.optional(5, IcebergSinkRows.TOPIC_COLUMN, Types.StringType.get()),
                Types.NestedField.optional(6, IcebergSinkRows.PARTITION_COLUMN, Types.IntegerType.get()),
                Types.NestedField.optional(7, IcebergSinkRows.OFFSET_COLUMN, Types.LongType.get()));
        Path files = dir.resolve("warehouse-files");
        Files.createDirectories(files);
        try (JdbcCatalog catalog = new JdbcCatalog();
                Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            catalog.setConf(new org.apache.hadoop.conf.Configuration());
            catalog.initialize("iceberg", props);
            catalog.createNamespace(Namespace.of("silver"));
            catalog.createNamespace(Namespace.of("quarantine"));
            Table silver = catalog.createTable(TableIdentifier.of("silver", "orders"), schema);
            Table quarantine = catalog.createTable(TableIdentifier.of("quarantine", "orders"), schema);
            long step = (perPartition + ROUNDS - 1) / ROUNDS;
            for (int round = 0; round < ROUNDS; round++) {
                AppendFiles append = silver.newAppend();
                for (int p = 0; p < PARTITIONS; p++) {
                    long from = round * step;
                    long until = Math.min(count(events, p), from + step);
                    if (from >= until) {
                        continue;
                    }
                    Path file = files.resolve("silver-" + p + "-" + round + ".parquet");
                    long rows = write(duck, file, CHANGES, p, from, until, "o % 100 < 94");
                    append.appendFile(dataFile(file, rows));
                }
                append.commit();
            }
            AppendFiles append = quarantine.newAppend();
            long quarantined = (events + 99) / 100;
            for (int p = 0; p < QUARANTINE_PARTITIONS; p++) {
                long n = quarantined / QUARANTINE_PARTITIONS + (p < quarantined % QUARANTINE_PARTITIONS ? 1 : 0);
                Path file = files.resolve("quarantine-" + p + ".parquet");
                append.appendFile(dataFile(file, write(duck, file, QUARANTINE, p, 0, n, "true")));
            }
            append.commit();
        }
    }

    private static long write(Connection duck, Path file, String topic, int partition, long from, long until,
            String where) throws SQLException {
        try (Statement s = duck.createStatement()) {
            s.execute("COPY (SELECT o AS id, 'PAID' AS status, 1000 + o * 8 AS __source_lsn, 'u' AS __op, '"
                    + topic + "' AS " + IcebergSinkRows.TOPIC_COLUMN + ", " + partition + "::INTEGER AS "
                    + IcebergSinkRows.PARTITION_COLUMN + ", o AS " + IcebergSinkRows.OFFSET_COLUMN + " FROM range("
                    + from + ", " + until + ") t(o) WHERE " + where + ") TO '" + file + "' (FORMAT parquet)");
            try (java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + file + "')")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static org.apache.iceberg.DataFile dataFile(Path file, long rows) throws IOException {
        return DataFiles.builder(PartitionSpec.unpartitioned()).withPath(file.toString()).withFormat(FileFormat.PARQUET)
                .withFileSizeInBytes(Files.size(file)).withRecordCount(rows).build();
    }

    /** The process's peak resident set ({@code VmHWM}), in kB; 0 once it is gone. */
    private static long rssHighWater(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
        return 0;
    }

    private static long size(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException gone) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException gone) {
            return 0;
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
