package dev.truthline.demo;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.ClassicGroupDescription;
import org.apache.kafka.common.ClassicGroupState;

import com.fasterxml.jackson.databind.JsonNode;

import dev.truthline.connect.harness.ConnectRest;
import dev.truthline.connect.harness.ForkedConnectWorker;
import dev.truthline.connect.harness.Folders;
import dev.truthline.connect.harness.ForkedJvm;
import dev.truthline.connect.harness.KafkaCluster;
import dev.truthline.connect.harness.Waits;
import dev.truthline.connect.harness.WorkerSettings;
import dev.truthline.demo.PipelineFiles.Connector;

/**
 * The pipeline's processes and stores: PostgreSQL, a KRaft cluster (one node or more) and a distributed Connect
 * worker (each forked, or the user's own), the topics, the Iceberg catalog, and the connectors from a folder of
 * pipeline files. What the workload driver, the settling and the report reader work on; it runs the connectors the way
 * an operator would (restart a failed task, kill and restart the worker or a Kafka node) and stops everything on close.
 */
final class PipelineRuntime implements AutoCloseable {

    static final String DEDUPE_RECORDS = "records-total";
    /** The demo worker's group. */
    static final String WORKER_GROUP = "truthline-demo";

    private final DemoSettings settings;
    private final Console console;
    private final Path work;
    private Map<String, String> env;
    private PipelineFiles files;
    private Database database;
    private KafkaCluster kafka;
    private ForkedConnectWorker worker;
    private ConnectRest rest;
    private Topics topics;
    private IcebergTables iceberg;
    private String bootstrapServers;
    private Observation observation;

    PipelineRuntime(DemoSettings settings, Console console) {
        this.settings = settings;
        this.console = console;
        this.work = settings.workDir.toAbsolutePath();
    }

