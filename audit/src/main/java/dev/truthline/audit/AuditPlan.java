package dev.truthline.audit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one audit reads, resolved: the Kafka cluster, the change topic and the source quarantine topic, the landing
 * table (silver) and the quarantine table with the Iceberg catalog that holds them, and the dead-letter queues of the
 * connectors that write those tables. {@code ConnectorDiscovery} builds it from connector configs.
 *
 * @param bootstrapServers the Kafka cluster the pipeline's topics live in
 * @param changeTopic      the source's change topic ({@code orders.events.v1})
 * @param quarantineTopic  the source contract's quarantine topic, or null when the source quarantines nothing
 * @param rulesHeader      the header naming a quarantined event's broken rules ({@code dq.rules})
 * @param keySchemas       {@code key.converter.schemas.enable} of the landing sink
 * @param valueSchemas     {@code value.converter.schemas.enable} of the landing sink
 * @param catalogName      the Iceberg catalog's name ({@code iceberg.catalog})
 * @param catalogProperties the catalog's properties ({@code iceberg.catalog.*} without the prefix)
 * @param landing          the landing table and its connector
 * @param quarantine       the quarantine table and its connector, or null
 * @param deadLetterQueues dead-letter topic → connector, for the landing and quarantine connectors
 * @param memoryLimit      DuckDB's memory limit ({@code 512MB})
 * @param spillDir         where DuckDB spills beyond it
 */
public record AuditPlan(
        String bootstrapServers,
        String changeTopic,
        String quarantineTopic,
        String rulesHeader,
        boolean keySchemas,
        boolean valueSchemas,
        String catalogName,
        Map<String, String> catalogProperties,
        SinkTable landing,
        SinkTable quarantine,
        Map<String, String> deadLetterQueues,
        String memoryLimit,
        Path spillDir) {

    /** An Iceberg sink table and the connector that writes it. */
    public record SinkTable(String connector, String table) {
    }

    public List<String> capturedTopics() {
        return quarantineTopic == null ? List.of(changeTopic) : List.of(changeTopic, quarantineTopic);
    }
}
