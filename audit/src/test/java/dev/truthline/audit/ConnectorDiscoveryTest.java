package dev.truthline.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The reference pipeline's connector files, as an operator audits them with an env file. */
class ConnectorDiscoveryTest {

    private static final Path ORDERS = Path.of(System.getProperty("truthline.orders.dir"));
    private static final Map<String, String> ENV = Map.of(
            "TRUTHLINE_ICEBERG_CATALOG_URI", "jdbc:postgresql://db:5432/catalog",
            "TRUTHLINE_ICEBERG_CATALOG_USER", "auditor",
            "TRUTHLINE_ICEBERG_CATALOG_PASSWORD", "secret",
            "TRUTHLINE_ICEBERG_WAREHOUSE", "file:/data/warehouse",
            "TRUTHLINE_KAFKA_BOOTSTRAP", "kafka:9092");

    @Test
    void findsTheLandingTableTheQuarantineAndTheirDeadLetterQueues() throws Exception {
        AuditPlan plan = ConnectorDiscovery.discover(ConnectorConfigs.fromFiles(ORDERS), new ConfigValues(ENV), null,
                null, "256MB", Path.of("spill"));

        assertThat(plan.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(plan.changeTopic()).isEqualTo("orders.events.v1");
        assertThat(plan.quarantineTopic()).isEqualTo("orders.events.v1.quarantine");
        assertThat(plan.rulesHeader()).isEqualTo("dq.rules");
        assertThat(plan.landing()).isEqualTo(new AuditPlan.SinkTable("orders-silver", "silver.orders"));
        assertThat(plan.quarantine()).isEqualTo(new AuditPlan.SinkTable("orders-quarantine", "quarantine.orders"));
        assertThat(plan.deadLetterQueues()).containsExactly(Map.entry("orders.silver.dlq", "orders-silver"),
                Map.entry("orders.quarantine.dlq", "orders-quarantine"));
        assertThat(plan.catalogName()).isEqualTo("iceberg");
        assertThat(plan.catalogProperties()).containsEntry("uri", "jdbc:postgresql://db:5432/catalog")
                .containsEntry("jdbc.user", "auditor").containsEntry("jdbc.password", "secret")
                .containsEntry("warehouse", "file:/data/warehouse");
        assertThat(plan.keySchemas()).isTrue();
        assertThat(plan.valueSchemas()).isTrue();
    }

    @Test
    void aValueTheOperatorDidNotGiveCannotBeJudgedAndIsNamed() throws Exception {
        Map<String, String> partial = new HashMap<>(ENV);
        partial.remove("TRUTHLINE_ICEBERG_CATALOG_URI");
        assertThatThrownBy(() -> ConnectorDiscovery.discover(ConnectorConfigs.fromFiles(ORDERS),
                new ConfigValues(partial), null, null, "256MB", Path.of("spill")))
                .isInstanceOf(CannotJudgeException.class)
                .hasMessageContaining("iceberg.catalog.uri=${env:TRUTHLINE_ICEBERG_CATALOG_URI}");
    }

    @Test
    void twoCandidateLandingSinksMustBeNamed() throws Exception {
        Map<String, Map<String, String>> connectors = new LinkedHashMap<>(ConnectorConfigs.fromFiles(ORDERS));
        connectors.put("orders-silver-copy", connectors.get("orders-silver"));
        assertThatThrownBy(() -> ConnectorDiscovery.discover(connectors, new ConfigValues(ENV), null, null, "256MB",
                Path.of("spill"))).isInstanceOf(CannotJudgeException.class).hasMessageContaining("--landing");
        AuditPlan named = ConnectorDiscovery.discover(connectors, new ConfigValues(ENV), "orders-silver-copy", null,
                "256MB", Path.of("spill"));
        assertThat(named.landing().connector()).isEqualTo("orders-silver-copy");
    }
}
