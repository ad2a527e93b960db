package dev.truthline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromqlNamesTest {

    @Test
    void findsMetricsNotFunctionsLabelsOrKeywords() {
        assertThat(PromqlNames.of("sum by (connector, rule) (rate(truthline_violations_total{connector=~\"$connector\"}[5m]))"
                + " / on (connector) group_left sum(x_total offset 1h) > 3 * ignoring(task) y and z")).containsExactly(
                "truthline_violations_total", "x_total", "y", "z");
        assertThat(PromqlNames.of("max(truthline_dedupe_window_entries / truthline_dedupe_window_max_entries) > 0.9"))
                .containsExactly("truthline_dedupe_window_entries", "truthline_dedupe_window_max_entries");
        assertThat(PromqlNames.of("histogram_quantile(0.99, sum by (le) (rate(a_bucket[$__rate_interval])))"))
                .containsExactly("a_bucket");
        assertThat(PromqlNames.of("vector(0.995)")).isEmpty();
    }
}
