package dev.truthline.connect.iceberg;

import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.truthline.connect.pipeline.ConnectorJson;
import dev.truthline.connect.pipeline.PipelineCluster;

/**
 * The reference pipeline, {@code connector-configs/orders/}, on a real Connect worker whose {@code plugin.path} holds
 * the four plugin folders the demo uses (Truthline, Debezium PostgreSQL, Debezium JDBC sink, the Iceberg sink folder
 * of iceberg-plugin/), with the worker settings of the orders README: every connector config passes its connector's
 * own validation and the Truthline transforms' {@code configure()}, and a handful of changes in PostgreSQL end where
 * they must — bronze (every change, raw, with Kafka metadata and the dq verdict as columns, partitioned by day),
 * silver (valid changes once, flattened), quarantine table, the warehouse table (current state) and the dead-letter
 * queues — read back from the Iceberg tables (JDBC catalog on PostgreSQL, file warehouse) and from PostgreSQL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrdersPipelineIT {

    private static final Logger log = LoggerFactory.getLogger(OrdersPipelineIT.class);
    private static final List<String> CONNECTORS = OrdersPipeline.CONNECTORS;

    private static OrdersPipeline pipeline;
    private static PipelineCluster cluster;
    private static JdbcCatalog catalog;

    @BeforeAll
    static void start() throws Exception {
        pipeline = OrdersPipeline.start("pipeline-it");
        cluster = pipeline.cluster();
        catalog = pipeline.catalog();
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(1)
    void everyBaseIcebergConfigPassesTheWorkersValidation() throws Exception {
        for (String file : List.of(IcebergConfigs.BRONZE, IcebergConfigs.SILVER, IcebergConfigs.QUARANTINE)) {
            ConnectorJson config = IcebergConfigs.withPipelineKeys(file, "check");
            assertThat(cluster.validate(pipeline.resolveLate(config.config()))).as(file).isEmpty();
        }
    }

    @Test
    @Order(2)
    void everyOrdersConnectorPassesTheWorkersValidation() throws Exception {
        for (String connector : CONNECTORS) {
            ConnectorJson orders = ConnectorJson.orders(connector + ".json");
            assertThat(cluster.validate(pipeline.resolveLate(orders.with(Map.of("name", orders.name())).config())))
                    .as(connector).isEmpty();
        }
    }

    @Test
    @Order(3)
    void changesInPostgresEndInBronzeSilverQuarantineTheWarehouseAndTheDeadLetterQueues() throws Exception {
        pipeline.startConnectors(Map.of());

        cluster.sql(
                "INSERT INTO public.orders (order_id, customer_id, amount, currency, status) VALUES "
                        + "(1, 'C000001', 10.50, 'EUR', 'NEW'), (2, 'C000002', 20.00, 'USD', 'NEW'), "
                        + "(5, 'C000005', 7.25, 'GBP', 'NEW')",
                // Breaks the shape contract (no customer): quarantined at the source.
                "INSERT INTO public.orders (order_id, customer_id, amount, currency, status) VALUES (3, NULL, 5.00, 'EUR', 'NEW')",
                // Passes the shape contract, breaks the business rules (not an ISO 4217 code): dead-lettered by the sinks.
                "INSERT INTO public.orders (order_id, customer_id, amount, currency, status) VALUES (4, 'C000004', 1.00, 'EURO', 'NEW')",
                "UPDATE public.orders SET status = 'PAID', updated_at = now() WHERE order_id = 2",
                "DELETE FROM public.orders WHERE order_id = 5");

        // Bronze: every change that passed the shape contract, raw (c 1, c 2, c 5, c 4, u 2, d 5); tombstones are not rows.
        List<Record> bronze = pipeline.awaitRows("bronze.orders", 6);
        assertThat(bronze).extracting(r -> r.getField("op") + " " + ((Record) (r.getField("after") != null
                ? r.getField("after") : r.getField("before"))).getField("order_id"))
                .containsExactlyInAnyOrder("c 1", "c 2", "c 5", "c 4", "u 2", "d 5");
        assertThat(bronze).allSatisfy(r -> {
            assertThat(r.getField("dq_status")).isEqualTo("valid");
            assertThat(r.getField("dq_contract")).isEqualTo("orders-shape@1");
            assertThat(r.getField("_kafka_metadata_topic")).isEqualTo("orders.events.v1");
            assertThat(r.getField("_kafka_metadata_offset")).isNotNull();
            assertThat(r.getField("ts_ms")).isInstanceOf(OffsetDateTime.class);
        });
        Table bronzeTable = catalog.loadTable(TableIdentifier.parse("bronze.orders"));
        PartitionSpec spec = bronzeTable.spec();
        assertThat(spec.fields()).hasSize(1);
        assertThat(spec.fields().get(0).transform().toString()).isEqualTo("day");
        assertThat(bronzeTable.schema().findColumnName(spec.fields().get(0).sourceId())).isEqualTo("ts_ms");

        // Quarantine: the row without a customer, with the verdict as columns.
        List<Record> quarantine = pipeline.awaitRows("quarantine.orders", 1);
        assertThat(quarantine).hasSize(1);
        Record bad = quarantine.get(0);
        assertThat(((Record) bad.getField("after")).getField("order_id")).isEqualTo(3L);
        assertThat(bad.getField("dq_status")).isEqualTo("invalid");
        assertThat(bad.getField("dq_rules")).isEqualTo("customer_required");
        assertThat((String) bad.getField("dq_violations")).contains("\"rule\":\"customer_required\"");
        assertThat(bad.getField("_kafka_metadata_topic")).isEqualTo("orders.events.v1.quarantine");

        // Silver: the valid changes, flattened, once each; the delete as a row with __deleted.
        List<Record> silver = pipeline.awaitRows("silver.orders", 4);
        Map<String, Record> byChange = new TreeMap<>();
        silver.forEach(r -> byChange.put(r.getField("__op") + " " + r.getField("order_id"), r));
        assertThat(byChange).containsOnlyKeys("c 1", "c 2", "u 2", "d 5", "c 5");
        assertThat(silver).hasSize(5);
        assertThat(byChange.get("u 2").getField("status")).isEqualTo("PAID");
        assertThat((BigDecimal) byChange.get("c 1").getField("amount")).isEqualByComparingTo("10.50");
        assertThat(byChange.get("d 5").getField("__deleted")).isEqualTo("true");
        assertThat(byChange.get("c 1").getField("dq_contract")).isEqualTo("orders@2");
        // customer_id was protected at the source (a token); equal customers share one token.
        assertThat(silver).allSatisfy(r -> assertThat((String) r.getField("customer_id")).matches("A[Q-Za-f][A-Za-z0-9_-]{28,}"));
        assertThat(byChange.get("u 2").getField("customer_id")).isEqualTo(byChange.get("c 2").getField("customer_id"));
        assertThat(byChange.get("c 1").getField("__source_lsn")).isNotNull();
        // Provenance: every silver row names its Kafka position, its source position and identity, and its verdict.
        assertThat(silver).allSatisfy(r -> {
            assertThat(r.getField("_kafka_metadata_topic")).isEqualTo("orders.events.v1");
            assertThat(r.getField("_kafka_metadata_partition")).isNotNull();
            assertThat(r.getField("_kafka_metadata_offset")).isNotNull();
            assertThat(r.getField("__source_lsn")).isNotNull();
            assertThat(r.getField("__source_sequence")).isNotNull();
            assertThat(r.getField("__source_table")).isEqualTo("orders");
            assertThat(r.getField("__source_schema")).isEqualTo("public");
            assertThat(r.getField("dq_status")).isEqualTo("valid");
            assertThat(r.getField("dq_contract")).isEqualTo("orders@2");
        });
        // The same change lands in bronze and silver at the same Kafka position.
        Map<String, Object> bronzeOffsets = new HashMap<>();
        bronze.forEach(r -> bronzeOffsets.put(r.getField("_kafka_metadata_partition") + "/"
                + r.getField("_kafka_metadata_offset"), r.getField("op")));
        assertThat(silver).allSatisfy(r -> assertThat(bronzeOffsets.get(r.getField("_kafka_metadata_partition") + "/"
                + r.getField("_kafka_metadata_offset"))).isEqualTo(r.getField("__op")));

        // The silver and warehouse dead-letter queues: the order with currency EURO, with Connect's context headers.
        for (String dlq : List.of("orders.silver.dlq", "orders.events.dlq")) {
            List<ConsumerRecord<byte[], byte[]>> dead = cluster.awaitRecords(dlq, 1);
            assertThat(dead).as(dlq).hasSize(1);
            assertThat(OrdersPipeline.header(dead.get(0), "__connect.errors.topic")).isEqualTo("orders.events.v1");
            assertThat(OrdersPipeline.header(dead.get(0), "__connect.errors.exception.message")).contains("currency_iso");
            assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).contains("\"order_id\":4");
        }

        // The warehouse: current state by order_id — 1 and 2 (paid); 5 deleted; 3 quarantined; 4 dead-lettered.
        waitForCondition(() -> pipeline.warehouse().equals(Map.of(1L, "NEW", 2L, "PAID")), PipelineCluster.TIMEOUT_MS,
                () -> "warehouse holds " + pipeline.warehouseOrError());
        // Provenance in the warehouse: each current row names the change that wrote it (source position, op, Kafka
        // position, verdict), and it is the last change of its order in silver.
        Map<Long, Record> lastInSilver = new HashMap<>();
        silver.forEach(r -> lastInSilver.merge((Long) r.getField("order_id"), r,
                (x, y) -> (Long) x.getField("__source_lsn") > (Long) y.getField("__source_lsn") ? x : y));
        try (Connection c = cluster.sqlConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT order_id, __op, __source_lsn, _kafka_metadata_topic, "
                        + "_kafka_metadata_partition, _kafka_metadata_offset, dq_status, dq_contract FROM orders_current")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                Record last = lastInSilver.get(rs.getLong("order_id"));
                assertThat(rs.getString("__op")).isEqualTo(last.getField("__op"));
                assertThat(rs.getLong("__source_lsn")).isEqualTo(last.getField("__source_lsn"));
                assertThat(rs.getString("_kafka_metadata_topic")).isEqualTo("orders.events.v1");
                assertThat(rs.getInt("_kafka_metadata_partition")).isEqualTo(last.getField("_kafka_metadata_partition"));
                assertThat(rs.getLong("_kafka_metadata_offset")).isEqualTo(last.getField("_kafka_metadata_offset"));
                assertThat(rs.getString("dq_status")).isEqualTo("valid");
                assertThat(rs.getString("dq_contract")).isEqualTo("orders@2");
            }
            assertThat(rows).isEqualTo(2);
        }
        assertThat(cluster.committedRecords("orders.bronze.dlq")).isEmpty();
        assertThat(cluster.committedRecords("orders.quarantine.dlq")).isEmpty();
        log.info("bronze {} rows, silver {}, quarantine {}; snapshots of silver: {}", bronze.size(), silver.size(),
                quarantine.size(), catalog.loadTable(TableIdentifier.parse("silver.orders")).snapshots());
    }

    /**
     * {@code truthline audit} on the pipeline as it runs, discovered through Connect's REST API: every captured event
     * has its fate (5 changes landed in silver, the shape-breaking insert quarantined, the EURO order dead-lettered by
     * silver). Then a lie: a silver data file removed by a commit — exactly the events whose rows it held become
     * unexplained, named by their Kafka positions, and the exit code says so.
     */
    @Test
    @Order(4)
    void theAuditExplainsEveryCapturedEventAndNamesTheEventsOfARemovedDataFile() throws Exception {
        String connectUrl = cluster.connect().workers().iterator().next().url().toString();
        List<String> args = List.of("connectUrl=" + connectUrl, "format=json", "memoryLimit=128MB",
                "workDir=" + PipelineCluster.tmp().resolve("audit"));
        OrdersPipeline.AuditRun clean = OrdersPipeline.audit(args);
        assertThat(clean.exit()).as(clean.err()).isZero();
        JsonNode report = clean.report();
        assertThat(report.path("captured").asLong()).isEqualTo(7);
        assertThat(report.path("fates").path("landed").asLong()).isEqualTo(5);
        assertThat(report.path("fates").path("quarantined").asLong()).isEqualTo(1);
        assertThat(report.path("fates").path("dead_lettered").asLong()).isEqualTo(1);
        assertThat(report.path("fates").path("duplicate").asLong()).isZero();
        assertThat(report.path("fates").path("unexplained").asLong()).isZero();
        assertThat(report.path("quarantined_per_rule").path("customer_required").asLong()).isEqualTo(1);
        assertThat(report.path("dead_lettered_per_reason").fieldNames().next())
                .startsWith("orders-silver: ").contains("currency_iso").doesNotContain("offset");
        assertThat(report.path("extra_rows").asLong()).isZero();

        Table silver = catalog.loadTable(TableIdentifier.parse("silver.orders"));
        Set<String> before = positions(silver);
        org.apache.iceberg.DataFile removed;
        try (CloseableIterable<org.apache.iceberg.FileScanTask> tasks = silver.newScan().planFiles()) {
            removed = tasks.iterator().next().file();
        }
        silver.newDelete().deleteFile(removed).commit();
        Set<String> lost = new TreeSet<>(before);
        lost.removeAll(positions(catalog.loadTable(TableIdentifier.parse("silver.orders"))));
        assertThat(lost).hasSize((int) removed.recordCount());

        OrdersPipeline.AuditRun lie = OrdersPipeline.audit(args);
        assertThat(lie.exit()).as(lie.err()).isEqualTo(1);
        Set<String> unexplained = new TreeSet<>();
        lie.report().path("unexplained").forEach(u -> unexplained.add(u.path("topic").asText() + "/"
                + u.path("partition").asInt() + "/" + u.path("offset").asLong()));
        assertThat(unexplained).isEqualTo(lost);
        assertThat(lie.report().path("fates").path("landed").asLong()).isEqualTo(5 - lost.size());
    }

    /**
     * The audit catches a sink that silently drops records: a second silver connector on its own table, the same
     * config with a stock {@code Filter} in front whose stock {@code HasHeaderKey} predicate matches the records a
     * check tagged (every change of an order above 15.00: the insert and the update of order 2). The Filter drops
     * them without an error or a dead letter; the audit of that connector names exactly those events, by their Kafka
     * positions, as unexplained, and writes the same verdict into its HTML page.
     */
    @Test
    @Order(5)
    void theAuditNamesTheEventsAStockFilterDroppedBeforeTheSink() throws Exception {
        String topic = "orders.events.v1";
        Set<String> dropped = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> r : cluster.committedRecords(topic)) {
            if (r.value() != null && ConnectorJson.JSON.readTree(r.key()).path("payload").path("order_id").asLong() == 2) {
                dropped.add(r.topic() + "/" + r.partition() + "/" + r.offset());
            }
        }
        assertThat(dropped).as("the insert and the update of order 2").hasSize(2);

        ConnectorJson silver = ConnectorJson.orders("orders-silver.json");
        Map<String, String> filtered = new HashMap<>(silver.config());
        filtered.putAll(Map.of(
                "iceberg.tables", "silver.orders_filtered",
                "errors.deadletterqueue.topic.name", "orders.silver-filtered.dlq",
                "transforms.contract.dead.letter.topic", "orders.silver-filtered.dlq",
                "transforms", "big,drop," + silver.config().get("transforms"),
                "transforms.big.type", "dev.truthline.connect.validation.ValidateContract$Value",
                "transforms.big.envelope", "debezium",
                "transforms.big.on.failure", "tag",
                "transforms.big.headers.prefix", "big.",
                "transforms.big.rules", "small_amount",
                "transforms.big.rules.small_amount.type", "range"));
        filtered.putAll(Map.of(
                "transforms.big.rules.small_amount.field", "amount",
                "transforms.big.rules.small_amount.min", "0.00",
                "transforms.big.rules.small_amount.max", "15.00",
                "transforms.drop.type", "org.apache.kafka.connect.transforms.Filter",
                "transforms.drop.predicate", "tagged",
                "predicates", "tagged",
                "predicates.tagged.type", "org.apache.kafka.connect.transforms.predicates.HasHeaderKey",
                "predicates.tagged.name", "big.rules"));
        String connector = "orders-silver-filtered";
        cluster.putConnector(connector, pipeline.resolveLate(filtered));
        try {
            cluster.awaitRunning(connector, 1);
            // Orders 1 and 5 (c 1, c 5, d 5) land; the EURO order is dead-lettered as by silver; order 2 vanishes.
            pipeline.awaitRows("silver.orders_filtered", 3);
            cluster.awaitRecords("orders.silver-filtered.dlq", 1);

            String connectUrl = cluster.connect().workers().iterator().next().url().toString();
            Path page = PipelineCluster.tmp().resolve("audit-filtered.html");
            OrdersPipeline.AuditRun lie = OrdersPipeline.audit(List.of("connectUrl=" + connectUrl, "landing=" + connector, "format=json",
                    "memoryLimit=128MB", "workDir=" + PipelineCluster.tmp().resolve("audit-filtered"),
                    "htmlOutput=" + page));
            assertThat(lie.exit()).as(lie.err()).isEqualTo(1);
            Set<String> unexplained = new TreeSet<>();
            lie.report().path("unexplained").forEach(u -> unexplained.add(u.path("topic").asText() + "/"
                    + u.path("partition").asInt() + "/" + u.path("offset").asLong()));
            assertThat(unexplained).isEqualTo(dropped);
            assertThat(lie.report().path("landing_table").asText()).isEqualTo("silver.orders_filtered");
            assertThat(lie.report().path("fates").path("landed").asLong()).isEqualTo(3);
            assertThat(lie.report().path("fates").path("dead_lettered").asLong()).isEqualTo(1);
            assertThat(lie.report().path("fates").path("quarantined").asLong()).isEqualTo(1);
            assertThat(lie.report().path("fates").path("unexplained").asLong()).isEqualTo(2);
            assertThat(lie.report().path("extra_rows").asLong()).isZero();
            // The three landed rows' latency: their source time to the commit of their data file, all measured.
            assertThat(lie.report().path("landing_latency_ms").path("measured").asLong()).isEqualTo(3);
            assertThat(lie.report().path("landing_latency_ms").path("p50").asLong()).isPositive();
            String html = Files.readString(page);
            assertThat(html).contains("2 unexplained events");
            for (String position : dropped) {
                String[] p = position.split("/");
                assertThat(html).contains("<td class=\"n\">" + p[1] + "</td><td class=\"n\">" + p[2] + "</td>");
            }
        } finally {
            // Later audits of the pipeline find one landing sink again.
            cluster.rest("DELETE", "connectors/" + connector, null);
        }
    }

    /**
     * Stale rows, visible with plain SQL and in the audit, and the same ones. Changes that get rejected after an
     * earlier valid version: order 1's currency becomes EURO (the warehouse dead-letters it) and order 2 loses its
     * customer (the source quarantines it) — both rows stay at their older version, stale; orders 3 and 4 were rejected
     * from their first change, absent. orders-holds writes each rejected change to orders_holds, and the view
     * orders_current_truth marks a row stale where a hold of its order is newer than the row's __source_lsn: its stale
     * rows are exactly the audit's. Then the lie: rows deleted from the warehouse by hand are exactly the
     * reconciliation's unexplained keys.
     */
    @Test
    @Order(6)
    void theStaleViewAndTheReconciliationAgreeAndRowsDeletedByHandAreUnexplained() throws Exception {
        cluster.sqlScript(ConnectorJson.ordersDir().resolve("warehouse/orders-current-truth.sql"));
        cluster.sql("UPDATE public.orders SET currency = 'EURO', updated_at = now() WHERE order_id = 1",
                "UPDATE public.orders SET customer_id = NULL, updated_at = now() WHERE order_id = 2",
                "INSERT INTO public.orders (order_id, customer_id, amount, currency, status) VALUES "
                        + "(6, 'C000006', 60.00, 'EUR', 'NEW'), (7, 'C000007', 70.00, 'CHF', 'PAID')");
        waitForCondition(() -> staleInView().equals(Set.of(1L, 2L)) && pipeline.warehouse().keySet().equals(Set.of(1L, 2L, 6L, 7L)),
                PipelineCluster.TIMEOUT_MS, () -> "stale in the view: " + staleInViewOrError() + ", warehouse "
                        + pipeline.warehouseOrError());
        assertThat(holds()).containsOnlyKeys(1L, 2L, 3L, 4L);
        assertThat(holds().get(2L)).isEqualTo("orders.events.v1.quarantine customer_required");
        assertThat(holds().get(1L)).startsWith("orders.events.v1 ").contains("currency_iso");

        String connectUrl = cluster.connect().workers().iterator().next().url().toString();
        List<String> args = List.of("connectUrl=" + connectUrl, "format=json", "memoryLimit=128MB", "reconcile=true",
                "workDir=" + PipelineCluster.tmp().resolve("audit-reconcile"));
        JsonNode reconciled = OrdersPipeline.audit(args).report().path("reconciliation");
        assertThat(reconciled.path("source_table").asText()).isEqualTo("public.orders");
        assertThat(reconciled.path("current_table").asText()).isEqualTo("orders_current");
        // customer_id and email leave the source as tokens: compared on the other columns.
        assertThat(reconciled.path("not_compared").toString()).isEqualTo("[\"customer_id\",\"email\"]");
        assertThat(keys(reconciled, "stale")).isEqualTo(staleInView()).isEqualTo(Set.of(1L, 2L));
        assertThat(keys(reconciled, "absent")).isEqualTo(Set.of(3L, 4L));
        assertThat(reconciled.path("counts").path("equal").asLong()).isEqualTo(2);
        assertThat(reconciled.path("counts").path("extra").asLong()).isZero();
        assertThat(reconciled.path("counts").path("unexplained").asLong()).isZero();
        assertThat(reconciled.path("exit_code").asInt()).isZero();
        // Each stale row names the change that was held back: its position, its source position and the reason.
        Map<Long, JsonNode> stale = new TreeMap<>();
        reconciled.path("keys").path("stale").forEach(k -> stale.put(k.path("key").asLong(), k));
        assertThat(stale.get(2L).path("rejected_at").asText()).startsWith("orders.events.v1.quarantine/");
        assertThat(stale.get(2L).path("reason").asText()).isEqualTo("quarantined: customer_required");
        assertThat(stale.get(1L).path("rejected_at").asText()).startsWith("orders.events.v1/");
        assertThat(stale.get(1L).path("reason").asText()).startsWith("orders-warehouse: ").contains("currency_iso");
        assertThat(stale.get(1L).path("rejected_lsn").asLong()).isGreaterThan(stale.get(1L).path("row_lsn").asLong());

        // The lie: an equal row and a stale row deleted from the warehouse by hand.
        cluster.sql("DELETE FROM orders_current WHERE order_id IN (1, 6)");
        OrdersPipeline.AuditRun lie = OrdersPipeline.audit(args);
        assertThat(lie.exit()).as(lie.err()).isEqualTo(1);
        JsonNode lied = lie.report().path("reconciliation");
        assertThat(keys(lied, "unexplained")).isEqualTo(Set.of(1L, 6L));
        assertThat(keys(lied, "stale")).isEqualTo(staleInView()).isEqualTo(Set.of(2L));
        assertThat(lied.path("exit_code").asInt()).isEqualTo(1);
    }

    private static Set<Long> keys(JsonNode reconciliation, String state) {
        Set<Long> keys = new TreeSet<>();
        reconciliation.path("keys").path(state).forEach(k -> keys.add(k.path("key").asLong()));
        assertThat(keys).as(state + " keys listed").hasSize((int) reconciliation.path("counts").path(state).asLong());
        return keys;
    }

    private static Set<Long> staleInView() throws Exception {
        Set<Long> stale = new TreeSet<>();
        try (Connection c = cluster.sqlConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT order_id FROM orders_current_truth WHERE stale")) {
            while (rs.next()) {
                stale.add(rs.getLong(1));
            }
        }
        return stale;
    }

    private static String staleInViewOrError() {
        try {
            return staleInView().toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** The newest hold of each order: its topic and reason. */
    private static Map<Long, String> holds() throws Exception {
        Map<Long, String> holds = new TreeMap<>();
        try (Connection c = cluster.sqlConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT order_id, rejected_topic, reason FROM orders_holds ORDER BY source_lsn")) {
            while (rs.next()) {
                holds.put(rs.getLong(1), rs.getString(2) + " " + rs.getString(3));
            }
        }
        return holds;
    }

    /** The Kafka positions the rows of a silver snapshot name. */
    private static Set<String> positions(Table table) throws Exception {
        Set<String> positions = new TreeSet<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            rows.forEach(r -> positions.add(r.getField("_kafka_metadata_topic") + "/"
                    + r.getField("_kafka_metadata_partition") + "/" + r.getField("_kafka_metadata_offset")));
        }
        return positions;
    }
}
