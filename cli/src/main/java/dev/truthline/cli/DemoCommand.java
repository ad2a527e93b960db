package dev.truthline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.truthline.demo.DemoPipeline;
import dev.truthline.demo.DemoSettings;
import dev.truthline.demo.TruthReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The reference pipeline on this machine: embedded PostgreSQL with logical decoding, a KRaft broker and
 * a distributed Connect worker (each in its own JVM, the main classes of Kafka's start scripts), the
 * connector files POSTed through the REST API, order changes written to PostgreSQL, and the truth
 * report read back from the stores. Exit code 0 when the accounting equation balances.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the orders pipeline — PostgreSQL -> Debezium -> Kafka -> Iceberg bronze/silver, JDBC "
                + "warehouse, quarantine, DLQ — on this machine, drives order changes through it and prints the truth "
                + "report: every event captured is in silver, the quarantine, the DLQ, or dropped as a duplicate.",
                "Writes <work-dir>/truth-report.json. Exit code 0 when the equation balances."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--changes", defaultValue = "100000", description = "Order changes to write (default ${DEFAULT-VALUE}).")
    int changes;

    @Option(names = "--rate", defaultValue = "1000",
            description = "Changes per second, a steady stream the pipeline keeps up with on two cores; 0 writes as fast "
                    + "as PostgreSQL takes them, and latency then measures the backlog (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--invalid-share", defaultValue = "0.05",
            description = "Share of changes that break the orders contract (default ${DEFAULT-VALUE}).")
    double invalidShare;

    @Option(names = "--duplicate-share", defaultValue = "0.03",
            description = "Share of changes Debezium is made to emit again, by rewinding the source's committed "
                    + "offsets through the REST API (default ${DEFAULT-VALUE}).")
    double duplicateShare;

    @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--kill-worker", description = "Kill the Connect worker hard (SIGKILL) halfway and start it again.")
    boolean killWorker;

    @Option(names = "--keep-running", description = "Leave everything running after the report; Ctrl-C stops it.")
    boolean keepRunning;

    @Option(names = "--connectors", paramLabel = "DIR",
            description = "Folder of connector files, topics.json and the table DDL (default: connector-configs/orders).")
    Path connectors;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Data, logs and truth-report.json (default: target/demo).")
    Path workDir;

    @Option(names = "--pg-url", paramLabel = "JDBC_URL",
            description = "Use this PostgreSQL (wal_level=logical) instead of the embedded one: jdbc:postgresql://host:port/db.")
    String pgUrl;

    @Option(names = "--pg-user", defaultValue = "postgres", description = "PostgreSQL user (default ${DEFAULT-VALUE}).")
    String pgUser;

    @Option(names = "--pg-password", defaultValue = "postgres", description = "PostgreSQL password.")
    String pgPassword;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Use this Kafka cluster instead of the forked broker.")
    String bootstrapServers;

    @Option(names = "--connect-url", paramLabel = "URL",
            description = "Use this Connect cluster (needs --bootstrap-servers; its workers need config.providers=env "
                    + "and the TRUTHLINE_* variables).")
    String connectUrl;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "A TRUTHLINE_* value for the connector files' ${env:…} references.")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--plugin-path", paramLabel = "DIR", split = ",", description = "The worker's plugin.path (default: the build's).")
    List<Path> pluginPath;

    @Option(names = "--kafka-libs", paramLabel = "DIR", description = "The broker's and worker's jars (default: the build's).")
    Path kafkaLibs;

    @Spec
    CommandSpec spec;

    /** The repository the command runs from: bin/truthline sets it. */
    static Path home() {
        return Path.of(System.getProperty("truthline.home", ".")).toAbsolutePath().normalize();
    }

    /** The run's settings: the options over the build's defaults. */
    DemoSettings settings() {
        DemoSettings s = DemoSettings.forRepository(home());
        s.changes = changes;
        s.rate = rate;
        s.invalidShare = invalidShare;
        s.duplicateShare = duplicateShare;
        s.seed = seed;
        s.killWorker = killWorker;
        s.keepRunning = keepRunning;
        s.connectors = connectors != null ? connectors : s.connectors;
        s.workDir = workDir != null ? workDir : s.workDir;
        s.pluginPath = pluginPath != null ? pluginPath : s.pluginPath;
        s.kafkaLibs = kafkaLibs != null ? kafkaLibs : s.kafkaLibs;
        s.pgUrl = pgUrl;
        s.pgUser = pgUser;
        s.pgPassword = pgPassword;
        s.bootstrapServers = bootstrapServers;
        s.connectUrl = connectUrl;
        s.env.putAll(env);
        s.check();
        return s;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DemoSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("truthline demo: " + e.getMessage());
            return 2;
        }
        out.printf("Truthline demo: the orders pipeline on this machine%n  connector files: %s%n  work directory: %s%n",
                settings.connectors, settings.workDir.toAbsolutePath());
        out.flush();
        DemoPipeline pipeline = new DemoPipeline(settings, out);
        try {
            TruthReport report = pipeline.run();
            if (settings.keepRunning) {
                pipeline.awaitShutdown();
            }
            return report.equation().balanced() ? 0 : 1;
        } finally {
            if (!settings.keepRunning) {
                pipeline.close();
            }
        }
    }
}
