package dev.truthline.demo;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import dev.truthline.connect.harness.KafkaCluster;

/** The values of the connector files' {@code ${env:TRUTHLINE_…}} references: the demo worker's environment. */
final class DemoEnvironment {

    private DemoEnvironment() {
    }

    /** {@code brokers}: nodes of the demo's own Kafka cluster, whose topics get its replication (1 on another). */
    static Map<String, String> of(Database database, String bootstrapServers, Path work, int brokers,
            Map<String, String> overrides) {
        Map<String, String> e = new TreeMap<>();
        e.put("TRUTHLINE_PG_HOST", database.host());
        e.put("TRUTHLINE_PG_PORT", String.valueOf(database.port()));
        e.put("TRUTHLINE_PG_USER", database.user());
        e.put("TRUTHLINE_PG_PASSWORD", database.password());
        e.put("TRUTHLINE_PG_DB", database.sourceDb());
        e.put("TRUTHLINE_KAFKA_BOOTSTRAP", bootstrapServers);
        e.put("TRUTHLINE_ICEBERG_CATALOG_URI", database.jdbcUrl(Database.CATALOG_DB));
        e.put("TRUTHLINE_ICEBERG_CATALOG_USER", database.user());
        e.put("TRUTHLINE_ICEBERG_CATALOG_PASSWORD", database.password());
        e.put("TRUTHLINE_ICEBERG_WAREHOUSE", work.resolve("iceberg-warehouse").toUri().toString());
        // Quick commits, so rows are visible within seconds (production: 60000 / 30000).
        e.put("TRUTHLINE_ICEBERG_COMMIT_INTERVAL_MS", "1000");
        e.put("TRUTHLINE_ICEBERG_COMMIT_TIMEOUT_MS", "5000");
        e.put("TRUTHLINE_WAREHOUSE_JDBC_URL", database.jdbcUrl(Database.WAREHOUSE_DB));
        e.put("TRUTHLINE_WAREHOUSE_USER", database.user());
        e.put("TRUTHLINE_WAREHOUSE_PASSWORD", database.password());
        e.put("TRUTHLINE_REPLICATION_FACTOR", String.valueOf(KafkaCluster.replicationFactor(brokers)));
        e.put("TRUTHLINE_MIN_ISR", String.valueOf(KafkaCluster.minInsyncReplicas(brokers)));
        e.put("TRUTHLINE_TASKS", "1");
        e.put("TRUTHLINE_PARTITIONS", "3");
        e.putAll(overrides);
        return e;
    }
}
