package dev.truthline.connect.it;

import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A Connect cluster the way a platform engineer runs one, for the tests: one KRaft broker, distributed
 * workers whose {@code plugin.path} holds the packaged Truthline plugin (unpacked from its component
 * archive) beside the official Debezium plugin archives, the Truthline REST extension enabled, and
 * optionally a real PostgreSQL server with logical decoding.
 *
 * <p>Workers come in two kinds. In-process workers are Connect's own {@link EmbeddedConnectCluster};
 * forked workers run {@code ConnectDistributed} — the main class of Kafka's {@code connect-distributed.sh}
 * — in a JVM of their own, joined to the same group, so a test can kill one with SIGKILL: no task
 * shutdown, no offset commit, what a crashed machine does.
 *
 * <p>No Truthline class is on the test class path ({@link #assertTruthlineOnlyOnPluginPath}); the tests
 * name the plugins by class name and talk to the workers over REST and JMX.
 */
final class TruthlineCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TruthlineCluster.class);

    static final String VALIDATE_VALUE = "dev.truthline.connect.validation.ValidateContract$Value";
    static final String VALIDATE_KEY = "dev.truthline.connect.validation.ValidateContract$Key";
    static final String DEDUPLICATE = "dev.truthline.connect.dedupe.Deduplicate";
    static final String REST_EXTENSION = "dev.truthline.connect.rest.TruthlineConfigValidation";
    static final String JDBC_SINK = "io.debezium.connector.jdbc.JdbcSinkConnector";
    static final String POSTGRES_SOURCE = "io.debezium.connector.postgresql.PostgresConnector";

    static final Path PLUGIN_PATH = Path.of(System.getProperty("truthline.plugin.path", "target/plugins"))
            .toAbsolutePath();
    static final String VERSION = System.getProperty("truthline.version", "0.1.0-SNAPSHOT");
    static final ObjectMapper JSON = new ObjectMapper();
    static final long TIMEOUT_MS = 90_000;

    private final String name;
    private final Map<String, String> workerProps;
    private final EmbeddedConnectCluster connect;
    private final List<ForkedWorker> forked = new ArrayList<>();
    private EmbeddedPostgres postgres;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private TruthlineCluster(String name, int workers, Map<String, String> extraWorkerProps) {
        this.name = name;
        Map<String, String> props = new HashMap<>();
        props.put("plugin.path", PLUGIN_PATH.toString());
        // Every plugin here — Truthline, Debezium, the test sink — carries META-INF/services manifests.
        props.put("plugin.discovery", "service_load");
        props.put("rest.extension.classes", REST_EXTENSION);
        // Named, so forked workers can join the same group.
        props.put("group.id", "truthline-it-" + name);
        props.put("config.storage.topic", "truthline-it-" + name + "-configs");
        props.put("offset.storage.topic", "truthline-it-" + name + "-offsets");
        props.put("status.storage.topic", "truthline-it-" + name + "-status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("offset.flush.interval.ms", "1000");
        // A worker that vanishes gets its tasks reassigned after 5 s rather than the default 5 minutes.
        props.put("scheduled.rebalance.max.delay.ms", "5000");
        props.putAll(extraWorkerProps);
        this.workerProps = props;
        Properties brokerProps = new Properties();
        brokerProps.put("group.initial.rebalance.delay.ms", "0");
        brokerProps.put("auto.create.topics.enable", "false");
        this.connect = new EmbeddedConnectCluster.Builder()
                .name(name)
                .numWorkers(workers)
                .numBrokers(1)
                .workerProps(new HashMap<>(props))
                .brokerProps(brokerProps)
                .build();
    }

    /** Starts a broker and {@code workers} in-process workers. */
    static TruthlineCluster start(String name, int workers) throws Exception {
        return start(name, workers, Map.of());
    }

    static TruthlineCluster start(String name, int workers, Map<String, String> extraWorkerProps) throws Exception {
        assertTruthlineOnlyOnPluginPath();
        Files.createDirectories(tmp());
        TruthlineCluster cluster = new TruthlineCluster(name, workers, extraWorkerProps);
        long start = System.nanoTime();
        cluster.connect.start();
        cluster.connect.assertions().assertExactlyNumWorkersAreUp(workers, "The Connect workers did not start");
        log.info("Broker and {} Connect workers up in {} ms", workers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return cluster;
    }

    /** The tests prove the packaged plugin works: its classes must not leak in through the test class path. */
    static void assertTruthlineOnlyOnPluginPath() {
        for (String className : List.of(VALIDATE_VALUE, DEDUPLICATE, REST_EXTENSION)) {
            assertThatThrownBy(() -> Class.forName(className))
                    .as("%s must come from plugin.path only, not the test class path", className)
                    .isInstanceOf(ClassNotFoundException.class);
        }
        assertThat(PLUGIN_PATH.resolve("debezium-connector-postgres")).isDirectory();
        assertThat(PLUGIN_PATH.resolve("debezium-connector-jdbc")).isDirectory();
        try (var folders = Files.list(PLUGIN_PATH)) {
            assertThat(folders.map(p -> p.getFileName().toString()))
                    .as("the Truthline plugin folder under %s", PLUGIN_PATH)
                    .anyMatch(n -> n.contains("truthline"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path tmp() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    EmbeddedConnectCluster connect() {
        return connect;
    }

    String bootstrapServers() {
        return connect.kafka().bootstrapServers();
    }

    // ---------------------------------------------------------------------------------------------
    // PostgreSQL

    /** A real PostgreSQL server with logical decoding, data under target/. */
    EmbeddedPostgres startPostgres() throws IOException {
        long start = System.nanoTime();
        postgres = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(tmp().resolve("embedded-pg").toFile())
                .setDataDirectory(tmp().resolve("embedded-pg-data-" + name))
                .setCleanDataDirectory(true)
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_senders", "4")
                .setServerConfig("max_replication_slots", "4")
                .start();
        log.info("PostgreSQL up on port {} in {} ms", postgres.getPort(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return postgres;
    }

    EmbeddedPostgres postgres() {
        return postgres;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    void sql(String... statements) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    Connection sqlConnection() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    // ---------------------------------------------------------------------------------------------
    // Forked workers

    /** Starts a worker in its own JVM, joined to this cluster's group; returns once its REST API answers. */
    ForkedWorker startForkedWorker() throws Exception {
        int restPort = freePort();
        int jmxPort = freePort();
        Map<String, String> props = new LinkedHashMap<>(workerProps);
        props.put("bootstrap.servers", bootstrapServers());
        props.put("listeners", "http://localhost:" + restPort);
        props.putIfAbsent("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.putIfAbsent("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        Path dir = tmp().resolve("forked-" + name + "-" + restPort);
        Files.createDirectories(dir);
        Path propsFile = dir.resolve("worker.properties");
        Properties p = new Properties();
        p.putAll(props);
        try (var out = Files.newBufferedWriter(propsFile)) {
            p.store(out, "forked worker of " + name);
        }
        Path logFile = dir.resolve("worker.log");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Djava.io.tmpdir=" + dir,
                "-Dcom.sun.management.jmxremote.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false",
                "-Djava.rmi.server.hostname=localhost",
                "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.connect.cli.ConnectDistributed", propsFile.toString());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        ForkedWorker worker = new ForkedWorker(process, URI.create("http://localhost:" + restPort + "/"), jmxPort, logFile);
        forked.add(worker);
        waitForCondition(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("The forked worker exited with " + process.exitValue() + "; see " + logFile);
            }
            return worker.answers(http);
        }, TIMEOUT_MS, () -> "The forked worker's REST API did not answer; see " + logFile);
        log.info("Forked worker up at {} (JMX port {}), log {}", worker.url(), jmxPort, logFile);
        return worker;
    }

    /** A worker in a JVM of its own. */
    static final class ForkedWorker {
        private final Process process;
        private final URI url;
        private final int jmxPort;
        private final Path log;
        private JMXConnector jmx;

        ForkedWorker(Process process, URI url, int jmxPort, Path log) {
            this.process = process;
            this.url = url;
            this.jmxPort = jmxPort;
            this.log = log;
        }

        URI url() {
            return url;
        }

        String workerId() {
            return url.getHost() + ":" + url.getPort();
        }

        Path log() {
            return log;
        }

        boolean alive() {
            return process.isAlive();
        }

        boolean answers(HttpClient http) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET()
                        .build(), HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** SIGKILL: the JVM ends at once, tasks neither stop nor commit. */
        void killHard() throws InterruptedException {
            closeJmx();
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("The forked worker did not die");
            }
        }

        synchronized MBeanServerConnection jmx() throws IOException {
            if (jmx == null) {
                jmx = JMXConnectorFactory.connect(new JMXServiceURL(
                        "service:jmx:rmi:///jndi/rmi://localhost:" + jmxPort + "/jmxrmi"));
            }
            return jmx.getMBeanServerConnection();
        }

        synchronized void closeJmx() {
            if (jmx != null) {
                try {
                    jmx.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
                jmx = null;
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // REST

    /** A REST call to the cluster (the first in-process worker); returns status and parsed body. */
    Rest rest(String method, String path, Object body) throws IOException, InterruptedException {
        URI base = connect.workers().stream().findFirst().map(WorkerHandle::url)
                .orElseGet(() -> forked.get(0).url());
        return rest(base, method, path, body);
    }

    Rest rest(URI base, String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Accept", "application/json");
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        HttpResponse<String> response = http.send(request.method(method, publisher).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body() == null || response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        return new Rest(response.statusCode(), json, response.body());
    }

    record Rest(int status, JsonNode json, String body) {
    }

    /** Creates or updates a connector; fails the test when the REST API refuses it. */
    void putConnector(String connector, Map<String, String> config) throws IOException, InterruptedException {
        Rest response = rest("PUT", "connectors/" + connector + "/config", config);
        assertThat(response.status()).as("PUT connectors/%s/config: %s", connector, response.body()).isIn(200, 201);
    }

    void awaitRunning(String connector, int tasks) throws InterruptedException {
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, tasks,
                "Connector " + connector + " did not reach RUNNING with " + tasks + " tasks");
    }

    /**
     * Waits until a sink connector's consumer group has one member per task and every partition of its
     * topic assigned. A task that joins later takes partitions from the others, and a task that takes over
     * a partition starts with an empty de-duplication window: tests that count duplicates start after this.
     */
    void awaitSinkGroupStable(String connector, int tasks, int partitions) throws InterruptedException {
        String group = "connect-" + connector;
        try (Admin admin = connect.kafka().createAdminClient()) {
            waitForCondition(() -> {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get()
                        .get(group);
                int assigned = description.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
                return description.groupState() == GroupState.STABLE && description.members().size() == tasks
                        && assigned == partitions;
            }, TIMEOUT_MS, () -> "The consumer group " + group + " did not settle with " + tasks + " members");
        }
    }

    /** The worker id ({@code host:port}) running a task. */
    String workerOf(String connector, int task) {
        ConnectorStateInfo status = connect.connectorStatus(connector);
        return status.tasks().stream().filter(t -> t.id() == task).findFirst()
                .map(ConnectorStateInfo.AbstractState::workerId)
                .orElseThrow(() -> new AssertionError("No task " + task + " of " + connector + ": " + status));
    }

    // ---------------------------------------------------------------------------------------------
    // JMX

    /**
     * The KIP-877 metrics of one transformation of one task, read over JMX from the worker running the
     * task: this JVM's platform MBean server for in-process workers, a remote JMX connection otherwise.
     */
    Map<String, Double> transformMetrics(String connector, int task, String alias, List<String> names)
            throws Exception {
        String workerId = workerOf(connector, task);
        MBeanServerConnection server = forked.stream().filter(w -> w.workerId().equals(workerId)).findFirst()
                .<MBeanServerConnection>map(w -> {
                    try {
                        return w.jmx();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .orElseGet(ManagementFactory::getPlatformMBeanServer);
        ObjectName bean = new ObjectName("kafka.connect:type=plugins,connector=" + connector + ",task=" + task
                + ",transformation=" + alias);
        // A task that has just moved registers its metrics as it starts: give it a moment.
        waitForCondition(() -> server.isRegistered(bean), 30_000, () -> {
            try {
                return "MBean " + bean + " on worker " + workerId + " among "
                        + server.queryNames(new ObjectName("kafka.connect:type=plugins,*,transformation=" + alias), null);
            } catch (Exception e) {
                return "MBean " + bean + " on worker " + workerId + ": " + e;
            }
        });
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String metric : names) {
            metrics.put(metric, ((Number) server.getAttribute(bean, metric)).doubleValue());
        }
        return metrics;
    }

    // ---------------------------------------------------------------------------------------------

    @Override
    public void close() throws Exception {
        for (ForkedWorker worker : forked) {
            if (worker.alive()) {
                worker.killHard();
            }
        }
        connect.stop();
        if (postgres != null) {
            postgres.close();
        }
    }
}
