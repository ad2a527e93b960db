package dev.truthline.demo;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A distributed Connect worker in a JVM of its own — {@code ConnectDistributed}, the main class of
 * {@code connect-distributed.sh} — with {@code plugin.path}, the {@code env} config provider (the
 * connector files' {@code ${env:TRUTHLINE_…}} references resolve against this process's environment),
 * the Truthline REST extension, and JMX remote on a local port. It can be killed hard (SIGKILL) and
 * started again with the same settings, joining the same group.
 */
final class ConnectWorker implements AutoCloseable {

    static final String MAIN = "org.apache.kafka.connect.cli.ConnectDistributed";
    static final String REST_EXTENSION = "dev.truthline.connect.rest.TruthlineConfigValidation";

    private final Path kafkaLibs;
    private final Path dir;
    private final Path log4jConfig;
    private final Map<String, String> environment;
    private final int restPort;
    private final int jmxPort;
    private final Path propsFile;
    private final ConnectRest rest;
    private ForkedJvm jvm;
    private JMXConnector jmx;
    private int starts;

    private ConnectWorker(Path kafkaLibs, Path dir, Path log4jConfig, Map<String, String> environment, int restPort,
            int jmxPort, Path propsFile) {
        this.kafkaLibs = kafkaLibs;
        this.dir = dir;
        this.log4jConfig = log4jConfig;
        this.environment = environment;
        this.restPort = restPort;
        this.jmxPort = jmxPort;
        this.propsFile = propsFile;
        this.rest = new ConnectRest(URI.create("http://localhost:" + restPort + "/"));
    }

    static ConnectWorker start(Path kafkaLibs, Path dir, Path log4jConfig, String bootstrapServers, String pluginPath,
            Map<String, String> environment) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int restPort = Ports.free();
        int jmxPort = Ports.free();
        Properties props = new Properties();
        props.putAll(workerProperties(bootstrapServers, pluginPath, restPort));
        Path propsFile = dir.resolve("worker.properties");
        try (Writer out = Files.newBufferedWriter(propsFile)) {
            props.store(out, "Truthline demo Connect worker");
        }
        ConnectWorker worker = new ConnectWorker(kafkaLibs, dir, log4jConfig, environment, restPort, jmxPort, propsFile);
        worker.startProcess();
        return worker;
    }

    static Map<String, String> workerProperties(String bootstrapServers, String pluginPath, int restPort) {
        Map<String, String> p = new TreeMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("group.id", "truthline-demo");
        p.put("config.storage.topic", "truthline-demo-configs");
        p.put("offset.storage.topic", "truthline-demo-offsets");
        p.put("status.storage.topic", "truthline-demo-status");
        p.put("config.storage.replication.factor", "1");
        p.put("offset.storage.replication.factor", "1");
        p.put("status.storage.replication.factor", "1");
        p.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("listeners", "http://localhost:" + restPort);
        p.put("plugin.path", pluginPath);
        // Every plugin here carries META-INF/services manifests: no scan of 200 MB of jars at start.
        p.put("plugin.discovery", "service_load");
        p.put("config.providers", "env");
        p.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        p.put("rest.extension.classes", REST_EXTENSION);
        p.put("connector.client.config.override.policy", "All");
        // Source offsets are committed, and Iceberg commit requests answered, once a second.
        p.put("offset.flush.interval.ms", "1000");
        // A worker killed hard is noticed within 10 s and its tasks move 5 s later (default: 5 minutes).
        p.put("session.timeout.ms", "10000");
        p.put("heartbeat.interval.ms", "2000");
        p.put("scheduled.rebalance.max.delay.ms", "5000");
        // The same for the sink tasks' consumers (default 45 s): a killed worker's consumers leave their groups
        // before the new worker's tasks join, or the groups wait for them.
        p.put("consumer.session.timeout.ms", "10000");
        p.put("consumer.heartbeat.interval.ms", "2000");
        // An Iceberg sink task takes longer than the default 5 s to close; one that has not closed still holds its
        // transforms' metrics, and its successor on this worker then fails to register them.
        p.put("task.shutdown.graceful.timeout.ms", "30000");
        return p;
    }

    private void startProcess() throws IOException, InterruptedException {
        starts++;
        List<String> jvmOptions = List.of("-Xmx1g",
                "-Dlog4j2.configurationFile=" + log4jConfig,
                "-Djava.io.tmpdir=" + dir,
                "-Dcom.sun.management.jmxremote.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false",
                "-Dcom.sun.management.jmxremote.host=localhost",
                "-Djava.rmi.server.hostname=localhost");
        Files.createDirectories(dir.resolve("tmp"));
        jvm = ForkedJvm.start("connect", kafkaLibs, jvmOptions, MAIN, List.of(propsFile.toString()), environment,
                dir.resolve("worker.log"));
        ForkedJvm started = jvm;
        Waits.until(() -> {
            if (!started.alive()) {
                throw new Waits.Hopeless("The Connect worker exited with " + started.exitValue() + "; see "
                        + started.log());
            }
            return rest.answers();
        }, Duration.ofSeconds(120), 500, () -> "The Connect worker's REST API did not answer; see " + started.log());
    }

    ConnectRest rest() {
        return rest;
    }

    /** The current worker JVM. */
    ForkedJvm jvm() {
        return jvm;
    }

    URI url() {
        return rest.url();
    }

    Path log() {
        return dir.resolve("worker.log");
    }

    /** How often this worker was started (1, plus one for each restart). */
    int starts() {
        return starts;
    }

    /** SIGKILL: no task stops, no offset is committed, no Iceberg commit completes. */
    void killHard() throws InterruptedException {
        closeJmx();
        jvm.killHard();
    }

    /** Starts the worker again with the same settings; returns once its REST API answers. */
    void restart() throws IOException, InterruptedException {
        closeJmx();
        if (jvm.alive()) {
            jvm.stop(30_000);
        }
        startProcess();
    }

    /** The attributes of every MBean matching the pattern, by object name. */
    Map<String, Map<String, Double>> metrics(String pattern, List<String> attributes) throws Exception {
        MBeanServerConnection server = jmx();
        Map<String, Map<String, Double>> result = new TreeMap<>();
        for (ObjectName name : server.queryNames(new ObjectName(pattern), null)) {
            Map<String, Double> values = new LinkedHashMap<>();
            for (String attribute : attributes) {
                Object value = server.getAttribute(name, attribute);
                values.put(attribute, value instanceof Number n ? n.doubleValue() : Double.NaN);
            }
            result.put(name.toString(), values);
        }
        return result;
    }

    private synchronized MBeanServerConnection jmx() throws IOException {
        if (jmx == null) {
            jmx = JMXConnectorFactory.connect(new JMXServiceURL(
                    "service:jmx:rmi:///jndi/rmi://localhost:" + jmxPort + "/jmxrmi"));
        }
        return jmx.getMBeanServerConnection();
    }

    private synchronized void closeJmx() {
        if (jmx != null) {
            try {
                jmx.close();
            } catch (IOException ignored) {
                // the JVM is going away
            }
            jmx = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        closeJmx();
        if (jvm != null) {
            jvm.stop(30_000);
        }
    }
}
