package dev.truthline.cli.lint;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.truthline.cli.connector.ConnectorConfig;
import dev.truthline.cli.connector.ConnectorFiles;
import dev.truthline.cli.connector.InvalidConnectorFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code truthline lint}: connector configs against the durability rules a reviewer would enforce. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = "Checks connector configs (JSON files, or folders of them) against durability rules: silent loss, "
                + "replication, acks, compression, plain-text secrets, Truthline SMT configuration and order.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no error-severity finding",
                "1:at least one error-severity finding (a file in a folder that cannot be read is one, TL015)",
                "2:a file named on the command line could not be read, or the command line is wrong"})
public final class LintCommand implements Callable<Integer> {

    public enum Format { TABLE, JSON }

    @Parameters(paramLabel = "CONFIG", arity = "0..*",
            description = "Connector JSON files ({\"name\":…,\"config\":{…}} or a flat config map; without a name key, "
                    + "the file name without .json names the connector) or folders of *.json files.")
    List<Path> configs = new ArrayList<>();

    @Option(names = "--profile", defaultValue = "production",
            description = "Thresholds: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}). local allows replication 1 "
                    + "and makes hygiene rules warnings.")
    Profile profile;

    @Option(names = "--format", defaultValue = "table", description = "Output: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--list-rules", description = "Print the rules (id, what, usual fix) and exit.")
    boolean listRules;

    @Spec
    CommandSpec spec;

    /** Every finding for the connectors, connector by connector, rules in id order. */
    public static List<Finding> lint(List<ConnectorConfig> connectors, Profile profile) {
        List<Finding> findings = new ArrayList<>();
        for (ConnectorConfig connector : connectors) {
            for (LintRule rule : LintRules.ALL) {
                rule.check(connector, profile, findings);
            }
        }
        return findings;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (listRules) {
            printRules(out);
            return 0;
        }
        if (configs.isEmpty()) {
            spec.commandLine().getErr().println("truthline lint: name at least one connector JSON file or folder");
            return 2;
        }
        ConnectorFiles.Loaded loaded;
        try {
            loaded = ConnectorFiles.read(configs);
        } catch (InvalidConnectorFileException e) {
            spec.commandLine().getErr().println("truthline lint: " + e.getMessage());
            return 2;
        }
        List<Finding> findings = new ArrayList<>();
        for (InvalidConnectorFileException unreadable : loaded.unreadable()) {
            findings.add(LintRules.UNREADABLE_FILE.finding(unreadable));
        }
        findings.addAll(lint(loaded.connectors(), profile));
        if (format == Format.JSON) {
            printJson(out, loaded, findings);
        } else {
            printTable(out, loaded, findings);
        }
        out.flush();
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR) ? 1 : 0;
    }

    private void printRules(PrintWriter out) {
        List<LintRule> rules = new ArrayList<>(LintRules.ALL);
        rules.add(LintRules.UNREADABLE_FILE);
        for (LintRule rule : rules) {
            out.printf("%s  %s%n       fix: %s%n", rule.id, rule.title, rule.fix);
        }
    }

    private void printTable(PrintWriter out, ConnectorFiles.Loaded loaded, List<Finding> findings) {
        int connectorWidth = "CONNECTOR".length();
        int keyWidth = "KEY".length();
        for (Finding f : findings) {
            connectorWidth = Math.max(connectorWidth, f.connector().length());
            keyWidth = Math.max(keyWidth, f.key().length());
        }
        String row = "%-8s  %-5s  %-" + connectorWidth + "s  %-" + keyWidth + "s  %s%n";
        if (!findings.isEmpty()) {
            out.printf(row, "SEVERITY", "RULE", "CONNECTOR", "KEY", "MESSAGE");
        }
        String indent = " ".repeat(8 + 2 + 5 + 2 + connectorWidth + 2 + keyWidth + 2);
        for (Finding f : findings) {
            out.printf(row, f.severity().label(), f.rule(), f.connector(), f.key(), f.message());
            out.printf("%sfix: %s%n", indent, f.fix());
        }
        for (Path skipped : loaded.skipped()) {
            out.printf("skipped %s: no connector.class%n", skipped);
        }
        for (ConnectorConfig c : loaded.connectors()) {
            if (c.nameFromFile()) {
                out.printf("named %s after its file %s: the config has no name key (the name of PUT /connectors/{name}/config)%n",
                        c.name(), c.file());
            }
        }
        long errors = count(findings, Severity.ERROR);
        long warnings = count(findings, Severity.WARNING);
        int connectors = loaded.connectors().size();
        out.printf("%s, %s in %s (profile %s)%n", plural(errors, "error"), plural(warnings, "warning"),
                plural(connectors, "connector"), profile.name().toLowerCase(Locale.ROOT));
    }

    private void printJson(PrintWriter out, ConnectorFiles.Loaded loaded, List<Finding> findings) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("profile", profile.name().toLowerCase(Locale.ROOT));
        ArrayNode connectors = root.putArray("connectors");
        loaded.connectors().forEach(c -> connectors.addObject().put("name", c.name())
                .put("name_from", c.nameFromFile() ? "file name" : "config").put("file", c.file().toString()));
        ArrayNode skipped = root.putArray("skipped");
        loaded.skipped().forEach(p -> skipped.add(p.toString()));
        root.put("errors", count(findings, Severity.ERROR));
        root.put("warnings", count(findings, Severity.WARNING));
        ArrayNode array = root.putArray("findings");
        for (Finding f : findings) {
            array.addObject()
                    .put("rule", f.rule())
                    .put("severity", f.severity().label())
                    .put("connector", f.connector())
                    .put("file", f.file().toString())
                    .put("key", f.key())
                    .put("message", f.message())
                    .put("fix", f.fix());
        }
        out.println(root.toPrettyString());
    }

    private static long count(List<Finding> findings, Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
