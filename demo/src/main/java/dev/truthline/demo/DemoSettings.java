package dev.truthline.demo;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a demo run is asked to do, and where its pieces are. Defaults are the command line's. */
public final class DemoSettings {

    /** Order changes to write. */
    public int changes = 100_000;
    /** Changes per second (0: as fast as PostgreSQL takes them). */
    public int rate = 1000;
    /** Changes per transaction. */
    public int batch = 50;
    /** Share of changes that break the orders contract. */
    public double invalidShare = 0.05;
    /** Share of change events Debezium is made to emit a second time (source rewinds). */
    public double duplicateShare = 0.03;
    /** How many rewinds produce the duplicates. */
    public int rewinds = 2;
    public long seed = 42;
    /** Kill the Connect worker hard mid-stream and start it again. */
    public boolean killWorker;
    /**
     * Kill the Connect worker hard at the last rewind: with the source stopped and silver idle, so every original
     * of the copies the rewind brings has been judged by the task that dies, and the new task can catch the copies
     * only by rebuilding its window from the log.
     */
    public boolean killAfterRewind;
    /**
     * Nodes of the forked KRaft cluster (each broker and controller). From three on, every topic has three replicas
     * and {@code min.insync.replicas} 2, so one node may be lost without losing an acknowledged record.
     */
    public int brokers = 1;
    /**
     * Kill one Kafka node hard (SIGKILL) mid-stream — the leader of change-topic partitions, the active controller
     * where it leads one — and start it again on the same ports and log directory (needs three brokers).
     */
    public boolean killBroker;
    /** Leave everything running after the report (until Ctrl-C). */
    public boolean keepRunning;
    /**
     * Run the worker as an operator would watch it: the JMX-exporter agent, the OpenLineage extension, and a
     * Prometheus evaluating the alert rules where the program is installed.
     */
    public boolean observe;
    /** The prometheus program (default: found on the PATH). */
    public Path prometheus;
    /** The JMX-exporter Java agent jar. */
    public Path exporterAgent;
    /**
     * JVM options of the demo's own Kafka nodes and Connect worker beside their heap and logging (a test's JIT and
     * collector).
     */
    public List<String> forkedJvmOptions = List.of();
    /** Seconds between progress lines. */
    public int progressSeconds = 5;
    /** Longest wait for the sinks to catch up after the workload, in seconds. */
    public int settleTimeoutSeconds = 300;

    /** Where the run keeps its data, logs and truth-report.json. */
    public Path workDir;
    /** The folder of connector files, topics.json and the table DDL. */
    public Path connectors;
    /** The worker's plugin.path entries. */
    public List<Path> pluginPath = List.of();
    /** The broker's and worker's class path folder (a Kafka distribution's libs/). */
    public Path kafkaLibs;

    /** An existing PostgreSQL instead of the embedded one. */
    public String pgUrl;
    public String pgUser = "postgres";
    public String pgPassword = "postgres";
    /** An existing Kafka cluster instead of the forked broker. */
    public String bootstrapServers;
    /** An existing Connect cluster instead of the forked worker (needs bootstrapServers). */
    public String connectUrl;
    /** Extra or overriding TRUTHLINE_* environment values for the connector files. */
    public Map<String, String> env = new LinkedHashMap<>();

    /**
     * Where a build of this repository puts the demo's pieces: plugin.path from demo/target/plugins (the Truthline
     * component archive and the Debezium archives, unpacked) and iceberg-plugin/target/plugins (the Iceberg sink), the
     * broker's and worker's jars in demo-kafka/target/libs, the connector files in connector-configs/orders/, the work
     * directory target/demo/.
     */
    public static DemoSettings forRepository(Path root) {
        DemoSettings s = new DemoSettings();
        s.workDir = root.resolve("target/demo");
        s.connectors = defaultConnectors(root);
        s.pluginPath = List.of(root.resolve("demo/target/plugins"), root.resolve("iceberg-plugin/target/plugins"));
        s.kafkaLibs = root.resolve("demo-kafka/target/libs");
        s.exporterAgent = root.resolve("demo/target/agent/jmx_prometheus_javaagent.jar");
        return s;
    }

    /** The reference pipeline's files: the same ones the tests and production use. */
    public static Path defaultConnectors(Path root) {
        return root.resolve("connector-configs/orders");
    }

    /** The environment variable that carries {@code pgPassword} to a demo JVM (never its command line). */
    public static final String PG_PASSWORD_ENV = "TRUTHLINE_DEMO_PG_PASSWORD";