    /** PostgreSQL, broker, worker, topics, table and connectors; returns once every connector runs. */
    void start() throws Exception {
        Files.createDirectories(work);
        stopLeftovers();
        for (String stale : List.of("kafka", "connect", "iceberg-warehouse", "postgres/data", "truth-report.json")) {
            Folders.deleteRecursively(work.resolve(stale));
        }
        Path log4j = work.resolve("log4j2.properties");
        Files.writeString(log4j, LOG4J);

        console.step("PostgreSQL");
        database = settings.pgUrl == null ? Database.embedded(work.resolve("postgres"))
                : Database.external(settings.pgUrl, settings.pgUser, settings.pgPassword);
        console.done(database.embeddedServer() ? "embedded, port " + database.port() : database.jdbcUrl(database.sourceDb()));

        if (settings.bootstrapServers == null) {
            console.step(settings.brokers == 1 ? "Kafka broker (KRaft)" : "Kafka cluster (KRaft, " + settings.brokers
                    + " nodes)");
            kafka = KafkaCluster.start(settings.brokers, ForkedJvm.folderClassPath(settings.kafkaLibs),
                    work.resolve("kafka"), log4j, settings.forkedJvmOptions);
            for (KafkaCluster.Node node : kafka.nodes()) {
                remember(node.jvm());
            }
            bootstrapServers = kafka.bootstrapServers();
            console.done(bootstrapServers + ", pid " + kafka.nodes().stream().map(n -> String.valueOf(n.jvm().pid()))
                    .collect(Collectors.joining(", ")) + (settings.brokers >= 3 ? "; replication "
                    + KafkaCluster.replicationFactor(settings.brokers) + ", min.insync.replicas "
                    + KafkaCluster.minInsyncReplicas(settings.brokers) : ""));
        } else {
            bootstrapServers = settings.bootstrapServers;
        }
        Map<String, String> values = new TreeMap<>(settings.env);
        if (!values.containsKey(DemoKeys.TOKEN_KEYSET)) {
            console.step("token keyset (truthline keys create --method token)");
            values.put(DemoKeys.TOKEN_KEYSET, DemoKeys.createTokenKeyset(tokenKeysetFile()));
            console.done(tokenKeysetFile() + ", owner read/write only");
        }
        env = DemoEnvironment.of(database, bootstrapServers, work, kafka == null ? 1 : kafka.size(), values);
        files = PipelineFiles.load(settings.connectors, env);
        Set<String> missing = new TreeSet<>(files.envReferences());
        missing.removeAll(env.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("The connector files use environment values the demo does not set: "
                    + missing + "; give them with --env NAME=VALUE");
        }

        console.step("orders table");
        try (Connection c = database.source(); Statement s = c.createStatement()) {
            s.execute(files.ddl());
        }
        console.done(files.dir().toString());

        topics = new Topics(bootstrapServers);
        console.step("topics");
        List<String> created = topics.create(files.topics());
        console.done(created.isEmpty() ? "all present" : String.join(", ", created));

        if (settings.connectUrl == null) {
            console.step("Connect worker");
            String pluginPath = settings.pluginPath.stream().map(p -> p.toAbsolutePath().toString())
                    .collect(Collectors.joining(","));
            Map<String, String> props = workerProperties(bootstrapServers, pluginPath,
                    kafka == null ? 1 : KafkaCluster.replicationFactor(kafka.size()));
            List<String> jvmOptions = new ArrayList<>(List.of("-Xmx1g", "-Dlog4j2.configurationFile=" + log4j));
            jvmOptions.addAll(settings.forkedJvmOptions);
            if (settings.observe) {
                observation = new Observation(settings, console, work);
                props.putAll(observation.workerProperties());
                jvmOptions.addAll(observation.workerJvmOptions());
            }
            worker = ForkedConnectWorker.start(ForkedJvm.folderClassPath(settings.kafkaLibs), work.resolve("connect"),
                    props, jvmOptions, env);
            rest = worker.rest();
            remember(worker.jvm());
            console.done(rest.url() + ", log " + worker.log());
            if (observation != null) {
                observation.workerStarted();
            }
        } else {
            rest = new ConnectRest(URI.create(settings.connectUrl));
            if (!rest.answers()) {
                throw new IllegalStateException("No Connect REST API at " + settings.connectUrl);
            }
            // The user's workers resolve the connector files' ${env:…} references from their own environment.
            console.printf("  the Connect workers at %s need config.providers=env and these values:%n", settings.connectUrl);
            files.envReferences().forEach(name -> console.printf("    %s=%s%n", name,
                    name.equals(DemoKeys.TOKEN_KEYSET) ? "\"$(cat " + tokenKeysetFile() + ")\""
                            : name.contains("PASSWORD") ? "****" : env.get(name)));
        }
        // The catalog's own tables exist before the Iceberg sinks start: their tasks would race to create them.
        String catalogName = files.silver().config().getOrDefault("iceberg.catalog", "iceberg");
        iceberg = new IcebergTables(catalogName, PipelineFiles.catalogProperties(files.silver(), env));
        deployConnectors();
    }

    /**
     * The demo worker: the project's settings with its storage topics at the cluster's replication, JSON converters,
     * the env config provider, fast failure detection.
     */
    static Map<String, String> workerProperties(String bootstrapServers, String pluginPath, int replication) {
        Map<String, String> p = new TreeMap<>(WorkerSettings.forGroup(WORKER_GROUP));
        for (String topic : List.of("config", "offset", "status")) {
            p.put(topic + ".storage.replication.factor", String.valueOf(replication));
        }
        p.put("bootstrap.servers", bootstrapServers);
        p.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("plugin.path", pluginPath);
        p.put("config.providers", "env");
        p.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        p.put("rest.extension.classes", WorkerSettings.REST_EXTENSION);
        p.put("connector.client.config.override.policy", "All");
        // A worker killed hard is noticed within 10 s and its tasks move 5 s later (default: 5 minutes).
        p.put("session.timeout.ms", "10000");
        p.put("heartbeat.interval.ms", "2000");
        // The same for the sink tasks' consumers (default 45 s): a killed worker's consumers leave their groups
        // before the new worker's tasks join, or the groups wait for them.
        p.put("consumer.session.timeout.ms", "10000");
        p.put("consumer.heartbeat.interval.ms", "2000");
        // An Iceberg sink task takes longer than the default 5 s to close; one that has not closed still holds its
        // transforms' metrics, and its successor on this worker then fails to register them.
        p.put("task.shutdown.graceful.timeout.ms", "30000");
        return p;
    }

