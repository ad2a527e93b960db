package dev.truthline.cli.contracts;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.google.re2j.Pattern;

import dev.truthline.connect.contract.ContractRules;
import dev.truthline.connect.contract.InvalidContractException;
import dev.truthline.connect.contract.OdcsCompiler;
import dev.truthline.connect.contract.OdcsDocument;
import dev.truthline.connect.contract.UnsupportedRule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code truthline contracts alerts FILE.odcs.yaml --connector NAME}: the contract's thresholds ("fewer than 5 %
 * invalid") as Prometheus alert rules over the violation counters ValidateContract publishes for them with
 * {@code contract.thresholds=alert}.
 */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = "Turns the thresholds of an ODCS v3 contract - nullValues, missingValues and invalidValues "
                + "quality rules with mustBeLessThan or mustBeLessOrEqualTo above zero, in rows or percent - into a "
                + "Prometheus rules file (one group, one alert per threshold) over truthline_violations_total and "
                + "truthline_records_*_total as ops/prometheus/jmx-exporter.yaml names them. Rows and percent are "
                + "counted over a sliding --window. The connector's ValidateContract needs contract.thresholds=alert, "
                + "which counts those rules record by record as warnings. Quality rules that are neither a "
                + "threshold nor checked record by record are listed on stderr.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the rules file was written",
                "1:the contract is invalid, or has no threshold to alert on",
                "2:the file could not be read or written, or an option is invalid"})
final class AlertsCommand implements Callable<Integer> {

    /** A Prometheus duration: 90s, 10m, 1h30m. */
    private static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");

    @Parameters(paramLabel = "FILE", description = "The ODCS v3 contract (.odcs.yaml).")
    Path file;

    @Option(names = "--connector", required = true, description = "The connector whose ValidateContract enforces it.")
    String connector;

    @Option(names = "--transformation", description = "The ValidateContract's alias in transforms=; "
            + "default: every transformation of the connector.")
    String transformation;

    @Option(names = "--schema", description = "The schema object, as contract.schema; needed when there are several.")
    String schema;

    @Option(names = "--for", defaultValue = "10m", description = "How long a breach lasts before the alert fires "
            + "(default: ${DEFAULT-VALUE}).")
    String pendingFor;

    @Option(names = "--window", defaultValue = "10m", description = "The sliding window the counts are taken over "
            + "(default: ${DEFAULT-VALUE}).")
    String window;

    @Option(names = {"-o", "--output"}, description = "Write the rules file here instead of to stdout.")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (String[] option : new String[][] {{"--for", pendingFor}, {"--window", window}}) {
            if (!DURATION.matches(option[1])) {
                err.printf("%s %s: not a Prometheus duration (e.g. 90s, 10m, 1h30m)%n", option[0], option[1]);
                return ContractsCommand.NOT_JUDGED;
            }
        }
        ContractRules rules;
        try {
            OdcsDocument document = OdcsContractFormat.parse(ContractsCommand.read(file), "");
            rules = OdcsCompiler.compile(document.contract(), schema);
        } catch (IOException e) {
            err.printf("%s: cannot read it: %s%n", file, e.getMessage());
            return ContractsCommand.NOT_JUDGED;
        } catch (ContractException.Invalid e) {
            err.printf("%s: invalid: %s%n", file, e.getMessage());
            return ContractsCommand.BROKEN;
        } catch (InvalidContractException e) {
            err.printf("%s: %s%n", file, e.getMessage());
            return ContractsCommand.BROKEN;
        }
        ContractRules counted = rules.withThresholdsAsWarnings();
        for (UnsupportedRule left : counted.unsupported()) {
            err.printf("not an alert (neither a threshold nor a record-level check): %s%n", left.describe());
        }
        if (rules.thresholds().isEmpty()) {
            err.printf("%s: no threshold to alert on (nullValues, missingValues or invalidValues with mustBeLessThan "
                    + "or mustBeLessOrEqualTo above zero, in rows or percent)%n", file);
            return ContractsCommand.BROKEN;
        }
        String yaml = new ContractAlerts(connector, transformation, window, pendingFor).rulesFile(rules);
        if (output == null) {
            out.print(yaml);
            out.flush();
            return 0;
        }
        try {
            Files.writeString(output, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.printf("%s: cannot write it: %s%n", output, e.getMessage());
            return ContractsCommand.NOT_JUDGED;
        }
        err.printf("%s: %d alert rules for connector %s%n", output, rules.thresholds().size(), connector);
        return 0;
    }
}
