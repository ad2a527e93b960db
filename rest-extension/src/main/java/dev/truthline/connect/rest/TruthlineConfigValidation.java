package dev.truthline.connect.rest;

import java.util.Map;

import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.health.ConnectClusterState;
import org.apache.kafka.connect.rest.ConnectRestExtension;
import org.apache.kafka.connect.rest.ConnectRestExtensionContext;

import dev.truthline.connect.core.TruthlineVersion;

/**
 * A Connect REST extension that reports the configuration errors of Truthline transformations —
 * unknown rule types, CEL that does not compile, {@code min > max}, any problem their
 * {@code configure()} finds — through the REST API, with the full key
 * ({@code transforms.<alias>.rules.amount.min}): in {@code PUT /connector-plugins/{plugin}/config/validate}
 * answers, and as a 400 to {@code POST /connectors} and {@code PUT} / {@code PATCH /connectors/{name}/config},
 * so a connector whose tasks would fail to configure is never created or changed.
 *
 * <p>Enable it on every worker with {@code rest.extension.classes=dev.truthline.connect.rest.TruthlineConfigValidation};
 * it is installed with the Truthline plugin directory. It has no configuration of its own.
 */
public class TruthlineConfigValidation implements ConnectRestExtension, Versioned {

    @Override
    public void configure(Map<String, ?> configs) {
        // Nothing to configure: the worker's properties are not needed.
    }

    @Override
    public void register(ConnectRestExtensionContext restPluginContext) {
        ConnectClusterState cluster = restPluginContext.clusterState();
        restPluginContext.configurable().register(new ConfigCheckFilter(new TransformConfigCheck(),
                new StoredConfigs(cluster::connectorConfig)));
    }

    @Override
    public String version() {
        return TruthlineVersion.get();
    }

    @Override
    public void close() {
        // Nothing held: every transformation configured for a check is closed right after it.
    }
}
