package dev.truthline.connect.lineage;

import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The worker properties of the lineage extension. Where the events go (HTTP for Marquez, Kafka, file, console)
 * is the OpenLineage client's own configuration: an {@code openlineage.yml} named here, or the client's defaults
 * ({@code OPENLINEAGE_CONFIG}, {@code OPENLINEAGE_URL}, {@code OPENLINEAGE__TRANSPORT__*} environment variables,
 * {@code openlineage.yml} in the working directory or {@code ~/.openlineage/}).
 */
final class LineageConfig extends AbstractConfig {

    static final String NAMESPACE = "truthline.lineage.namespace";
    static final String INTERVAL_MS = "truthline.lineage.interval.ms";
    static final String CLIENT_CONFIG = "truthline.lineage.openlineage.config";

    static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(NAMESPACE, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                    "Job namespace of the events (OpenLineage Naming: the scheduler instance). Empty: kafka-connect://"
                            + "<group.id>, the Connect cluster.")
            .define(INTERVAL_MS, ConfigDef.Type.LONG, 60_000L, ConfigDef.Range.atLeast(100),
                    ConfigDef.Importance.MEDIUM, "How often connector states are read and a RUNNING event with the "
                            + "data-quality counts is emitted for each running connector.")
            .define(CLIENT_CONFIG, ConfigDef.Type.STRING, "", ConfigDef.Importance.HIGH,
                    "Path of an openlineage.yml with the transport (http, kafka, file, console). Empty: the OpenLineage "
                            + "client's own lookup (OPENLINEAGE_CONFIG, OPENLINEAGE_URL, openlineage.yml).");

    LineageConfig(Map<?, ?> workerProps) {
        super(CONFIG_DEF, workerProps, false);
    }

    String jobNamespace(Map<?, ?> workerProps) {
        String configured = getString(NAMESPACE);
        if (!configured.isBlank()) {
            return configured;
        }
        Object group = workerProps.get("group.id");
        return "kafka-connect://" + (group == null ? "connect-cluster" : group);
    }
}
