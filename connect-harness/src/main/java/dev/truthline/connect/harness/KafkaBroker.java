package dev.truthline.connect.harness;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft broker (broker and controller in one process) in a JVM of its own, started the
 * way {@code kafka-storage.sh format --standalone} and {@code kafka-server-start.sh} do it: storage
 * formatted by {@code kafka.tools.StorageTool}, then {@code kafka.Kafka server.properties}. One broker: every
 * internal topic has one replica, and transactions (the Iceberg sink's coordinator) work.
 */
public final class KafkaBroker implements AutoCloseable {

    public static final String STORAGE_TOOL = "kafka.tools.StorageTool";
    public static final String MAIN = "kafka.Kafka";

    private final ForkedJvm jvm;
    private final String bootstrapServers;

    private KafkaBroker(ForkedJvm jvm, String bootstrapServers) {
        this.jvm = jvm;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats a fresh log directory under {@code dir} and starts the broker; returns once it answers. A port taken
     * by another process between choosing and binding it (many builds share this machine) means a new try with
     * other ports, up to three.
     */
    public static KafkaBroker start(String classPath, Path dir, Path log4jConfig) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(classPath, dir, log4jConfig);
            } catch (PortTaken e) {
                if (attempt == 3) {
                    throw new IllegalStateException(e.getMessage());
                }
            }
        }
    }

    /** The broker could not bind a port it was given. */
    private static final class PortTaken extends Waits.Hopeless {
        private static final long serialVersionUID = 1L;

        PortTaken(String message) {
            super(message);
        }
    }

    private static KafkaBroker startOnce(String classPath, Path dir, Path log4jConfig)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path data = dir.resolve("data");
        Folders.deleteRecursively(data);
        int port = Ports.free();
        int controllerPort = Ports.free();
        Properties props = serverProperties(data, port, controllerPort);
        Path config = dir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(config)) {
            props.store(out, "Truthline KRaft broker");
        }
        List<String> jvmOptions = List.of("-Xmx512m", "-Dlog4j2.configurationFile=" + log4jConfig,
                "-Dkafka.logs.dir=" + dir);
        ForkedJvm.run("kafka-storage format", classPath, jvmOptions, STORAGE_TOOL,
                List.of("format", "--standalone", "-t", Uuid.randomUuid().toString(), "-c", config.toString()),
                dir.resolve("format.log"));
        Path log = dir.resolve("broker.log");
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        ForkedJvm jvm = ForkedJvm.start("kafka", classPath, jvmOptions, MAIN, List.of(config.toString()), Map.of(), log);
        KafkaBroker broker = new KafkaBroker(jvm, "localhost:" + port);
        try {
            Waits.until(() -> {
                if (!jvm.alive()) {
                    String message = "The broker exited with " + jvm.exitValue() + "; see " + jvm.log();
                    throw Ports.bindFailed(log, logStart) ? new PortTaken(message) : new Waits.Hopeless(message);
                }
                return Ports.listening(port) && broker.answers();
            }, Duration.ofSeconds(90), 500, () -> "The broker did not start; see " + jvm.log());
        } catch (RuntimeException | InterruptedException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public static Properties serverProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        p.put("num.partitions", "1");
        // One broker: every internal topic with one replica. The Iceberg sink's coordinator uses transactions.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    private boolean answers() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000))) {
            return !admin.describeCluster().nodes().get().isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public ForkedJvm jvm() {
        return jvm;
    }

    @Override
    public void close() throws InterruptedException {
        jvm.stop(20_000);
    }
}
