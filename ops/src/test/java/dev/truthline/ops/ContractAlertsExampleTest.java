package dev.truthline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The rules {@code truthline contracts alerts} generates, as in {@code prometheus/examples/orders-slo-alerts.yaml}
 * (the cli's AlertsCommandTest keeps that file equal to the command's output): clean for {@code promtool check
 * rules}, and {@code promtool test rules} fires each threshold's alert from series the exporter would produce.
 */
class ContractAlertsExampleTest {

    static final Path RULES = AlertRulesTest.OPS.resolve("prometheus/examples/orders-slo-alerts.yaml");
    static final Path RULE_TESTS = AlertRulesTest.OPS.resolve("prometheus/tests/orders-slo-alerts.test.yaml");

    @Test
    void promtoolChecksTheGeneratedRulesClean() throws Exception {
        Path promtool = PrometheusTools.require("promtool");
        PrometheusTools.Run run = PrometheusTools.run(AlertRulesTest.OPS,
                List.of(promtool.toString(), "check", "rules", RULES.toString()));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: 3 rules found").doesNotContainIgnoringCase("warning");
    }

    @Test
    void promtoolUnitTestsOfTheGeneratedRulesPass() throws Exception {
        Path promtool = PrometheusTools.require("promtool");
        PrometheusTools.Run run = PrometheusTools.run(RULE_TESTS.getParent(),
                List.of(promtool.toString(), "test", "rules", RULE_TESTS.getFileName().toString()));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");
    }

    /** Both a percent and a count threshold fire in the unit tests; the third (0.17 % of 0.5 %) stays silent. */
    @Test
    void theUnitTestsFireAPercentAndACountThreshold() throws Exception {
        Set<String> fired = new TreeSet<>();
        for (JsonNode test : AlertRulesTest.YAML.readTree(RULE_TESTS.toFile()).path("tests")) {
            for (JsonNode c : test.path("alert_rule_test")) {
                for (JsonNode alert : c.path("exp_alerts")) {
                    fired.add(alert.path("exp_labels").path("rule").asText());
                }
            }
        }
        assertThat(fired).containsExactly("customer.email:missingValues", "status:status_valid");
    }

    /** The generated rules read only series the exporter configuration produces. */
    @Test
    void theGeneratedRulesReadExporterSeries() throws Exception {
        Set<String> names = new TreeSet<>();
        for (JsonNode group : AlertRulesTest.YAML.readTree(RULES.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                names.addAll(AlertRulesTest.metricNames(rule.path("expr").asText()));
            }
        }
        assertThat(names).containsExactly("truthline_records_invalid_total", "truthline_records_valid_total",
                "truthline_violations_total");
    }
}
