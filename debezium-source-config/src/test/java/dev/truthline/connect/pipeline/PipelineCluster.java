package dev.truthline.connect.pipeline;

import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import dev.truthline.connect.harness.EmbeddedConnect;

import dev.truthline.connect.harness.WorkerSettings;

/**
 * What the reference pipeline runs on, for the tests: a real PostgreSQL with logical decoding on the port
 * {@code TRUTHLINE_PG_PORT} names, one KRaft broker, and a distributed Connect worker whose {@code plugin.path} holds the
 * packaged plugins, with the worker settings the pipeline needs: {@code config.providers=env} (Kafka's
 * {@code EnvVarConfigProvider} resolves every {@code ${env:TRUTHLINE_…}} from this JVM's environment, which the POM sets),
 * exactly-once source support, and a transaction log a single broker can serve.
 */
public final class PipelineCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PipelineCluster.class);

    public static final String REST_EXTENSION = WorkerSettings.REST_EXTENSION;
    public static final long TIMEOUT_MS = 90_000;

    /** The worker settings the reference pipeline needs (connector-configs/orders/README.md), local values. */
    public static Map<String, String> pipelineWorkerProps(Path pluginPath) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("plugin.path", pluginPath.toString());
        props.put("config.providers", "env");
        props.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        props.put("exactly.once.source.support", "enabled");
        props.put("rest.extension.classes", REST_EXTENSION);
        return props;
    }

    private final String name;
    private final EmbeddedConnectCluster connect;
    private EmbeddedPostgres postgres;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private PipelineCluster(String name, Map<String, String> workerProps) {
        this.name = name;
        // The harness's settings (service-loader discovery, offsets flushed once a second — Iceberg sinks answer
        // commit requests then —, a transaction log one broker can serve) under the pipeline's own.
        EmbeddedConnect.Builder builder = EmbeddedConnect.named(name).noTopicAutoCreation();
        workerProps.forEach(builder::workerProp);
        this.connect = builder.build();
    }

    public static PipelineCluster start(String name, Map<String, String> workerProps) throws IOException, InterruptedException {
        Files.createDirectories(tmp());
        PipelineCluster cluster = new PipelineCluster(name, workerProps);
        cluster.startPostgres();
        long start = System.nanoTime();
        cluster.connect.start();
        cluster.connect.assertions().assertExactlyNumWorkersAreUp(1, "The Connect worker did not start");
        log.info("Broker and Connect worker up in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return cluster;
    }

    public static Path tmp() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    public static Path pluginPath() {
        return Path.of(System.getProperty("truthline.plugin.path", "target/plugins")).toAbsolutePath();
    }

    /** The TRUTHLINE_* variables of this JVM's environment: what the worker's env provider sees. */
    public static Map<String, String> env() {
        Map<String, String> env = new TreeMap<>();
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("TRUTHLINE_")) {
                env.put(k, v);
            }
        });
        return env;
    }

    public EmbeddedConnectCluster connect() {
        return connect;
    }

    // ---------------------------------------------------------------------------------------------
    // PostgreSQL

    private void startPostgres() throws IOException {
        long start = System.nanoTime();
        String port = System.getenv("TRUTHLINE_PG_PORT");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(tmp().resolve("embedded-pg").toFile())
                .setDataDirectory(tmp().resolve("embedded-pg-data-" + name))
                .setCleanDataDirectory(true)
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_senders", "4")
                .setServerConfig("max_replication_slots", "4");
        if (port != null) {
            builder.setPort(Integer.parseInt(port));
        }
        postgres = builder.start();
        log.info("PostgreSQL up on port {} in {} ms", postgres.getPort(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    public Connection sqlConnection() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    public void sql(String... statements) throws SQLException {
        try (Connection c = sqlConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** Runs a SQL script: statements end with a semicolon at the end of a line; {@code --} comments are skipped. */
    public void sqlScript(Path script) throws IOException, SQLException {
        StringBuilder statement = new StringBuilder();
        List<String> statements = new ArrayList<>();
        for (String line : Files.readAllLines(script)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            statement.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                statements.add(statement.toString());
                statement.setLength(0);
            }
        }
        sql(statements.toArray(String[]::new));
    }

    // ---------------------------------------------------------------------------------------------
    // Topics

    /**
     * Creates the topics of a {@code topics.json}: each with its partitions, replication factor and configs, every
     * {@code ${env:…}} resolved from this JVM's environment.
     */
    public void createTopics(Path topicsJson) throws IOException {
        Map<String, String> env = env();
        for (JsonNode topic : ConnectorJson.JSON.readTree(topicsJson.toFile()).path("topics")) {
            Map<String, String> configs = new LinkedHashMap<>();
            topic.path("configs").properties().forEach(e -> configs.put(e.getKey(), ConnectorJson.resolve(e.getValue().asText(), env)));
            int replication = Integer.parseInt(ConnectorJson.resolve(topic.path("replication.factor").asText(), env));
            connect.kafka().createTopic(topic.path("name").asText(), topic.path("partitions").asInt(), replication, configs);
        }
    }

    /** Every committed record of a topic (read_committed: what sinks see from an exactly-once source). */
    public List<ConsumerRecord<byte[], byte[]>> committedRecords(String topic) {
        try {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            connect.kafka().consumeAll(30_000,
                    Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                    Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), topic).forEach(records::add);
            return records;
        } catch (Exception e) {
            throw new AssertionError("could not read " + topic, e);
        }
    }

    /** Waits until a topic holds at least {@code count} committed records; returns them all. */
    public List<ConsumerRecord<byte[], byte[]>> awaitRecords(String topic, int count) throws InterruptedException {
        List<List<ConsumerRecord<byte[], byte[]>>> last = new ArrayList<>(List.of(List.of()));
        waitForCondition(() -> {
            last.set(0, committedRecords(topic));
            return last.get(0).size() >= count;
        }, TIMEOUT_MS, () -> topic + " holds " + last.get(0).size() + " records, expected " + count);
        return last.get(0);
    }

    // ---------------------------------------------------------------------------------------------
    // REST

    public record Rest(int status, JsonNode json, String body) {
    }

    public Rest rest(String method, String path, Object body) throws IOException, InterruptedException {
        URI base = connect.workers().iterator().next().url();
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Accept", "application/json");
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(ConnectorJson.JSON.writeValueAsString(body));
        HttpResponse<String> response = http.send(request.method(method, publisher).build(),
                HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        JsonNode json = text == null || text.isBlank() ? ConnectorJson.JSON.nullNode() : ConnectorJson.JSON.readTree(text);
        return new Rest(response.statusCode(), json, text);
    }

    /**
     * Connect's {@code PUT /connector-plugins/{class}/config/validate}: the connector's own {@code validate()}, Connect's
     * keys and every transform's and predicate's {@code ConfigDef} (and, through the Truthline REST extension, the
     * Truthline transforms' {@code configure()}). Returns each key that has errors with its messages.
     */
    public Map<String, List<String>> validate(Map<String, String> config) throws IOException, InterruptedException {
        String connectorClass = config.get("connector.class");
        Rest response = rest("PUT", "connector-plugins/" + connectorClass + "/config/validate", config);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Map<String, List<String>> errors = new TreeMap<>();
        for (JsonNode entry : response.json().path("configs")) {
            JsonNode value = entry.path("value");
            if (value.path("errors").size() > 0) {
                List<String> messages = new ArrayList<>();
                value.path("errors").forEach(m -> messages.add(m.asText()));
                errors.put(value.path("name").asText(), messages);
            }
        }
        assertThat(response.json().path("error_count").asInt()).as(response.body())
                .isEqualTo(errors.values().stream().mapToInt(List::size).sum());
        return errors;
    }

    /** Creates or updates a connector; fails when the REST API refuses it. */
    public void putConnector(String connector, Map<String, String> config) throws IOException, InterruptedException {
        Rest response = rest("PUT", "connectors/" + connector + "/config", config);
        assertThat(response.status()).as("PUT connectors/%s/config: %s", connector, response.body()).isIn(200, 201);
    }

    public void awaitRunning(String connector, int tasks) throws InterruptedException {
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, tasks,
                "Connector " + connector + " did not reach RUNNING with " + tasks + " tasks");
    }

    @Override
    public void close() throws Exception {
        try {
            connect.stop();
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