    /**
     * The settings of a demo JVM started by the command line: {@code name=value} arguments named after this
     * class's fields over {@link #forRepository}'s defaults ({@code pluginPath} comma-separated,
     * {@code env.NAME=VALUE} for each environment value); {@code pgPassword} from {@code environment}.
     */
    public static DemoSettings fromArguments(Path root, List<String> arguments, Map<String, String> environment) {
        DemoSettings s = forRepository(root);
        for (String argument : arguments) {
            int eq = argument.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("not name=value: " + argument);
            }
            String name = argument.substring(0, eq);
            String value = argument.substring(eq + 1);
            if (name.startsWith("env.")) {
                s.env.put(name.substring("env.".length()), value);
                continue;
            }
            switch (name) {
                case "changes" -> s.changes = Integer.parseInt(value);
                case "rate" -> s.rate = Integer.parseInt(value);
                case "invalidShare" -> s.invalidShare = Double.parseDouble(value);
                case "duplicateShare" -> s.duplicateShare = Double.parseDouble(value);
                case "seed" -> s.seed = Long.parseLong(value);
                case "killWorker" -> s.killWorker = Boolean.parseBoolean(value);
                case "killAfterRewind" -> s.killAfterRewind = Boolean.parseBoolean(value);
                case "brokers" -> s.brokers = Integer.parseInt(value);
                case "killBroker" -> s.killBroker = Boolean.parseBoolean(value);
                case "keepRunning" -> s.keepRunning = Boolean.parseBoolean(value);
                case "observe" -> s.observe = Boolean.parseBoolean(value);
                case "prometheus" -> s.prometheus = Path.of(value);
                case "connectors" -> s.connectors = Path.of(value);
                case "workDir" -> s.workDir = Path.of(value);
                case "pluginPath" -> s.pluginPath = java.util.Arrays.stream(value.split(",")).map(Path::of).toList();
                case "kafkaLibs" -> s.kafkaLibs = Path.of(value);
                case "pgUrl" -> s.pgUrl = value;
                case "pgUser" -> s.pgUser = value;
                case "bootstrapServers" -> s.bootstrapServers = value;
                case "connectUrl" -> s.connectUrl = value;
                default -> throw new IllegalArgumentException("unknown demo setting " + name);
            }
        }
        s.pgPassword = environment.getOrDefault(PG_PASSWORD_ENV, s.pgPassword);
        return s;
    }

    /** Fails on settings that do not go together. */
    public void check() {
        if (changes < 0 || rate < 0 || batch < 1 || rewinds < 0) {
            throw new IllegalArgumentException("--changes, --rate must be >= 0, the batch >= 1");
        }
        if (invalidShare < 0 || invalidShare > 1 || duplicateShare < 0 || duplicateShare > 0.5) {
            throw new IllegalArgumentException("--invalid-share must be within [0, 1] and --duplicate-share within [0, 0.5]");
        }
        if (connectUrl != null && bootstrapServers == null) {
            throw new IllegalArgumentException("--connect-url needs --bootstrap-servers (the cluster its worker uses)");
        }
        if (killWorker && connectUrl != null) {
            throw new IllegalArgumentException("--kill-worker needs the demo's own Connect worker (no --connect-url)");
        }
        if (killAfterRewind && connectUrl != null) {
            throw new IllegalArgumentException("--kill-after-rewind needs the demo's own Connect worker (no --connect-url)");
        }
        if (killAfterRewind && duplicateShare == 0) {
            throw new IllegalArgumentException("--kill-after-rewind needs rewinds: --duplicate-share above 0");
        }
        if (brokers < 1 || brokers > 5) {
            throw new IllegalArgumentException("--brokers must be within [1, 5] (each is a JVM on this machine)");
        }
        if (brokers > 1 && bootstrapServers != null) {
            throw new IllegalArgumentException("--brokers sizes the demo's own Kafka cluster (no --bootstrap-servers)");
        }
        if (killBroker && bootstrapServers != null) {
            throw new IllegalArgumentException("--kill-broker needs the demo's own Kafka cluster (no --bootstrap-servers)");
        }
        if (killBroker && brokers < 3) {
            throw new IllegalArgumentException("--kill-broker needs --brokers 3 or more: with fewer, the controllers "
                    + "left have no majority and a topic's replicas no second copy");
        }
        if (observe && connectUrl != null) {
            throw new IllegalArgumentException("--observe needs the demo's own Connect worker (no --connect-url): it "
                    + "starts that worker with the exporter agent and the lineage extension");
        }
        if (workDir == null || connectors == null) {
            throw new IllegalArgumentException("the work directory and the connector folder must be set");
        }
        if (connectUrl == null && (kafkaLibs == null || pluginPath.isEmpty())) {
            throw new IllegalArgumentException("the Kafka libs folder and plugin.path must be set");
        }
    }
}
