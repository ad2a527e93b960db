package dev.truthline.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PipelineFilesTest {

    static final Map<String, String> ENV = Map.of("TRUTHLINE_REPLICATION_FACTOR", "1", "TRUTHLINE_MIN_ISR", "1",
            "TRUTHLINE_ICEBERG_CATALOG_URI", "jdbc:postgresql://localhost:5432/catalog",
            "TRUTHLINE_ICEBERG_CATALOG_USER", "u", "TRUTHLINE_ICEBERG_CATALOG_PASSWORD", "p",
            "TRUTHLINE_ICEBERG_WAREHOUSE", "file:/tmp/w");

    /** The reference pipeline's files, the ones the demo and production use. */
    static Path orders() {
        return Path.of(System.getProperty("truthline.root", "..")).resolve("connector-configs/orders").toAbsolutePath()
                .normalize();
    }

    @Test
    void theRolesComeFromTheConfigs() throws Exception {
        PipelineFiles files = PipelineFiles.load(orders(), ENV);
        assertThat(files.connectors()).extracting(PipelineFiles.Connector::name).containsExactly("orders-bronze",
                "orders-holds", "orders-quarantine", "orders-silver", "orders-source", "orders-warehouse");
        assertThat(files.source().name()).isEqualTo("orders-source");
        assertThat(files.silver().name()).isEqualTo("orders-silver");
        assertThat(files.warehouse()).map(PipelineFiles.Connector::name).contains("orders-warehouse");
        assertThat(files.changeTopic()).isEqualTo("orders.events.v1");
        assertThat(files.quarantineTopic(ENV)).isEqualTo("orders.events.v1.quarantine");
        assertThat(files.silverDeadLetterTopic(ENV)).contains("orders.silver.dlq");
        assertThat(PipelineFiles.icebergTable(files.silver(), ENV)).isEqualTo("silver.orders");
        assertThat(files.silver().transformsOfType(PipelineFiles.DEDUPLICATE)).containsExactly("dedupe");
        assertThat(files.ddl()).contains("CREATE TABLE IF NOT EXISTS public.orders").doesNotContain("orders_holds");
        assertThat(files.warehouseDdl()).contains("CREATE TABLE IF NOT EXISTS orders_holds");
        assertThat(files.warehouseViews()).containsExactly("orders_current_truth");
    }

    @Test
    void topicSpecsAndCatalogSettingsAreResolvedAgainstTheEnvironment() throws Exception {
        PipelineFiles files = PipelineFiles.load(orders(), ENV);
        assertThat(files.topics()).first().satisfies(t -> {
            assertThat(t.name()).isEqualTo("orders.events.v1");
            assertThat(t.partitions()).isEqualTo(6);
            assertThat(t.replicationFactor()).isEqualTo((short) 1);
            assertThat(t.configs()).containsEntry("min.insync.replicas", "1");
        });
        assertThat(PipelineFiles.catalogProperties(files.silver(), ENV))
                .containsEntry("uri", "jdbc:postgresql://localhost:5432/catalog")
                .containsEntry("warehouse", "file:/tmp/w")
                .containsEntry("jdbc.schema-version", "V1");
        assertThat(files.envReferences()).contains("TRUTHLINE_PG_HOST", "TRUTHLINE_KAFKA_BOOTSTRAP", "TRUTHLINE_TASKS");
    }

    @Test
    void aMissingEnvironmentValueIsNamed() {
        assertThatThrownBy(() -> PipelineFiles.resolve("${env:TRUTHLINE_NOPE}-x", Map.of()))
                .hasMessage("No value for ${env:TRUTHLINE_NOPE} in ${env:TRUTHLINE_NOPE}-x");
        assertThat(PipelineFiles.resolve("a-${env:X}-b", Map.of("X", "1"))).isEqualTo("a-1-b");
    }

    @Test
    void aFolderWithoutConnectorsIsRefused(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertThatThrownBy(() -> PipelineFiles.load(dir, ENV)).hasMessageContaining("No connector file");
        assertThatThrownBy(() -> PipelineFiles.load(dir.resolve("nope"), ENV)).hasMessageContaining("No such folder");
    }
}
