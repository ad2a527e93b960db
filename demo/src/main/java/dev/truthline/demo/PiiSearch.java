package dev.truthline.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Looks for the clear values the workload planted (customer ids, e-mail addresses) and the token keyset's key
 * material in every store downstream of the source table: every record of every topic — internal ones too
 * (Connect's config, offset and status topics, consumer offsets, transaction state), aborted transactions' records
 * too — in its key, value and headers; every row of every Iceberg table in the catalog, read from its data files;
 * every row of every PostgreSQL table of the demo's databases except the source table itself. A hit names where,
 * and what kind of value, never the value.
 */
final class PiiSearch {

    /** Where a planted value was found, and which kind of value it was ({@code customer_id}, {@code email}, …). */
    record Hit(String store, String where, String kind) {
    }

    /** What was searched and what was found; {@code hits} lists the first {@value #LISTED} of them. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Result(int plantedValues, int topics, long records, int icebergTables, long icebergRows, int postgresTables,
            long postgresRows, long found, List<Hit> hits) {

        boolean clean() {
            return found == 0;
        }

        long rows() {
            return icebergRows + postgresRows;
        }

        void print(PrintWriter out) {
            out.println();
            out.printf("PII search (%,d planted clear values and the keyset's key material)%n", plantedValues);
            out.printf("  %,d topics (internal ones included): %,d records, keys, values and headers%n", topics, records);
            out.printf("  %,d Iceberg tables, from their data files: %,d rows%n", icebergTables, icebergRows);
            out.printf("  %,d PostgreSQL tables (all but the source table): %,d rows%n", postgresTables, postgresRows);
            for (Hit h : hits) {
                out.printf("  FOUND a clear %s in %s %s%n", h.kind(), h.store(), h.where());
            }
            out.printf("  PII found: %,d in %,d records / %,d rows%s%n", found, records, rows(),
                    clean() ? "" : "  -- the run FAILS");
            out.flush();
        }

        void writeJson(Path file) throws IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            TruthReport.json().writeValue(file.toFile(), this);
        }
    }

    static final int LISTED = 20;

    private final PlantedValues needles;
    private final Map<String, String> kinds;
    private final List<Hit> hits = new ArrayList<>();
    private long found;

    /** @param planted each clear value with its kind ({@code customer_id}, {@code email}, {@code keyset}) */
    PiiSearch(Map<String, String> planted) {
        this.needles = new PlantedValues(planted.keySet());
        this.kinds = Map.copyOf(planted);
    }

    /**
     * Searches the pipeline's stores: the broker's topics, the Iceberg catalog's tables, and the given databases'
     * tables but {@code sourceTable} of {@code sourceDb}.
     */
    Result search(String bootstrapServers, org.apache.kafka.clients.admin.Admin admin, IcebergTables iceberg,
            Database database, Collection<String> databases, String sourceDb, String sourceTable) throws Exception {
        Set<String> topics = new TreeSet<>(admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                .get(30, TimeUnit.SECONDS));
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            for (String topic : topics) {
                records += searchTopic(consumer, topic);
            }
        }
        List<String> tables = iceberg.tables();
        long icebergRows = 0;
        for (String table : tables) {
            icebergRows += searchIcebergTable(iceberg, table);
        }
        int postgresTables = 0;
        long postgresRows = 0;
        for (String db : new LinkedHashSet<>(databases)) {
            try (Connection c = database.connect(db)) {
                for (String table : userTables(c)) {
                    if (db.equals(sourceDb) && table.equals(sourceTable)) {
                        continue;
                    }
                    postgresTables++;
                    postgresRows += searchPostgresTable(c, db, table);
                }
            }
        }
        return new Result(needles.size(), topics.size(), records, tables.size(), icebergRows, postgresTables,
                postgresRows, found, List.copyOf(hits));
    }

    /** Every record of the topic, aborted transactions' included; returns how many. */
    private long searchTopic(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            return 0;
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        long records = 0;
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                    continue;
                }
                records++;
                String where = r.topic() + "/" + r.partition() + "/" + r.offset();
                check("topic", where + " key", r.key());
                check("topic", where + " value", r.value());
                for (Header h : r.headers()) {
                    check("topic", where + " header " + h.key(), h.value());
                }
            }
        }
        return records;
    }

    /** Every row of the table's current snapshot, read from its data files; returns how many. */
    private long searchIcebergTable(IcebergTables iceberg, String table) throws IOException {
        long rows = 0;
        try (CloseableIterable<Record> records = IcebergGenerics.read(iceberg.load(table)).build()) {
            for (Record r : records) {
                rows++;
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
                flatten(r, bytes);
                check("Iceberg table", table + " row " + rows, bytes.toByteArray());
            }
        }
        return rows;
    }

    /** Every value of a row, nested ones too, one after another (strings as UTF-8, binaries as they are). */
    static void flatten(Object value, ByteArrayOutputStream out) {
        if (value == null) {
            return;
        }
        if (value instanceof Record r) {
            for (int i = 0; i < r.size(); i++) {
                flatten(r.get(i), out);
            }
        } else if (value instanceof Collection<?> c) {
            c.forEach(v -> flatten(v, out));
        } else if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                flatten(k, out);
                flatten(v, out);
            });
        } else if (value instanceof ByteBuffer b) {
            ByteBuffer copy = b.duplicate();
            byte[] raw = new byte[copy.remaining()];
            copy.get(raw);
            out.writeBytes(raw);
        } else if (value instanceof byte[] raw) {
            out.writeBytes(raw);
        } else {
            out.writeBytes(value.toString().getBytes(StandardCharsets.UTF_8));
        }
        out.write(0);
    }

    private static List<String> userTables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT table_schema, table_name "
                + "FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
                + "AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2")) {
            while (rs.next()) {
                tables.add(rs.getString(1) + "." + rs.getString(2));
            }
        }
        return tables;
    }

    /** Every row of the table as PostgreSQL's text form of the row; returns how many. */
    private long searchPostgresTable(Connection c, String db, String table) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false); // a cursor: rows stream in batches
        long rows = 0;
        try (Statement s = c.createStatement()) {
            s.setFetchSize(1000);
            try (ResultSet rs = s.executeQuery("SELECT t::text FROM " + Database.quoted(table) + " t")) {
                while (rs.next()) {
                    rows++;
                    String row = rs.getString(1);
                    check("PostgreSQL table", db + "." + table + " row " + rows,
                            row == null ? null : row.getBytes(StandardCharsets.UTF_8));
                }
            }
        } finally {
            c.commit();
            c.setAutoCommit(autoCommit);
        }
        return rows;
    }

    private void check(String store, String where, byte[] bytes) {
        String value = needles.find(bytes);
        if (value != null) {
            found++;
            if (hits.size() < LISTED) {
                hits.add(new Hit(store, where, kinds.get(value)));
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Every record written, also those of aborted transactions: a leak there is a leak too.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(64 * 1024 * 1024));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024));
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
