package dev.truthline.connect.privacy;

import static dev.truthline.connect.privacy.Fixtures.keyset;
import static dev.truthline.connect.privacy.Fixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** KIP-877: records, fields protected and fields per rule, in the worker's plugin metrics. */
class MetricsTest {

    static double value(Metrics registry, String name, Map<String, String> tags) {
        return registry.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().tags().entrySet().containsAll(tags.entrySet()))
                .map(e -> (Double) e.getValue().metricValue()).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " " + tags + " in "
                        + registry.metrics().keySet().stream().map(MetricName::name).toList()));
    }

    @Test
    void protectAndRevealCountInPluginMetrics() {
        Map<String, String> props = new HashMap<>();
        props.put("rules", "ids,cards");
        props.putAll(Fixtures.ruleKeys("ids", "customer_id,email", "token", "keyset", keyset(Method.TOKEN)));
        props.putAll(Fixtures.ruleKeys("cards", "card", "mask"));
        try (Metrics registry = new Metrics()) {
            ProtectFields<SourceRecord> protect = new ProtectFields.Value<>();
            protect.withPluginMetrics(new PluginMetricsImpl(registry, new LinkedHashMap<>(Map.of("connector", "c"))));
            protect.configure(props);
            Map<String, Object> value = new HashMap<>(Map.of("customer_id", 1L, "email", "a@b.c", "card", "41111234"));
            SourceRecord out = protect.apply(record(null, value));
            protect.apply(record(null, Map.of("customer_id", 2L)));
            protect.apply(record(null, null));

            assertThat(value(registry, "records-total", Map.of("connector", "c"))).isEqualTo(2.0);
            assertThat(value(registry, "records-skipped", Map.of())).isEqualTo(1.0);
            assertThat(value(registry, "fields-protected-total", Map.of())).isEqualTo(4.0);
            assertThat(value(registry, "rule-fields-protected-total", Map.of("rule", "ids", "method", "token"))).isEqualTo(3.0);
            assertThat(value(registry, "rule-fields-protected-total", Map.of("rule", "cards", "method", "mask"))).isEqualTo(1.0);

            RevealFields<SourceRecord> reveal = new RevealFields.Value<>();
            reveal.configure(props);
            reveal.withPluginMetrics(new PluginMetricsImpl(registry, new LinkedHashMap<>(Map.of("connector", "sink"))));
            reveal.apply(out);
            assertThat(value(registry, "fields-revealed-total", Map.of("connector", "sink"))).isEqualTo(2.0);
        }
    }
}