    private void deployConnectors() throws Exception {
        // Sinks first, so they read from the start; the source last.
        List<Connector> order = new ArrayList<>(files.connectors());
        order.sort(Comparator.comparing(c -> c.connectorClass().equals(PipelineFiles.POSTGRES_SOURCE)));
        for (Connector c : order) {
            console.step("connector " + c.name());
            Map<String, String> config = new LinkedHashMap<>(c.config());
            if (c.connectorClass().equals(PipelineFiles.POSTGRES_SOURCE) && settings.duplicateShare > 0) {
                // Keep every change in the replication slot, so a rewound source streams changes again (the
                // way duplicates arise after a crash that lost offset commits). A demo override, said in the report.
                config.put("lsn.flush.mode", "manual");
            }
            Map<String, String> errors = rest.validate(c.name(), config);
            if (!errors.isEmpty()) {
                throw new IllegalStateException("Connect rejects " + c.file() + ": " + errors);
            }
            rest.putConfig(c.name(), config);
            console.done("validated and created");
        }
        console.step("connectors running");
        for (Connector c : order) {
            awaitRunning(c.name());
        }
        awaitSlotActive();
        console.done(order.size() + " connectors");
        if (settings.duplicateShare > 0) {
            console.note("demo override: lsn.flush.mode=manual on " + files.source().name()
                    + " (the slot keeps every change, so rewinding the source's offsets re-emits changes)");
        }
    }

    void awaitRunning(String name) throws InterruptedException {
        Waits.until(() -> {
            JsonNode status = rest.status(name);
            String failure = ConnectRest.failure(status);
            if (failure != null) {
                throw new Waits.Hopeless(name + " " + failure);
            }
            return ConnectRest.running(status, ConnectRest.ANY_TASKS);
        }, Duration.ofSeconds(120), 500, () -> name + " did not reach RUNNING" + logHint());
    }

