package dev.truthline.connect.iceberg;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.truthline.connect.pipeline.ConnectorJson;

/** The base Iceberg configs, and what a pipeline adds to each to make it a connector (as the orders pipeline does). */
final class IcebergConfigs {

    static final String BRONZE = "iceberg-bronze.base.json";
    static final String SILVER = "iceberg-silver.base.json";
    static final String QUARANTINE = "iceberg-quarantine.base.json";

    /** The demo's local values (connector-configs/orders/README.md), for tests that resolve variables themselves. */
    static final Map<String, String> LOCAL_ENV = Map.ofEntries(
            Map.entry("TRUTHLINE_PG_HOST", "localhost"),
            Map.entry("TRUTHLINE_PG_PORT", "5432"),
            Map.entry("TRUTHLINE_PG_USER", "postgres"),
            Map.entry("TRUTHLINE_PG_PASSWORD", "postgres"),
            Map.entry("TRUTHLINE_PG_DB", "postgres"),
            Map.entry("TRUTHLINE_KAFKA_BOOTSTRAP", "localhost:9092"),
            Map.entry("TRUTHLINE_REPLICATION_FACTOR", "1"),
            Map.entry("TRUTHLINE_MIN_ISR", "1"),
            Map.entry("TRUTHLINE_TASKS", "1"),
            Map.entry("TRUTHLINE_ICEBERG_CATALOG_URI", "jdbc:postgresql://localhost:5432/postgres"),
            Map.entry("TRUTHLINE_ICEBERG_CATALOG_USER", "postgres"),
            Map.entry("TRUTHLINE_ICEBERG_CATALOG_PASSWORD", "postgres"),
            Map.entry("TRUTHLINE_ICEBERG_WAREHOUSE", "file:/tmp/truthline/warehouse"),
            Map.entry("TRUTHLINE_ICEBERG_COMMIT_INTERVAL_MS", "1000"),
            Map.entry("TRUTHLINE_ICEBERG_COMMIT_TIMEOUT_MS", "5000"),
            Map.entry("TRUTHLINE_WAREHOUSE_JDBC_URL", "jdbc:postgresql://localhost:5432/postgres"),
            Map.entry("TRUTHLINE_WAREHOUSE_USER", "postgres"),
            Map.entry("TRUTHLINE_WAREHOUSE_PASSWORD", "postgres"),
            // The source's ProtectFields keyset: no sink reads it (the failsafe runs get a real test keyset).
            Map.entry("TRUTHLINE_ORDERS_TOKEN_KEYSET", "source-only"));

    private IcebergConfigs() {
    }

    static ConnectorJson base(String file) {
        return ConnectorJson.read(Path.of(System.getProperty("truthline.config.dir", "src/main/config")).resolve(file));
    }

    /** A base with a pipeline's keys: its name, topic, table, dead-letter queue (Connect's and the contract's) and one contract rule. */
    static ConnectorJson withPipelineKeys(String file, String name) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("name", name);
        keys.put("topics", name + ".events");
        keys.put("iceberg.tables", "check." + name.replace('-', '_'));
        keys.put("iceberg.control.topic", name + ".control");
        keys.put("errors.deadletterqueue.topic.name", name + ".dlq");
        // ValidateContract writes its rejects to the same DLQ itself (on.failure=dead_letter).
        keys.put("transforms.contract.dead.letter.topic", name + ".dlq");
        keys.put("transforms.contract.rules", "id_required");
        keys.put("transforms.contract.rules.id_required.type", "required");
        keys.put("transforms.contract.rules.id_required.field", "id");
        return base(file).with(keys);
    }
}
