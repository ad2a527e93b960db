package dev.truthline.connect.source;

import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
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
 * The base source config and the reference pipeline's {@code orders-source.json}, unchanged, on a real Connect worker
 * (Debezium and Truthline loaded from {@code plugin.path}, exactly-once source support enabled, {@code ${env:…}}
 * resolved by Kafka's EnvVarConfigProvider from this JVM's environment) against a real PostgreSQL with logical
 * decoding: Debezium's own {@code validate()} accepts both, and the orders source captures inserts, updates and
 * deletes into {@code orders.events.v1}, keyed by order_id, and quarantines rows that break the shape contract.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresSourceIT {

    private static final Logger log = LoggerFactory.getLogger(PostgresSourceIT.class);
    private static final String POSTGRES = "io.debezium.connector.postgresql.PostgresConnector";

    private static PipelineCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = PipelineCluster.start("source-it", PipelineCluster.pipelineWorkerProps(PipelineCluster.pluginPath()));
        cluster.sqlScript(ConnectorJson.ordersDir().resolve("orders.sql"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theBaseConfigWithAPipelinesNamesAndRulesPassesPostgresConnectorValidation() throws Exception {
        // What a pipeline adds to the base: its names, its table and its contract's rules.
        ConnectorJson config = SourceConfigFilesTest.base().with(Map.of(
                "name", "base-check", "topic.prefix", "basecheck", "table.include.list", "public.orders",
                "slot.name", "base_check", "publication.name", "base_check",
                "transforms.contract.rules", "id_required",
                "transforms.contract.rules.id_required.type", "required",
                "transforms.contract.rules.id_required.field", "order_id"));

        assertThat(cluster.validate(config.config())).isEmpty();
    }

    @Test
    @Order(2)
    void theOrdersSourcePassesPostgresConnectorValidation() throws Exception {
        ConnectorJson orders = ConnectorJson.orders("orders-source.json");

        assertThat(cluster.validate(orders.with(Map.of("name", orders.name())).config())).isEmpty();
    }

    @Test
    @Order(3)
    void anUnsetVariableFailsItsKeyOnValidationExceptTopicCreationKeysWhichFailTheConnectorAtStart() throws Exception {
        // EnvVarConfigProvider knows no TRUTHLINE_UNSET: Connect leaves the reference as it is, and the key's own type
        // check reports it, naming the variable.
        ConnectorJson orders = ConnectorJson.orders("orders-source.json");
        for (String key : List.of("tasks.max", "database.port")) {
            Map<String, List<String>> errors = cluster.validate(orders.with(Map.of("name", orders.name(),
                    key, "${env:TRUTHLINE_UNSET}")).config());
            assertThat(errors).as(key).containsOnlyKeys(key);
        }
        assertThat(cluster.validate(orders.with(Map.of("name", orders.name(), "tasks.max", "${env:TRUTHLINE_UNSET}"))
                .config()).get("tasks.max")).contains(
                        "Invalid value ${env:TRUTHLINE_UNSET} for configuration tasks.max: Not a number of type INT");

        // Connect's validate does not parse topic.creation.* values at all (a literal "abc" passes too): an unset
        // variable there passes validation, and the connector fails when the worker starts it.
        ConnectorJson unsetReplication = orders.with(Map.of("name", "unset-rf", "slot.name", "unset_rf",
                "publication.name", "unset_rf", "topic.prefix", "unsetrf",
                "topic.creation.default.replication.factor", "${env:TRUTHLINE_UNSET}"));
        assertThat(cluster.validate(unsetReplication.config())).isEmpty();
        cluster.putConnector("unset-rf", unsetReplication.config());
        waitForCondition(() -> cluster.rest("GET", "connectors/unset-rf/status", null).json().path("connector")
                .path("state").asText().equals("FAILED"), PipelineCluster.TIMEOUT_MS, "unset-rf did not fail");
        assertThat(cluster.rest("GET", "connectors/unset-rf/status", null).json().path("connector").path("trace").asText())
                .contains("Invalid value ${env:TRUTHLINE_UNSET} for configuration "
                        + "topic.creation.default.replication.factor: Not a number of type SHORT");
        cluster.rest("DELETE", "connectors/unset-rf", null);
    }

    @Test
    @Order(4)
    void theOrdersSourceCapturesChangesAndQuarantinesRowsThatBreakTheShapeContract() throws Exception {
        cluster.createTopics(ConnectorJson.ordersDir().resolve("topics.json"));
        ConnectorJson orders = ConnectorJson.orders("orders-source.json");
        cluster.putConnector(orders.name(), orders.config());
        cluster.awaitRunning(orders.name(), 1);
        waitForCondition(PostgresSourceIT::slotActive, PipelineCluster.TIMEOUT_MS, "Debezium did not start streaming");

        cluster.sql(
                "INSERT INTO public.orders (order_id, customer_id, amount, currency, status) VALUES "
                        + "(1, 'C000001', 10.50, 'EUR', 'NEW'), (2, 'C000002', 20.00, 'USD', 'NEW')",
                // No customer: breaks the shape contract (customer_required).
                "INSERT INTO public.orders (order_id, customer_id, amount, currency, status) VALUES (3, NULL, 5.00, 'EUR', 'NEW')",
                "UPDATE public.orders SET status = 'PAID', updated_at = now() WHERE order_id = 1",
                "DELETE FROM public.orders WHERE order_id = 2");

        // c 1, c 2, u 1, d 2 and the delete's tombstone.
        List<ConsumerRecord<byte[], byte[]>> events = cluster.awaitRecords("orders.events.v1", 5);
        List<String> described = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : events) {
            JsonNode key = json(r.key()).path("payload");
            JsonNode value = r.value() == null ? null : json(r.value()).path("payload");
            described.add((value == null ? "tombstone" : value.path("op").asText()) + " " + key.path("order_id").asLong());
            assertThat(key.properties()).as("the key is the primary key").hasSize(1);
            if (value != null) {
                assertThat(header(r, "dq.status")).isEqualTo("valid");
                assertThat(header(r, "dq.contract")).isEqualTo("orders-shape@2");
            }
        }
        assertThat(described).containsExactlyInAnyOrder("c 1", "c 2", "u 1", "d 2", "tombstone 2");
        JsonNode update = events.stream().map(r -> r.value() == null ? null : json(r.value()).path("payload"))
                .filter(v -> v != null && v.path("op").asText().equals("u")).findFirst().orElseThrow();
        // Exact money: decimal.handling.mode=precise, written as a JSON number (decimal.format=NUMERIC).
        assertThat(update.path("after").path("amount").decimalValue()).isEqualByComparingTo("10.50");
        assertThat(update.path("before").path("status").asText()).as("REPLICA IDENTITY FULL").isEqualTo("NEW");
        // Protected at the source (ProtectFields, token): the topic holds a token, never the clear customer id.
        assertThat(update.path("after").path("customer_id").asText()).doesNotContain("C000001")
                .matches("A[Q-Za-f][A-Za-z0-9_-]{28,}");

        List<ConsumerRecord<byte[], byte[]>> quarantined = cluster.awaitRecords("orders.events.v1.quarantine", 1);
        assertThat(quarantined).hasSize(1);
        ConsumerRecord<byte[], byte[]> bad = quarantined.get(0);
        assertThat(json(bad.key()).path("payload").path("order_id").asLong()).isEqualTo(3);
        assertThat(header(bad, "dq.status")).isEqualTo("invalid");
        assertThat(header(bad, "dq.rules")).isEqualTo("customer_required");
        assertThat(header(bad, "dq.violations")).contains("customer_required").doesNotContain("C0000");

        // The filtered publication holds only the captured table.
        try (Connection c = cluster.sqlConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT schemaname || '.' || tablename FROM pg_publication_tables "
                        + "WHERE pubname = 'truthline_orders'")) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            assertThat(tables).containsExactly("public.orders");
        }

        // Heartbeats (every 10 s) reach their topic; the action query's logical message is read by the connector.
        List<ConsumerRecord<byte[], byte[]>> heartbeats = cluster.awaitRecords("__debezium-heartbeat.orders", 1);
        log.info("Heartbeat: {}", new String(heartbeats.get(0).value(), StandardCharsets.UTF_8));
        // The action query's logical decoding message: it moves the slot on while public.orders is idle.
        assertThat(cluster.awaitRecords("orders.message", 1)).isNotEmpty();
        // Every topic the source wrote to is specified in topics.json (none was left to topic.creation's defaults).
        Set<String> specified = new HashSet<>();
        ConnectorJson.JSON.readTree(ConnectorJson.ordersDir().resolve("topics.json").toFile()).path("topics")
                .forEach(topic -> specified.add(topic.path("name").asText()));
        try (Admin admin = cluster.connect().kafka().createAdminClient()) {
            assertThat(admin.listTopics().names().get()).filteredOn(name -> !name.startsWith("connect-"))
                    .isSubsetOf(specified);
        }
    }

    private static boolean slotActive() throws Exception {
        try (Connection c = cluster.sqlConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = 'truthline_orders'")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return ConnectorJson.JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