    /** Debezium has started streaming once its replication slot has a reader. */
    private void awaitSlotActive() throws InterruptedException {
        String slot = PipelineFiles.resolve(files.source().config().getOrDefault("slot.name", "debezium"), env);
        Waits.until(() -> {
            try (Connection c = database.source();
                    PreparedStatement s = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
                s.setString(1, slot);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        }, Duration.ofSeconds(60), 250, () -> "Debezium did not start streaming from slot " + slot + logHint());
    }

    /** Restarts the failed tasks of every connector through the REST API; each restart is a note in the report. */
    void restartFailedTasks() throws Exception {
        for (Connector c : files.connectors()) {
            JsonNode status = rest.status(c.name());
            if (status == null) {
                continue;
            }
            for (JsonNode task : status.path("tasks")) {
                if (task.path("state").asText().equals("FAILED")) {
                    String trace = task.path("trace").asText();
                    String cause = trace.lines().filter(l -> l.startsWith("Caused by")).reduce((a, b) -> b)
                            .orElse(trace.lines().findFirst().orElse(""));
                    console.note(String.format("task %s-%s FAILED (%s) and was restarted through the REST API", c.name(),
                            task.path("id").asText(), cause));
                    rest.expect("POST", "connectors/" + ConnectRest.segment(c.name()) + "/tasks/"
                            + task.path("id").asText() + "/restart", null);
                    console.printf("  restarted failed task %s-%s: %s%n", c.name(), task.path("id").asText(), cause);
                }
            }
        }
    }

    /**
     * SIGKILL to the worker mid-stream and at once a new worker JVM with the same settings (its start overlaps the
     * dead worker's session timeout); once the worker group and the sinks' consumer groups have dropped every member
     * of the dead worker (their sessions timed out) and the new worker is the worker group's stable member, every
     * connector runs again.
     */
    void killAndRestartWorker() throws Exception {
        killAndRestartWorker(Set.of());
    }

    /** The same, for a moment when the connectors named {@code stopped} are STOPPED (they stay so). */
    void killAndRestartWorker(Set<String> stopped) throws Exception {
        List<String> groups = new ArrayList<>(List.of(WORKER_GROUP));
        files.sinks().forEach(c -> groups.add(c.consumerGroup()));
        Set<String> dead = Topics.members(topics.classicGroups(groups));
        worker.killHard();
        worker.restart();
        remember(worker.jvm());
        Waits.until(() -> {
            Map<String, ClassicGroupDescription> now = topics.classicGroups(groups);
            ClassicGroupDescription workers = now.get(WORKER_GROUP);
            return Topics.members(now).stream().noneMatch(dead::contains) && workers != null
                    && workers.state() == ClassicGroupState.STABLE && !workers.members().isEmpty();
        }, Duration.ofSeconds(90), 250, () -> "the groups " + groups + " did not drop the killed worker's members, or "
                + "the new worker did not join " + WORKER_GROUP + logHint());
        for (Connector c : files.connectors()) {
            if (!stopped.contains(c.name())) {
                awaitRunning(c.name());
            }
        }
    }

    /** A Kafka node killed hard: its id and what it was when it died. */
    record KilledBroker(int node, String role) {
    }

    /**
     * SIGKILL to one Kafka node: the one leading the most partitions of the change topic, the active controller
     * among equals (killing it forces a leader election in the quorum as well as in the partitions).
     */
    KilledBroker killBroker() throws Exception {
        String topic = files.changeTopic();
        Map<Integer, Integer> leaders = kafka.leaders(topic);
        int controller = kafka.activeController();
        Map<Integer, List<Integer>> led = new TreeMap<>();
        leaders.forEach((partition, node) -> {
            if (node >= 0) {
                led.computeIfAbsent(node, n -> new ArrayList<>()).add(partition);
            }
        });
        int node = led.keySet().stream().max(Comparator.<Integer>comparingInt(n -> led.get(n).size())
                .thenComparing(n -> n == controller)).orElse(controller);
        String role = (led.containsKey(node) ? "leader of " + topic + " partitions " + led.get(node) : "no leader of "
                + topic) + (node == controller ? ", the active controller" : "");
        kafka.killHard(node);
        return new KilledBroker(node, role);
    }

    /**
     * After {@link #killBroker}: waits until the cluster has fenced the node (its partitions led by others), starts it
     * again on the same ports and log directory, and waits until it is back in the ISR of every partition; returns
     * how many partitions that is.
     */
    int restartBroker(KilledBroker killed, Runnable fenced) throws Exception {
        kafka.awaitFenced(killed.node(), Duration.ofSeconds(60));
        fenced.run();
        kafka.restart(killed.node());
        remember(kafka.node(killed.node()).jvm());
        return kafka.awaitInSync(Duration.ofSeconds(180));
    }

    /**
     * The sum of the named counters of every Deduplicate transform of a connector over its tasks, over JMX from
     * the demo's worker; null without one.
     */
    Long dedupeCounter(Connector connector, List<String> counters) throws Exception {
        if (worker == null) {
            return null;
        }
        long total = 0;
        for (String alias : connector.transformsOfType(PipelineFiles.DEDUPLICATE)) {
            for (String counter : counters) {
                total += sum("kafka.connect:type=plugins,connector=" + connector.name() + ",task=*,transformation="
                        + alias, counter);
            }
        }
        return total;
    }

    /**
     * The one check that a sink connector has read every record of {@code topic}: each partition of the topic reports a
     * consumer {@code records-lag} of 0 (the fetch manager's, per partition, measured from the consumers' positions to
     * the end of the log; unlike the tasks' read counters it does not start again when a task restarts from its
     * committed offsets). False until each partition reports one, and on the user's Connect cluster (no JMX).
     */
    boolean sinkHasReadAll(Connector connector, String topic) throws Exception {
        if (worker == null) {
            return false;
        }
        int partitions = topics.admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .size();
        Map<String, Map<String, Double>> lags = worker.metrics("kafka.consumer:type=consumer-fetch-manager-metrics,"
                + "client-id=connector-consumer-" + connector.name() + "-*,topic=" + topic + ",partition=*",
                List.of("records-lag"));
        return lags.size() >= partitions && lags.values().stream().allMatch(v -> v.get("records-lag") == 0.0);
    }

    /** The sum of one numeric attribute over every MBean of the demo's worker matching {@code pattern}; NaN counts 0. */
    long sum(String pattern, String attribute) throws Exception {
        long total = 0;
        for (Map<String, Double> values : worker.metrics(pattern, List.of(attribute)).values()) {
            Double v = values.get(attribute);
            total += v == null || v.isNaN() ? 0 : v.longValue();
        }
        return total;
    }

    /** Rows in the warehouse table now; null when the pipeline has no warehouse sink. */
    Long warehouseRows() throws Exception {
        if (files.warehouse().isEmpty()) {
            return null;
        }
        Connector warehouse = files.warehouse().get();
        String table = PipelineFiles.resolve(warehouse.config().getOrDefault("collection.name.format",
                warehouse.config().getOrDefault("table.name.format", "orders")), env);
        return database.rows(Database.WAREHOUSE_DB, table);
    }

    /**
     * Runs the warehouse DDL (the holds table, the stale-row view) once the current table exists, and counts the rows
     * each of its views marks {@code stale}: view → count. Empty without a warehouse sink, its DDL or its table.
     */
    Map<String, Long> warehouseViewsStale() throws Exception {
        Map<String, Long> stale = new LinkedHashMap<>();
        String ddl = files.warehouseDdl();
        if (files.warehouse().isEmpty() || ddl.isBlank() || warehouseRows() == 0) {
            return stale;
        }
        try (Connection c = database.connect(Database.WAREHOUSE_DB); Statement s = c.createStatement()) {
            s.execute(ddl);
            for (String view : files.warehouseViews()) {
                try (java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM " + Database.quoted(view)
                        + " WHERE stale")) {
                    rs.next();
                    stale.put(view, rs.getLong(1));
                }
            }
        }
        return stale;
    }

