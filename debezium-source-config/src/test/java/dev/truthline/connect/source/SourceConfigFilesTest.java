package dev.truthline.connect.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.truthline.connect.pipeline.ConnectorJson;

/** The base source config and the orders pipeline's source agree: the pipeline only adds to the base. */
class SourceConfigFilesTest {

    static ConnectorJson base() {
        return ConnectorJson.read(Path.of(System.getProperty("truthline.source.base", "src/main/config/postgres-source.base.json")));
    }

    @Test
    void ordersSourceKeepsEveryBaseDefault() {
        ConnectorJson base = base();
        ConnectorJson orders = ConnectorJson.orders("orders-source.json");

        assertThat(orders.name()).isEqualTo("orders-source");
        base.config().forEach((key, value) -> {
            if (!key.equals("transforms")) {
                assertThat(orders.config()).as("orders-source.json keeps the base's %s", key).containsEntry(key, value);
            }
        });
        // The pipeline adds its own transforms around the base's, in the base's order.
        List<String> kept = new ArrayList<>(orders.transforms());
        kept.retainAll(base.transforms());
        assertThat(kept).isEqualTo(base.transforms());
    }

    @Test
    void environmentSpecificValuesComeFromTheEnvironment() {
        Map<String, String> config = base().config();

        assertThat(base().envVariables()).containsExactlyInAnyOrder("TRUTHLINE_PG_HOST", "TRUTHLINE_PG_PORT",
                "TRUTHLINE_PG_USER", "TRUTHLINE_PG_PASSWORD", "TRUTHLINE_PG_DB", "TRUTHLINE_REPLICATION_FACTOR",
                "TRUTHLINE_MIN_ISR");
        assertThat(config).containsEntry("database.password", "${env:TRUTHLINE_PG_PASSWORD}")
                .containsEntry("topic.creation.default.replication.factor", "${env:TRUTHLINE_REPLICATION_FACTOR}");
    }

    @Test
    void theBaseIsDurable() {
        assertThat(base().config())
                .containsEntry("plugin.name", "pgoutput")
                .containsEntry("publication.autocreate.mode", "filtered")
                .containsEntry("exactly.once.support", "requested")
                .containsEntry("producer.override.acks", "all")
                .containsEntry("topic.creation.default.compression.type", "zstd")
                .containsEntry("errors.tolerance", "none")
                .containsEntry("transforms.contract.on.failure", "quarantine")
                .containsKey("heartbeat.interval.ms")
                .doesNotContainKeys("slot.name", "publication.name", "topic.prefix", "table.include.list");
    }
}
