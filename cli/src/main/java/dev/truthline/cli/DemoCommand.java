package dev.truthline.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The reference pipeline on this machine: embedded PostgreSQL with logical decoding, a KRaft cluster and
 * a distributed Connect worker (each in its own JVM, the main classes of Kafka's start scripts), the
 * connector files POSTed through the REST API, order changes written to PostgreSQL, and the truth
 * report read back from the stores. Exit code 0 when the accounting equation balances.
 *
 * <p>The demo runs in a JVM of its own on the demo module's class path ({@code demo/target/truthline-demo.jar} and
 * {@code demo/target/lib/}), so the command line itself never loads Iceberg, Hadoop or PostgreSQL: this class
 * turns the options into the demo's settings and passes its output and exit code through.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the orders pipeline — PostgreSQL -> Debezium -> Kafka -> Iceberg bronze/silver, JDBC "
                + "warehouse, quarantine, DLQ — on this machine, drives order changes through it and prints the truth "
                + "report: every event captured is in silver, the quarantine, the DLQ, or dropped as a duplicate.",
                "Writes <work-dir>/truth-report.json and the audit of the run (audit-report.json, audit-report.html). "
                        + "Exit code 0 when the audit explains every event, the equation balances and the workload's "
                        + "checks agree with the audit."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--changes", defaultValue = "100000", description = "Order changes to write (default ${DEFAULT-VALUE}).")
    int changes;

    @Option(names = "--rate", defaultValue = "1000",
            description = "Changes per second (default ${DEFAULT-VALUE}); 0 writes as fast as PostgreSQL takes them. Above "
                    + "what the pipeline moves on the machine (on two cores some 600-900 a second, docs/sizing.md) a "
                    + "backlog grows, and latency then measures it.")
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

    @Option(names = "--kill-after-rewind", description = "Kill the Connect worker hard right after the last source "
            + "rewind, with the source stopped and silver idle: the copies' originals were judged by the dead task, so "
            + "silver's new task catches the copies only by rebuilding its window from the log.")
    boolean killAfterRewind;

    @Option(names = "--brokers", defaultValue = "1", paramLabel = "N",
            description = "Nodes of the demo's own Kafka cluster (KRaft, each a broker and a controller, up to 5); from "
                    + "3 on every topic has 3 replicas and min.insync.replicas 2 (default ${DEFAULT-VALUE}).")
    int brokers;

    @Option(names = "--kill-broker", description = "Kill one Kafka node hard (SIGKILL) a quarter into the workload — "
            + "the leader of change-topic partitions, the active controller where it leads one — and start it again on "
            + "the same ports and log directory while the workload goes on; nothing is judged before it is back in the "
            + "ISR of every partition. Needs --brokers 3 or more.")
    boolean killBroker;

    @Option(names = "--keep-running", description = "Leave everything running after the report; Ctrl-C stops it.")
    boolean keepRunning;

    @Option(names = "--observe", description = "Watch the run as on-call would: the worker with the Prometheus "
            + "JMX-exporter agent and the OpenLineage extension, and a Prometheus evaluating the alert rules "
            + "(short windows) where the prometheus program is installed; the report says which alerts fired "
            + "and checks every lineage event against the OpenLineage spec.")
    boolean observe;

    @Option(names = "--prometheus", paramLabel = "PROGRAM",
            description = "The prometheus program for --observe (default: found on the PATH).")
    Path prometheus;

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

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "A TRUTHLINE_* value for the connector files' $${env:…} references.")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--plugin-path", paramLabel = "DIR", split = ",", description = "The worker's plugin.path (default: the build's).")
    List<Path> pluginPath;

    @Option(names = "--kafka-libs", paramLabel = "DIR", description = "The broker's and worker's jars (default: the build's).")
    Path kafkaLibs;

    @Spec
    CommandSpec spec;

    /** The demo's main class, started in a child JVM. */
    static final String DEMO_MAIN = "dev.truthline.demo.DemoMain";
    /** The variable that carries --pg-password to the child (not its command line); DemoSettings.PG_PASSWORD_ENV. */
    static final String PG_PASSWORD_ENV = "TRUTHLINE_DEMO_PG_PASSWORD";

    /** The repository the command runs from: bin/truthline sets it. */
    static Path home() {
        return ChildJvm.home();
    }

    /** The demo's class path in a build of this repository. */
    static String demoClassPath(Path home) {
        return ChildJvm.classPath(home, "demo", "truthline-demo.jar");
    }

    /** The options as the demo's {@code name=value} settings: only those given or defaulted by an option. */
    List<String> settingsArguments() {
        List<String> a = new ArrayList<>();
        a.add("changes=" + changes);
        a.add("rate=" + rate);
        a.add("invalidShare=" + invalidShare);
        a.add("duplicateShare=" + duplicateShare);
        a.add("seed=" + seed);
        a.add("killWorker=" + killWorker);
        a.add("killAfterRewind=" + killAfterRewind);
        a.add("brokers=" + brokers);
        a.add("killBroker=" + killBroker);
        a.add("keepRunning=" + keepRunning);
        a.add("observe=" + observe);
        if (prometheus != null) {
            a.add("prometheus=" + prometheus.toAbsolutePath());
        }
        a.add("pgUser=" + pgUser);
        if (connectors != null) {
            a.add("connectors=" + connectors);
        }
        if (workDir != null) {
            a.add("workDir=" + workDir);
        }
        if (pluginPath != null) {
            a.add("pluginPath=" + pluginPath.stream().map(Path::toString).collect(Collectors.joining(",")));
        }
        if (kafkaLibs != null) {
            a.add("kafkaLibs=" + kafkaLibs);
        }
        if (pgUrl != null) {
            a.add("pgUrl=" + pgUrl);
        }
        if (bootstrapServers != null) {
            a.add("bootstrapServers=" + bootstrapServers);
        }
        if (connectUrl != null) {
            a.add("connectUrl=" + connectUrl);
        }
        env.forEach((k, v) -> a.add("env." + k + "=" + v));
        return a;
    }

    @Override
    public Integer call() throws Exception {
        return ChildJvm.runModule("demo", "demo", DEMO_MAIN, settingsArguments(), Map.of(PG_PASSWORD_ENV, pgPassword),
                spec.commandLine());
    }
}