    /** Rows in an Iceberg sink's table, from its current snapshot's summary (cheap: for progress). */
    long icebergRowsNow(Connector sink) {
        return iceberg.currentRows(PipelineFiles.icebergTable(sink, env));
    }

    /** Where the demo keeps the token keyset it creates at start. */
    Path tokenKeysetFile() {
        return work.resolve("keys").resolve("orders-token.json");
    }

    DemoSettings settings() {
        return settings;
    }

    Map<String, String> env() {
        return env;
    }

    PipelineFiles files() {
        return files;
    }

    Database database() {
        return database;
    }

    Topics topics() {
        return topics;
    }

    IcebergTables iceberg() {
        return iceberg;
    }

    ConnectRest rest() {
        return rest;
    }

    /** What {@code --observe} set up; null without it. */
    Observation observation() {
        return observation;
    }

    /** The demo's own worker; null on the user's Connect cluster. */
    ForkedConnectWorker worker() {
        return worker;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    String logHint() {
        return worker == null ? "" : "; see " + worker.log();
    }

    @Override
    public void close() throws Exception {
        if (iceberg != null) {
            iceberg.close();
        }
        if (topics != null) {
            topics.close();
        }
        if (observation != null) {
            observation.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (database != null) {
            database.close();
        }
    }

    /** Notes a forked JVM in {@code <work>/pids}, so a run whose own JVM was killed leaves nothing for long. */
    private synchronized void remember(ForkedJvm jvm) throws IOException {
        Files.writeString(work.resolve("pids"), jvm.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Stops the broker and worker JVMs an earlier run in this work directory left behind (its own JVM was killed
     * before its shutdown hook ran): only processes listed in {@code <work>/pids} whose command line names this
     * work directory.
     */
    private void stopLeftovers() throws IOException {
        Path pids = work.resolve("pids");
        if (!Files.exists(pids)) {
            return;
        }
        for (String line : Files.readAllLines(pids)) {
            if (line.isBlank()) {
                continue;
            }
            ProcessHandle.of(Long.parseLong(line.trim())).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains(work.toString())).orElse(false))
                    .ifPresent(p -> {
                        console.printf("  stopping pid %d, left running by an earlier demo in %s%n", p.pid(), work);
                        p.destroyForcibly();
                    });
        }
        Files.delete(pids);
    }

    /** The forked JVMs' logging: Kafka's and Connect's INFO lines into their log files. */
    static final String LOG4J = """
            status = warn
            appender.console.type = Console
            appender.console.name = console
            appender.console.layout.type = PatternLayout
            appender.console.layout.pattern = [%d] %p %m (%c)%n
            rootLogger.level = INFO
            rootLogger.appenderRef.console.ref = console
            logger.reflections.name = org.reflections
            logger.reflections.level = ERROR
            logger.kafka.name = kafka
            logger.kafka.level = WARN
            logger.kafkaserver.name = org.apache.kafka
            logger.kafkaserver.level = WARN
            logger.connect.name = org.apache.kafka.connect
            logger.connect.level = INFO
            logger.clients.name = org.apache.kafka.clients
            logger.clients.level = WARN
            """;
}
