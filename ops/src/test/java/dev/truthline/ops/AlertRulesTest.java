package dev.truthline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** The alert rules, checked and unit-tested by Prometheus's own {@code promtool}. */
class AlertRulesTest {

    static final Path OPS = Path.of(System.getProperty("truthline.ops.dir", ".")).toAbsolutePath();
    static final Path RULES = OPS.resolve("prometheus/truthline-alerts.yaml");
    static final Path RULE_TESTS = OPS.resolve("prometheus/tests/truthline-alerts.test.yaml");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void promtoolChecksTheRulesClean() throws Exception {
        Path promtool = PrometheusTools.require("promtool");
        PrometheusTools.Run run = PrometheusTools.run(OPS, List.of(promtool.toString(), "check", "rules", RULES.toString()));
        assertThat(run.exitCode()).as(run.output()).isZero();
        // promtool prints warnings (e.g. duplicate rules) without failing: there must be none.
        assertThat(run.output()).contains("SUCCESS").doesNotContainIgnoringCase("warning");
    }

    @Test
    void promtoolUnitTestsPass() throws Exception {
        Path promtool = PrometheusTools.require("promtool");
        PrometheusTools.Run run = PrometheusTools.run(RULE_TESTS.getParent(),
                List.of(promtool.toString(), "test", "rules", RULE_TESTS.getFileName().toString()));
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS");
    }

    /** promtool does not know which alerts a test file leaves out: every alert needs a case that fires. */
    @Test
    void everyAlertHasAUnitTestThatFiresIt() throws Exception {
        Set<String> alerts = alertNames();
        Set<String> fired = new TreeSet<>();
        for (JsonNode test : YAML.readTree(RULE_TESTS.toFile()).path("tests")) {
            for (JsonNode c : test.path("alert_rule_test")) {
                if (!c.path("exp_alerts").isEmpty()) {
                    fired.add(c.path("alertname").asText());
                }
            }
        }
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(10);
        assertThat(fired).as("alerts with a firing unit test").containsExactlyInAnyOrderElementsOf(alerts);
    }

    /** Every alert tells the on-call engineer what to do first, and where the full runbook is. */
    @Test
    void everyAlertHasARunbookLineAndLink() throws Exception {
        for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                assertThat(rule.path("annotations").path("runbook").asText()).as(alert).isNotBlank();
                assertThat(rule.path("annotations").path("runbook_url").asText()).as(alert)
                        .endsWith("docs/operations.md#" + alert.toLowerCase());
                assertThat(rule.path("labels").path("severity").asText()).as(alert).isIn("warning", "critical");
            }
        }
    }

    static Set<String> alertNames() throws Exception {
        Set<String> names = new TreeSet<>();
        for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                names.add(rule.path("alert").asText());
            }
        }
        return names;
    }

    /** The metric names an expression reads. */
    static Set<String> metricNames(String expr) {
        return PromqlNames.of(expr);
    }

    /** The metric names every alert expression reads, by alert. */
    static Map<String, Set<String>> alertMetricNames() throws Exception {
        Map<String, Set<String>> byAlert = new java.util.TreeMap<>();
        for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                byAlert.put(rule.path("alert").asText(), metricNames(rule.path("expr").asText()));
            }
        }
        return byAlert;
    }
}
