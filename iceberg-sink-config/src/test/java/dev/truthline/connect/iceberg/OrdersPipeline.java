package dev.truthline.connect.iceberg;

import static org.apache.kafka.test.TestUtils.waitForCondition;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.truthline.audit.AuditMain;
import dev.truthline.connect.pipeline.ConnectorJson;
import dev.truthline.connect.pipeline.PipelineCluster;

/**
 * The reference pipeline ({@code connector-configs/orders/}) on a {@link PipelineCluster}, for the tests that run it:
 * its database and topics made, the Iceberg catalog its sinks write (to read the tables back), its connectors started,
 * and the reads the tests share — Iceberg rows, the warehouse's current state, an audit run.
 */
final class OrdersPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OrdersPipeline.class);

    /** The source first, then the sinks. */
    static final List<String> CONNECTORS = List.of("orders-source", "orders-bronze", "orders-silver",
            "orders-quarantine", "orders-warehouse", "orders-holds");

    private final PipelineCluster cluster;
    private final JdbcCatalog catalog;
    /** What the tests fill in themselves: the embedded broker's port is known only once it runs. */
    private final Map<String, String> late;

    private OrdersPipeline(PipelineCluster cluster) {
        this.cluster = cluster;
        this.late = Map.of("TRUTHLINE_KAFKA_BOOTSTRAP", cluster.connect().kafka().bootstrapServers());
        // The catalog's own tables exist before any sink task starts: tasks initializing a fresh JDBC catalog at
        // the same moment race to create them.
        this.catalog = openCatalog();
    }

    /** A cluster with the orders database and topics; no connector yet. */
    static OrdersPipeline start(String name) throws Exception {
        PipelineCluster cluster = PipelineCluster.start(name,
                PipelineCluster.pipelineWorkerProps(PipelineCluster.pluginPath()));
        try {
            cluster.sqlScript(ConnectorJson.ordersDir().resolve("orders.sql"));
            cluster.createTopics(ConnectorJson.ordersDir().resolve("topics.json"));
            return new OrdersPipeline(cluster);
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    PipelineCluster cluster() {
        return cluster;
    }

    JdbcCatalog catalog() {
        return catalog;
    }

    String connectUrl() {
        return cluster.connect().workers().iterator().next().url().toString();
    }

    String bootstrapServers() {
        return late.get("TRUTHLINE_KAFKA_BOOTSTRAP");
    }

    /**
     * Starts the connectors, the source first (until Debezium streams), each config changed by {@code changes}
     * (connector name → keys to set), and waits until every one runs.
     */
    void startConnectors(Map<String, Map<String, String>> changes) throws Exception {
        for (String connector : CONNECTORS) {
            ConnectorJson config = ConnectorJson.orders(connector + ".json");
            Map<String, String> values = new HashMap<>(config.config());
            values.putAll(changes.getOrDefault(connector, Map.of()));
            cluster.putConnector(config.name(), resolveLate(values));
            if (connector.equals(CONNECTORS.get(0))) {
                cluster.awaitRunning(connector, 1);
                waitForCondition(this::slotActive, PipelineCluster.TIMEOUT_MS, "Debezium did not start streaming");
            }
        }
        for (String connector : CONNECTORS.subList(1, CONNECTORS.size())) {
            cluster.awaitRunning(connector, 1);
        }
    }

    /** The config with the values only the running test knows filled in. */
    Map<String, String> resolveLate(Map<String, String> config) {
        Map<String, String> resolved = new HashMap<>();
        config.forEach((k, v) -> resolved.put(k, v.contains("${env:TRUTHLINE_KAFKA_BOOTSTRAP}")
                ? ConnectorJson.resolve(v, late) : v));
        return resolved;
    }

    /** An audit run: its exit code, its JSON report (null when it could not judge) and its error output. */
    record AuditRun(int exit, JsonNode report, String err) {
    }

    /** {@code truthline audit} with {@code args} ({@code name=value} settings), in this JVM. */
    static AuditRun audit(List<String> args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = AuditMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        log.info("audit exit {}: {}{}", exit, out, err);
        return new AuditRun(exit, exit == 2 ? null : ConnectorJson.JSON.readTree(out.toString()), err.toString());
    }

    /** Waits until an Iceberg table exists and holds at least {@code count} rows; returns its rows. */
    List<Record> awaitRows(String table, int count) throws InterruptedException {
        List<List<Record>> last = new ArrayList<>(List.of(List.of()));
        waitForCondition(() -> {
            List<Record> rows = rows(table);
            last.set(0, rows);
            return rows.size() >= count;
        }, PipelineCluster.TIMEOUT_MS, () -> table + " holds " + last.get(0).size() + " rows, expected " + count);
        return last.get(0);
    }

    /** The rows of an Iceberg table's current snapshot (none when the table does not exist yet). */
    List<Record> rows(String table) {
        TableIdentifier id = TableIdentifier.parse(table);
        List<Record> rows = new ArrayList<>();
        if (!catalog.tableExists(id)) {
            return rows;
        }
        Table t = catalog.loadTable(id);
        try (CloseableIterable<Record> records = IcebergGenerics.read(t).build()) {
            records.forEach(rows::add);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return rows;
    }

    /**
     * Waits until {@code connector}'s task has fetched every record of {@code topic}: its consumer reports a
     * {@code records-lag} of 0 on every partition (the worker's JMX). Committed offsets cannot tell: the Iceberg sink
     * commits only past what it wrote.
     */
    void awaitRead(String connector, String topic) throws Exception {
        int partitions;
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", bootstrapServers()))) {
            partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        }
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName pattern = new javax.management.ObjectName("kafka.consumer:type="
                + "consumer-fetch-manager-metrics,client-id=connector-consumer-" + connector + "-0,topic=" + topic
                + ",partition=*");
        waitForCondition(() -> {
            var beans = server.queryNames(pattern, null);
            if (beans.size() < partitions) {
                return false;
            }
            for (javax.management.ObjectName bean : beans) {
                if (((Number) server.getAttribute(bean, "records-lag")).doubleValue() != 0.0) {
                    return false;
                }
            }
            return true;
        }, PipelineCluster.TIMEOUT_MS, connector + " has not read " + topic + " to its end");
    }

    /**
     * A counter of {@code connector}'s Deduplicate (transform alias {@code dedupe}, task 0) from the worker's JMX:
     * {@code duplicates-total}, {@code stale-total}, …; 0 before the task registered it.
     */
    double dedupeMetric(String connector, String name) throws Exception {
        javax.management.ObjectName bean = new javax.management.ObjectName("kafka.connect:type=plugins,connector="
                + connector + ",task=0,transformation=dedupe");
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        return server.isRegistered(bean) ? ((Number) server.getAttribute(bean, name)).doubleValue() : 0;
    }

    /** The warehouse's current state: order_id → status. */
    Map<Long, String> warehouse() throws Exception {
        Map<Long, String> rows = new TreeMap<>();
        try (Connection c = cluster.sqlConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT order_id, status FROM orders_current")) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getString(2));
            }
        }
        return rows;
    }

    String warehouseOrError() {
        try {
            return warehouse().toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private boolean slotActive() throws Exception {
        try (Connection c = cluster.sqlConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = 'truthline_orders'")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static JdbcCatalog openCatalog() {
        Map<String, String> env = PipelineCluster.env();
        Map<String, String> props = new HashMap<>();
        props.put("uri", env.get("TRUTHLINE_ICEBERG_CATALOG_URI"));
        props.put("jdbc.user", env.get("TRUTHLINE_ICEBERG_CATALOG_USER"));
        props.put("jdbc.password", env.get("TRUTHLINE_ICEBERG_CATALOG_PASSWORD"));
        props.put("jdbc.schema-version", "V1");
        props.put("warehouse", env.get("TRUTHLINE_ICEBERG_WAREHOUSE"));
        JdbcCatalog jdbc = new JdbcCatalog();
        jdbc.setConf(new org.apache.hadoop.conf.Configuration());
        jdbc.initialize("iceberg", props);
        return jdbc;
    }

    @Override
    public void close() throws Exception {
        try {
            catalog.close();
        } finally {
            cluster.close();
        }
    }
}
