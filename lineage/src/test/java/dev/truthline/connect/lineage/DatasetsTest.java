package dev.truthline.connect.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.truthline.connect.lineage.Datasets.Dataset;
import dev.truthline.connect.lineage.Datasets.Io;

/**
 * Dataset names of the reference pipeline's connectors (connector-configs/orders/), by the OpenLineage naming
 * spec (OpenLineage/OpenLineage spec/Naming.md and the naming table of its website): Kafka
 * {@code kafka://{bootstrap server host}:{port}} / {@code {topic}}; Postgres {@code postgres://{host}:{port}} /
 * {@code {database}.{schema}.{table}}; local file system {@code file} / {@code {path}} (an Iceberg table's location).
 */
class DatasetsTest {

    private static final Path ORDERS = Path.of("../connector-configs/orders");
    private static final String KAFKA = "kafka://broker-1:9092";
    private static final Map<String, String> ENV = Map.of(
            "TRUTHLINE_PG_HOST", "db.example", "TRUTHLINE_PG_PORT", "5433", "TRUTHLINE_PG_DB", "shop",
            "TRUTHLINE_WAREHOUSE_JDBC_URL", "jdbc:postgresql://wh.example:5432/warehouse?sslmode=require",
            "TRUTHLINE_ICEBERG_WAREHOUSE", "file:/data/lake", "TRUTHLINE_ICEBERG_CATALOG_URI",
            "jdbc:postgresql://catalog.example:5432/iceberg");

    @Test
    void debeziumSourceReadsItsTableAndWritesTheRoutedTopicAndItsQuarantine() throws IOException {
        Io io = io("orders-source.json");
        assertThat(io.inputs()).containsExactly(new Dataset("postgres://db.example:5433", "shop.public.orders"));
        // The RegexRouter sends orders.public.orders to orders.events.v1; ValidateContract quarantines to ${topic}.quarantine.
        assertThat(io.outputs()).containsExactly(new Dataset(KAFKA, "orders.events.v1"),
                new Dataset(KAFKA, "orders.events.v1.quarantine"));
    }

    @Test
    void jdbcSinkWritesItsTableInTheDefaultSchema() throws IOException {
        Io io = io("orders-warehouse.json");
        assertThat(io.inputs()).containsExactly(new Dataset(KAFKA, "orders.events.v1"));
        assertThat(io.outputs()).containsExactly(new Dataset("postgres://wh.example:5432", "warehouse.public.orders_current"),
                new Dataset(KAFKA, "orders.events.dlq"));
    }

    @Test
    void icebergSinkWritesItsTableByLocationWithTheCatalogNameAsSymlink() throws IOException {
        Io io = io("orders-bronze.json");
        assertThat(io.inputs()).containsExactly(new Dataset(KAFKA, "orders.events.v1"));
        assertThat(io.outputs()).containsExactly(
                new Dataset("file", "/data/lake/bronze/orders", "jdbc:postgresql://catalog.example:5432/iceberg",
                        "bronze.orders"),
                new Dataset(KAFKA, "orders.bronze.dlq"));
        assertThat(Datasets.icebergTable("s3://lake/warehouse", "http://rest:8181", "silver.orders"))
                .isEqualTo(new Dataset("s3://lake", "warehouse/silver/orders", "http://rest:8181", "silver.orders"));
    }

    @Test
    void unresolvedReferencesDropTheDatasetRatherThanNameItWrongly() throws IOException {
        Io io = Datasets.of(config("orders-source.json"), "broker-1:9092", name -> null);
        assertThat(io.inputs()).isEmpty();
        assertThat(io.outputs()).isNotEmpty().allMatch(d -> d.namespace().equals(KAFKA));
    }

    @Test
    void kafkaNamespaceIsTheFirstBootstrapServer() {
        assertThat(Datasets.kafkaNamespace("SASL_SSL://b1.example:9093,b2.example:9093")).isEqualTo(
                "kafka://b1.example:9093");
    }

    private static Io io(String file) throws IOException {
        return Datasets.of(config(file), "broker-1:9092,broker-2:9092", ENV::get);
    }

    /** The "config" object of a connector request file. */
    static Map<String, String> config(String file) throws IOException {
        Map<String, String> config = new LinkedHashMap<>();
        new ObjectMapper().readTree(ORDERS.resolve(file).toFile()).path("config").properties()
                .forEach(e -> config.put(e.getKey(), e.getValue().asText()));
        return config;
    }
}
