package dev.truthline.ops;

import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.truthline.connect.harness.ConnectRest;

/**
 * A Connect worker as an operator runs one: {@code ConnectDistributed} in a JVM of its own with the
 * Prometheus JMX-exporter agent on its command line ({@code -javaagent:…=PORT:ops/prometheus/jmx-exporter.yaml}),
 * the packaged Truthline plugin on {@code plugin.path}, and one in-process KRaft broker. The exporter needs
 * a JVM of its own: an agent attaches to a whole JVM, and the test JVM's MBeans are not a worker's.
 */
final class ObservedConnect implements AutoCloseable {

    static final Path OPS_DIR = Path.of(System.getProperty("truthline.ops.dir", ".")).toAbsolutePath();
    static final Path EXPORTER_CONFIG = OPS_DIR.resolve("prometheus/jmx-exporter.yaml");
    static final Path PLUGIN_PATH = Path.of(System.getProperty("truthline.plugin.path", "target/plugins"))
            .toAbsolutePath();
    static final Path AGENT = Path.of(System.getProperty("truthline.exporter.agent",
            "target/agent/jmx_prometheus_javaagent.jar")).toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();
    static final long TIMEOUT_MS = 120_000;

    private final EmbeddedKafkaCluster kafka;
    private final Process worker;
    private final URI rest;
    private final URI metrics;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private KafkaProducer<String, String> producer;

    private ObservedConnect(EmbeddedKafkaCluster kafka, Process worker, URI rest, URI metrics, Path dir) {
        this.kafka = kafka;
        this.worker = worker;
        this.rest = rest;
        this.metrics = metrics;
        this.dir = dir;
    }

    /**
     * Starts the broker and the worker; returns once the worker's REST API answers.
     *
     * @param workerProps added to (or replacing) the worker's properties
     */
    static ObservedConnect start(String name, Map<String, String> workerProps) throws Exception {
        assertThat(AGENT).as("the exporter agent (copied by the build)").isRegularFile();
        assertThat(PLUGIN_PATH).as("plugin.path with the packaged plugin").isDirectory();
        Path dir = Path.of(System.getProperty("java.io.tmpdir")).resolve("observed-" + name).toAbsolutePath();
        Files.createDirectories(dir);
        Properties brokerProps = new Properties();
        brokerProps.put("group.initial.rebalance.delay.ms", "0");
        brokerProps.put("auto.create.topics.enable", "false");
        EmbeddedKafkaCluster kafka = new EmbeddedKafkaCluster(1, brokerProps);
        kafka.start();
        int restPort = freePort();
        int exporterPort = freePort();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("listeners", "http://localhost:" + restPort);
        props.put("group.id", "observed-" + name);
        props.put("config.storage.topic", "observed-" + name + "-configs");
        props.put("offset.storage.topic", "observed-" + name + "-offsets");
        props.put("status.storage.topic", "observed-" + name + "-status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("offset.flush.interval.ms", "1000");
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("value.converter.schemas.enable", "false");
        props.put("plugin.path", PLUGIN_PATH.toString());
        props.put("plugin.discovery", "service_load");
        props.putAll(workerProps);
        Path propsFile = dir.resolve("worker.properties");
        Properties p = new Properties();
        p.putAll(props);
        try (var out = Files.newBufferedWriter(propsFile)) {
            p.store(out, "observed worker " + name);
        }
        Path log = dir.resolve("worker.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Djava.io.tmpdir=" + dir,
                // What an operator adds to KAFKA_OPTS (docs/operations.md).
                "-javaagent:" + AGENT + "=" + exporterPort + ":" + EXPORTER_CONFIG,
                "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.connect.cli.ConnectDistributed", propsFile.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ObservedConnect connect = new ObservedConnect(kafka, process, URI.create("http://localhost:" + restPort + "/"),
                URI.create("http://localhost:" + exporterPort + "/metrics"), dir);
        waitForCondition(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("The worker exited with " + process.exitValue() + "; see " + log);
            }
            return connect.get(connect.rest).statusCode() == 200;
        }, TIMEOUT_MS, () -> "The worker's REST API did not answer; see " + log);
        return connect;
    }

    EmbeddedKafkaCluster kafka() {
        return kafka;
    }

    Path dir() {
        return dir;
    }

    /** host:port of the exporter, as a Prometheus scrape target. */
    String exporterTarget() {
        return metrics.getHost() + ":" + metrics.getPort();
    }

    /** One scrape of the exporter: what Prometheus would read. */
    PrometheusText scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = get(metrics);
        assertThat(response.statusCode()).as("GET %s", metrics).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    void putConnector(String connector, Map<String, String> config) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(rest.resolve("connectors/" + connector + "/config"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("PUT connectors/%s/config: %s", connector, response.body()).isIn(200, 201);
    }

    void deleteConnector(String connector) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(rest.resolve("connectors/" + connector))
                .timeout(Duration.ofSeconds(60)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("DELETE connectors/%s: %s", connector, response.body()).isIn(200, 204);
    }

    JsonNode status(String connector) throws IOException, InterruptedException {
        HttpResponse<String> response = get(rest.resolve("connectors/" + connector + "/status"));
        return response.statusCode() == 200 ? JSON.readTree(response.body()) : JSON.nullNode();
    }

    void awaitRunning(String connector, int tasks) throws InterruptedException {
        waitForCondition(() -> ConnectRest.running(status(connector), tasks), TIMEOUT_MS,
                () -> "Connector " + connector + " not running with " + tasks + " tasks: " + describe(connector));
    }

    String describe(String connector) {
        try {
            return status(connector).toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** Sends JSON values keyed by id; returns once the broker has them. */
    void send(String topic, Map<String, String> valuesByKey) throws Exception {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
        }
        for (Map.Entry<String, String> e : valuesByKey.entrySet()) {
            producer.send(new ProducerRecord<>(topic, e.getKey(), e.getValue()));
        }
        producer.flush();
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        if (producer != null) {
            producer.close();
        }
        worker.destroy();
        if (!worker.waitFor(30, TimeUnit.SECONDS)) {
            worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        kafka.stop();
    }
}
