package dev.truthline.cli.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.truthline.cli.CliRun;
import dev.truthline.connect.contract.ContractRule;
import dev.truthline.connect.contract.OdcsCompiler;
import dev.truthline.connect.contract.OdcsParser;

/**
 * {@code truthline contracts alerts}. ODCS v3.1 docs/data-quality.md, "Library": nullValues, missingValues and
 * invalidValues count values; {@code unit: rows # rows (default) or percent}; the operator table:
 * {@code mustBeLessThan} is {@code <}, {@code mustBeLessOrEqualTo} is {@code ≤}. An alert fires when the comparison
 * the contract demands does not hold: {@code >=} the limit for {@code <}, {@code >} it for {@code ≤}.
 */
class AlertsCommandTest {

    private static final Path OPS = Path.of(System.getProperty("truthline.home", "..")).resolve("ops/prometheus");
    private static final Path EXAMPLE = OPS.resolve("examples/orders-slo.odcs.yaml");

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("c.odcs.yaml"), """
                apiVersion: v3.1.0
                kind: DataContract
                id: shop
                version: 2.0.0
                status: active
                schema:
                  - name: orders
                    properties:
                """ + text.indent(6));
    }

    /** The example in ops/prometheus, which promtool checks and unit-tests there, is exactly what the command writes. */
    @Test
    void theOpsExampleIsTheCommandsOutput() throws IOException {
        CliRun run = CliRun.of("contracts", "alerts", EXAMPLE.toString(), "--connector", "orders-sink",
                "--transformation", "validate");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo(Files.readString(OPS.resolve("examples/orders-slo-alerts.yaml")));
        assertThat(run.err()).isEqualTo("not an alert (neither a threshold nor a record-level check): rowCount on "
                + "orders (schema[0].quality[0]): counts all the records\n");
    }

    /** The rule labels are the names ValidateContract counts the threshold checks under (contract.thresholds=alert). */
    @Test
    void ruleNamesAreTheWarningsValidateContractCounts() {
        List<String> warnings = OdcsCompiler.compile(OdcsParser.read(EXAMPLE).contract(), null).withThresholdsAsWarnings()
                .rules().stream().filter(ContractRule::warning).map(ContractRule::name).toList();
        assertThat(warnings).containsExactly("status:status_valid", "customer.email:missingValues",
                "customer.email:missingValues#2", "coupon:nullValues");
        String out = CliRun.of("contracts", "alerts", EXAMPLE.toString(), "--connector", "c").out();
        assertThat(out).contains("rule=\"status:status_valid\"}",
                "rule=~\"customer\\\\.email:missingValues|customer\\\\.email:missingValues#2\"}",
                "rule=\"coupon:nullValues\"}");
    }

    @Test
    void percentAndCountThresholdsExactly() throws IOException {
        Path contract = write("""
                - name: status
                  quality:
                    - metric: invalidValues
                      arguments: {validValues: [a, b]}
                      mustBeLessOrEqualTo: 2.50
                      unit: percent
                - name: note
                  quality:
                    - {metric: nullValues, mustBeLessThan: 20}
                """);
        CliRun run = CliRun.of("contracts", "alerts", contract.toString(), "--connector", "shop-sink", "--for", "5m",
                "--window", "1h");
        assertThat(run.exit()).as(run.toString()).isZero();
        List<String> exprs = run.out().lines().filter(l -> l.startsWith("          ")).toList();
        assertThat(exprs).containsExactly(
                "          100 * sum by (connector, transformation) (increase(truthline_violations_total{"
                        + "connector=\"shop-sink\", rule=\"status:invalidValues\"}[1h]))",
                "            / (sum by (connector, transformation) (increase(truthline_records_valid_total{"
                        + "connector=\"shop-sink\"}[1h]))",
                "               + sum by (connector, transformation) (increase(truthline_records_invalid_total{"
                        + "connector=\"shop-sink\"}[1h])))",
                "            > 2.5",
                "          severity: critical",
                "          rule: \"status:invalidValues\"",
                "          contract: \"shop@2.0.0\"",
                "          summary: \"{{ $labels.connector }}: invalidValues of status at {{ $value | humanize }} % over "
                        + "1h, the contract allows at most 2.5 % (rule status:invalidValues)\"",
                "          description: \"shop 2.0.0, schema[0].properties[0].quality[0]: invalidValues "
                        + "mustBeLessOrEqualTo 2.5 percent\"",
                "          runbook: \"Read the dq.warnings and dq.violations headers of recent records naming "
                        + "status:invalidValues (they pass, tagged): a producer change, or a threshold the data no "
                        + "longer meets?\"",
                "          runbook_url: \"https://github.com/truthline/truthline/blob/main/docs/operations.md"
                        + "#truthlinecontractthresholdbreached\"",
                // rows is the default unit
                "          sum by (connector, transformation) (increase(truthline_violations_total{"
                        + "connector=\"shop-sink\", rule=\"note:nullValues\"}[1h])) >= 20",
                "          severity: critical",
                "          rule: \"note:nullValues\"",
                "          contract: \"shop@2.0.0\"",
                "          summary: \"{{ $labels.connector }}: nullValues of note at {{ $value | humanize }} rows over "
                        + "1h, the contract allows fewer than 20 rows (rule note:nullValues)\"",
                "          description: \"shop 2.0.0, schema[0].properties[1].quality[0]: nullValues mustBeLessThan "
                        + "20 rows\"",
                "          runbook: \"Read the dq.warnings and dq.violations headers of recent records naming "
                        + "note:nullValues (they pass, tagged): a producer change, or a threshold the data no longer "
                        + "meets?\"",
                "          runbook_url: \"https://github.com/truthline/truthline/blob/main/docs/operations.md"
                        + "#truthlinecontractthresholdbreached\"");
        assertThat(run.out()).contains("        for: 5m\n").doesNotContain("for: 10m");
    }

    /** A zero threshold is checked record by record (an error), and mustBeBetween is no limit to stay under. */
    @Test
    void noThresholdNoRules() throws IOException {
        Path contract = write("""
                - name: status
                  quality:
                    - {metric: nullValues, mustBe: 0}
                    - {metric: nullValues, mustBeBetween: [0, 10]}
                """);
        CliRun run = CliRun.of("contracts", "alerts", contract.toString(), "--connector", "c");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).endsWith(contract + ": no threshold to alert on (nullValues, missingValues or "
                + "invalidValues with mustBeLessThan or mustBeLessOrEqualTo above zero, in rows or percent)\n");
    }

    @Test
    void aDurationPrometheusWouldRefuseIsRefused() {
        CliRun run = CliRun.of("contracts", "alerts", EXAMPLE.toString(), "--connector", "c", "--for", "10 minutes");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("--for 10 minutes: not a Prometheus duration (e.g. 90s, 10m, 1h30m)\n");
    }

    @Test
    void writesTheFileWithOutput() throws IOException {
        Path file = dir.resolve("rules.yaml");
        CliRun run = CliRun.of("contracts", "alerts", EXAMPLE.toString(), "--connector", "orders-sink",
                "--transformation", "validate", "-o", file.toString());
        assertThat(run.exit()).isZero();
        assertThat(Files.readString(file)).isEqualTo(Files.readString(OPS.resolve("examples/orders-slo-alerts.yaml")));
    }
}
