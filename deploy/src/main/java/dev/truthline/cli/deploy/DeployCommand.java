package dev.truthline.cli.deploy;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

import dev.truthline.cli.connector.ConnectorConfig;
import dev.truthline.cli.connector.ConnectorFiles;
import dev.truthline.cli.connector.InvalidConnectorFileException;
import dev.truthline.cli.deploy.ConnectClient.ConfigError;
import dev.truthline.cli.deploy.ConnectClient.ConnectException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code truthline deploy}: validates every connector through Connect's own validate endpoint and,
 * only when all pass, creates or updates each with an idempotent {@code PUT /connectors/{name}/config}.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Validates connector configs through a Connect worker's REST API, then creates or updates each "
                + "connector (nothing is changed when any config is rejected). Prints created, updated (with the "
                + "changed keys) or unchanged for each.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every connector deployed (or, with --dry-run, validated)",
                "1:a config was rejected, or Connect failed a call", "2:a file could not be read or the command line is wrong"})
public final class DeployCommand implements Callable<Integer> {

    @Option(names = "--connect-url", required = true, description = "The Connect REST API, e.g. http://localhost:8083.")
    URI connectUrl;

    @Option(names = "--dry-run", description = "Validate and show what would change, without changing anything.")
    boolean dryRun;

    @Option(names = "--timeout", defaultValue = "PT30S",
            description = "How long one REST call may take, retries while the workers rebalance included (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Parameters(paramLabel = "CONFIG", arity = "1..*",
            description = "Connector JSON files ({\"name\":…,\"config\":{…}} or a flat config map; without a name key, the file name without .json names the connector) or folders of *.json files.")
    List<Path> configs = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ConnectorConfig> connectors;
        try {
            ConnectorFiles.Loaded loaded = ConnectorFiles.read(configs);
            if (!loaded.unreadable().isEmpty()) {
                // Deploy all or nothing: a folder with a file that cannot be read deploys none of it.
                loaded.unreadable().forEach(e -> err.println("truthline deploy: " + e.getMessage()));
                return 2;
            }
            connectors = loaded.connectors();
        } catch (InvalidConnectorFileException e) {
            err.println("truthline deploy: " + e.getMessage());
            return 2;
        }
        ConnectClient connect = new ConnectClient(connectUrl, timeout);
        try {
            // Validate all first: a rejected config leaves every connector as it was.
            int rejected = 0;
            for (ConnectorConfig c : connectors) {
                List<ConfigError> errors = connect.validate(c.connectorClass(), desired(c));
                if (!errors.isEmpty()) {
                    rejected++;
                    out.printf("rejected %s (%s): %d error%s%n", c.name(), c.file(), errors.size(), errors.size() == 1 ? "" : "s");
                    for (ConfigError e : errors) {
                        out.printf("  %s: %s%n", e.key(), e.message());
                    }
                }
            }
            if (rejected > 0) {
                out.printf("nothing deployed: %d of %d connector%s rejected by Connect's validation%n", rejected,
                        connectors.size(), connectors.size() == 1 ? "" : "s");
                return 1;
            }
            for (ConnectorConfig c : connectors) {
                apply(connect, c, out);
            }
            return 0;
        } catch (IOException e) {
            err.println("truthline deploy: cannot reach Connect at " + connectUrl + ": " + e);
            return 1;
        } catch (ConnectException e) {
            err.println("truthline deploy: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private void apply(ConnectClient connect, ConnectorConfig c, PrintWriter out) throws IOException, ConnectException {
        Map<String, String> desired = desired(c);
        Map<String, String> current = connect.config(c.name());
        String would = dryRun ? "would " : "";
        if (current == null) {
            if (!dryRun) {
                connect.putConfig(c.name(), desired);
            }
            out.printf("%s%s %s (%d keys)%n", would, dryRun ? "create" : "created", c.name(), desired.size());
            return;
        }
        Diff diff = Diff.of(current, desired);
        if (diff.isEmpty()) {
            out.printf("unchanged %s%n", c.name());
            return;
        }
        if (!dryRun) {
            connect.putConfig(c.name(), desired);
        }
        // Keys only: values may be credentials.
        out.printf("%s%s %s (%s)%n", would, dryRun ? "update" : "updated", c.name(), diff);
    }

    /** The config as Connect stores it: with its name. */
    private static Map<String, String> desired(ConnectorConfig c) {
        Map<String, String> config = new LinkedHashMap<>(c.config());
        config.put("name", c.name());
        return config;
    }

    /** The keys in which two configurations differ. */
    record Diff(List<String> changed, List<String> added, List<String> removed) {

        static Diff of(Map<String, String> current, Map<String, String> desired) {
            List<String> changed = new ArrayList<>();
            List<String> added = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            desired.forEach((key, value) -> {
                if (!current.containsKey(key)) {
                    added.add(key);
                } else if (!Objects.equals(current.get(key), value)) {
                    changed.add(key);
                }
            });
            current.keySet().stream().filter(k -> !desired.containsKey(k)).forEach(removed::add);
            return new Diff(changed, added, removed);
        }

        boolean isEmpty() {
            return changed.isEmpty() && added.isEmpty() && removed.isEmpty();
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            if (!changed.isEmpty()) {
                parts.add("changed: " + String.join(", ", changed));
            }
            if (!added.isEmpty()) {
                parts.add("added: " + String.join(", ", added));
            }
            if (!removed.isEmpty()) {
                parts.add("removed: " + String.join(", ", removed));
            }
            return String.join("; ", parts);
        }
    }
}
