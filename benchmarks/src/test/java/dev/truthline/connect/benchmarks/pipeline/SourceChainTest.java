package dev.truthline.connect.benchmarks.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class SourceChainTest {

    /**
     * Each configuration is the reference source connector (orders-source.json, read from the file) with its own slot,
     * publication and topic, no snapshot and no heartbeat, and all, part or none of the reference's transforms —
     * each transform's keys exactly the reference's.
     */
    @Test
    void everyConfigurationIsTheReferenceSourceWithItsOwnSlotAndTopic() {
        Map<String, String> reference = SourceChain.reference();
        assertThat(reference).containsEntry("transforms", "route,contract,protect");
        for (SourceChain chain : SourceChain.values()) {
            Map<String, String> c = chain.settings("bench_x_r1", "bench_orders", "bench.source.x.r1");
            assertThat(c).containsEntry("connector.class", "io.debezium.connector.postgresql.PostgresConnector")
                    .containsEntry("slot.name", "bench_x_r1").containsEntry("publication.name", "bench_orders")
                    .containsEntry("publication.autocreate.mode", "disabled").containsEntry("snapshot.mode", "no_data")
                    .containsEntry("heartbeat.interval.ms", "0").doesNotContainKey("heartbeat.action.query")
                    .containsEntry("topic.prefix", "bench_x_r1")
                    .containsEntry("value.converter.schemas.enable", "true")
                    .containsEntry("exactly.once.support", reference.get("exactly.once.support"))
                    .containsEntry("producer.override.batch.size", reference.get("producer.override.batch.size"))
                    .containsEntry("database.password", "${env:TRUTHLINE_PG_PASSWORD}");
            String[] aliases = c.get("transforms").split(",");
            assertThat(aliases[0]).isEqualTo("route");
            for (String alias : aliases) {
                reference.forEach((k, v) -> {
                    if (k.startsWith("transforms." + alias + ".") && !alias.equals("route")) {
                        assertThat(c).containsEntry(k, v);
                    }
                });
            }
            assertThat(c.keySet().stream().filter(k -> k.matches("transforms\\.[^.]+\\.type")))
                    .hasSize(aliases.length);
            // Debezium's topic for the table, routed to the pass's topic; the predicates select that topic.
            assertThat("bench_x_r1.public.orders").matches(c.get("transforms.route.regex"));
            assertThat(c).containsEntry("transforms.route.replacement", "bench.source.x.r1");
            assertThat(Pattern.matches(c.get("predicates.isOrders.pattern"), "bench.source.x.r1")).isTrue();
            assertThat(Pattern.matches(c.get("predicates.isOrderEvents.pattern"), "bench.source.x.r1.quarantine")).isTrue();
            assertThat(Pattern.matches(c.get("predicates.isOrders.pattern"), "benchXsource.x.r1")).isFalse();
        }
        assertThat(SourceChain.DEBEZIUM.settings("s", "p", "t").get("transforms")).isEqualTo("route");
        assertThat(SourceChain.REFERENCE.settings("s", "p", "t").get("transforms")).isEqualTo("route,contract,protect");
    }

    @Test
    void optionsAreCheckedWithTheirNames() {
        SourceBenchmark.Options o = SourceBenchmark.Options.parse(new String[] {"--changes", "5000", "--configs",
            "debezium,reference"});
        assertThat(o.changes).isEqualTo(5000);
        assertThat(o.chains).containsExactly(SourceChain.DEBEZIUM, SourceChain.REFERENCE);
        assertThatThrownBy(() -> SourceBenchmark.Options.parse(new String[] {"--configs", "groovy"}))
                .hasMessage("unknown configuration 'groovy' (debezium, contract, reference)");
        assertThatThrownBy(() -> SourceBenchmark.Options.parse(new String[] {"--changes", "0"}))
                .hasMessageContaining("--changes");
        assertThat(SourceBenchmark.Options.parse(new String[] {"--debezium-plugin", "/opt/dbz"}).debeziumPlugin)
                .isEqualTo(java.nio.file.Path.of("/opt/dbz"));
        assertThatThrownBy(() -> SourceBenchmark.Options.parse(new String[] {"--tasks", "2"}))
                .hasMessageContaining("unknown option --tasks");
    }
}
