package dev.truthline.connect.it;

import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.truthline.connect.harness.ConnectRest;
import dev.truthline.connect.harness.EmbeddedConnect;
import dev.truthline.connect.harness.ForkedConnectWorker;
import dev.truthline.connect.harness.WorkerSettings;
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
    static final String REST_EXTENSION = WorkerSettings.REST_EXTENSION;
    static final String JDBC_SINK = "io.debezium.connector.jdbc.JdbcSinkConnector";
    static final String POSTGRES_SOURCE = "io.debezium.connector.postgresql.PostgresConnector";

    static final Path PLUGIN_PATH = Path.of(System.getProperty("truthline.plugin.path", "target/plugins"))
            .toAbsolutePath();
    static final String VERSION = System.getProperty("truthline.version", "0.1.0-SNAPSHOT");
    static final ObjectMapper JSON = ConnectRest.JSON;
    static final long TIMEOUT_MS = 90_000;

    private final String name;
    private final EmbeddedConnect.Builder builder;
    private final Map<String, String> workerProps;
    private EmbeddedConnectCluster connect;
    private final List<ForkedConnectWorker> forked = new ArrayList<>();
    private EmbeddedPostgres postgres;

    private TruthlineCluster(String name, int workers, Map<String, String> extraWorkerProps) {
        this.name = name;
        EmbeddedConnect.Builder builder = EmbeddedConnect.named("it-" + name).workers(workers).pluginPath(PLUGIN_PATH)
                .truthlineRestExtension().noTopicAutoCreation();
        extraWorkerProps.forEach(builder::workerProp);
        this.builder = builder;
        this.workerProps = builder.workerProps();
    }

    /** Starts a broker and {@code workers} in-process workers. */
    static TruthlineCluster start(String name, int workers) throws Exception {
        return start(name, workers, Map.of());
    }

    static TruthlineCluster start(String name, int workers, Map<String, String> extraWorkerProps) throws Exception {
        assertTruthlineOnlyOnPluginPath();
        Files.createDirectories(tmp());
        TruthlineCluster cluster = new TruthlineCluster(name, workers, extraWorkerProps);
        cluster.connect = cluster.builder.start();
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

    /**
     * The Debezium PostgreSQL source of one table ({@code public.<table>}) into {@code <prefix>.public.<table>}:
     * pgoutput, a slot and an existing publication of the same name, streaming only, JSON converters.
     */
    Map<String, String> postgresSource(String prefix, String table, String slotAndPublication) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", POSTGRES_SOURCE);
        config.put("tasks.max", "1");
        config.put("database.hostname", "localhost");
        config.put("database.port", String.valueOf(postgres.getPort()));
        config.put("database.user", "postgres");
        config.put("database.password", "postgres");
        config.put("database.dbname", "postgres");
        config.put("topic.prefix", prefix);
        config.put("table.include.list", "public." + table);
        config.put("plugin.name", "pgoutput");
        config.put("slot.name", slotAndPublication);
        config.put("publication.name", slotAndPublication);
        config.put("publication.autocreate.mode", "disabled");
        config.put("snapshot.mode", "no_data");
        config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        return config;
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

    /**
     * Starts a worker in its own JVM on this test's class path, joined to this cluster's group; returns once its
     * REST API answers.
     */
    ForkedConnectWorker startForkedWorker() throws Exception {
        Map<String, String> props = new LinkedHashMap<>(workerProps);
        props.put("bootstrap.servers", bootstrapServers());
        props.putIfAbsent("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.putIfAbsent("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        ForkedConnectWorker worker = ForkedConnectWorker.start(System.getProperty("java.class.path"),
                tmp().resolve("forked-" + name + "-" + forked.size()), props, List.of("-Xmx256m"), Map.of());
        forked.add(worker);
        log.info("Forked worker up at {}, log {}", worker.url(), worker.log());
        return worker;
    }

    // ---------------------------------------------------------------------------------------------
    // REST

    /** A REST call to the cluster (the first in-process worker); returns status and parsed body. */
    ConnectRest.Response rest(String method, String path, Object body) throws IOException, InterruptedException {
        URI base = connect.workers().stream().findFirst().map(WorkerHandle::url)
                .orElseGet(() -> forked.stream().filter(ForkedConnectWorker::alive).findFirst().orElse(forked.get(0))
                        .url());
        return new ConnectRest(base).call(method, path, body);
    }

    /** Creates or updates a connector; fails the test when the REST API refuses it. */
    void putConnector(String connector, Map<String, String> config) throws IOException, InterruptedException {
        ConnectRest.Response response = rest("PUT", "connectors/" + connector + "/config", config);
        assertThat(response.status()).as("PUT connectors/%s/config: %s", connector, response.body()).isIn(200, 201);
    }

    void awaitRunning(String connector, int tasks) throws InterruptedException {
        if (!connect.workers().isEmpty()) {
            connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, tasks,
                    "Connector " + connector + " did not reach RUNNING with " + tasks + " tasks");
            return;
        }
        // Only forked workers: ask their REST API.
        waitForCondition(() -> {
            ConnectRest.Response status;
            try {
                status = rest("GET", "connectors/" + connector + "/status", null);
            } catch (IOException e) {
                return false;
            }
            return status.status() == 200 && ConnectRest.running(status.json(), tasks);
        }, TIMEOUT_MS, "Connector " + connector + " did not reach RUNNING with " + tasks + " tasks");
    }

    /** The offset a sink connector's consumer group has committed on a partition; -1 when none (or unreadable). */
    long committedOffset(String connector, TopicPartition partition) {
        try (Admin admin = connect.kafka().createAdminClient()) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets("connect-" + connector)
                    .partitionsToOffsetAndMetadata().get().get(partition);
            return offset == null ? -1 : offset.offset();
        } catch (Exception e) {
            return -1;
        }
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
        for (ForkedConnectWorker worker : forked) {
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
