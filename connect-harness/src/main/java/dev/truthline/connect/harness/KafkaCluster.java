package dev.truthline.connect.harness;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * A KRaft cluster of forked nodes, each a broker and a controller in a JVM of its own, started the way
 * {@code kafka-storage.sh format} and {@code kafka-server-start.sh} do it: every node's storage formatted by
 * {@code kafka.tools.StorageTool} with one cluster id and the same {@code --initial-controllers} (a dynamic quorum in
 * which every node votes: three keep their quorum with one down; one is {@code --standalone}'s case), then
 * {@code kafka.Kafka server.properties}.
 *
 * <p>Internal topics get {@link #replicationFactor} replicas and {@link #minInsyncReplicas}: one node is the
 * single-broker case (one replica each; transactions, which the Iceberg sink's coordinator uses, work), three give
 * three replicas and {@code min.insync.replicas} 2. A node can be killed hard and started again on the same ports
 * with the same log directory; {@link #awaitInSync} says when every replica is back in its partition's ISR.
 */
public final class KafkaCluster implements AutoCloseable {

    public static final String STORAGE_TOOL = "kafka.tools.StorageTool";
    public static final String MAIN = "kafka.Kafka";

    /** One node of the cluster: broker and controller in one JVM, its ports and folder kept across restarts. */
    public static final class Node {
        private final int id;
        private final int port;
        private final int controllerPort;
        private final Path dir;
        private ForkedJvm jvm;

        private Node(int id, int port, int controllerPort, Path dir) {
            this.id = id;
            this.port = port;
            this.controllerPort = controllerPort;
            this.dir = dir;
        }

        public int id() {
            return id;
        }

        public String bootstrapServer() {
            return "localhost:" + port;
        }

        public Path dir() {
            return dir;
        }

        public Path log() {
            return dir.resolve("broker.log");
        }

        Path config() {
            return dir.resolve("server.properties");
        }

        /** The node's current JVM. */
        public ForkedJvm jvm() {
            return jvm;
        }

        public boolean alive() {
            return jvm != null && jvm.alive();
        }
    }

    private final String classPath;
    private final List<String> jvmOptions;
    private final List<Node> nodes;

    private KafkaCluster(String classPath, List<String> jvmOptions, List<Node> nodes) {
        this.classPath = classPath;
        this.jvmOptions = jvmOptions;
        this.nodes = nodes;
    }

    /** Replicas of every internal and pipeline topic on a cluster of this many nodes: up to three. */
    public static int replicationFactor(int nodes) {
        return Math.min(3, nodes);
    }

    /** {@code min.insync.replicas} on a cluster of this many nodes: 2 from three nodes on, so one may be down. */
    public static int minInsyncReplicas(int nodes) {
        return nodes >= 3 ? 2 : 1;
    }

    /**
     * Formats fresh log directories under {@code dir} ({@code node-<id>/}) and starts {@code size} nodes; returns once
     * every broker is registered. A port taken by another process between choosing and binding it (many builds share
     * this machine) means a new try with other ports, up to three.
     */
    public static KafkaCluster start(int size, String classPath, Path dir, Path log4jConfig)
            throws IOException, InterruptedException {
        return start(size, classPath, dir, log4jConfig, List.of());
    }

    /** The same, each node's JVM (and its storage format) with {@code jvmOptions} too (a test's JIT and collector). */
    public static KafkaCluster start(int size, String classPath, Path dir, Path log4jConfig, List<String> jvmOptions)
            throws IOException, InterruptedException {
        return start(size, classPath, dir, log4jConfig, jvmOptions, Map.of());
    }

    /** The same, with {@code overrides} over {@link #serverProperties} in every node's configuration. */
    public static KafkaCluster start(int size, String classPath, Path dir, Path log4jConfig, List<String> jvmOptions,
            Map<String, String> overrides) throws IOException, InterruptedException {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, not " + size);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(size, classPath, dir, log4jConfig, jvmOptions, overrides);
            } catch (PortTaken e) {
                if (attempt == 3) {
                    throw new IllegalStateException(e.getMessage());
                }
            }
        }
    }

    /** A node could not bind a port it was given. */
    private static final class PortTaken extends Waits.Hopeless {
        private static final long serialVersionUID = 1L;

        PortTaken(String message) {
            super(message);
        }
    }

    private static KafkaCluster startOnce(int size, String classPath, Path dir, Path log4jConfig,
            List<String> extraJvmOptions, Map<String, String> overrides) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<Node> nodes = new ArrayList<>();
        List<String> initialControllers = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            Node node = new Node(id, Ports.free(), Ports.free(), dir.resolve("node-" + id));
            Folders.deleteRecursively(node.dir.resolve("data"));
            Files.createDirectories(node.dir);
            nodes.add(node);
            initialControllers.add(id + "@localhost:" + node.controllerPort + ":" + Uuid.randomUuid());
        }
        String quorum = nodes.stream().map(n -> "localhost:" + n.controllerPort).collect(Collectors.joining(","));
        for (Node node : nodes) {
            try (Writer out = Files.newBufferedWriter(node.config())) {
                Properties p = serverProperties(node.id, node.dir.resolve("data"), node.port, node.controllerPort,
                        quorum, size);
                p.putAll(overrides);
                p.store(out, "Truthline KRaft node " + node.id + " of " + size);
            }
        }
        List<String> jvmOptions = new ArrayList<>(List.of("-Xmx512m", "-Dlog4j2.configurationFile=" + log4jConfig,
                "-Dkafka.logs.dir=" + dir));
        jvmOptions.addAll(extraJvmOptions);
        KafkaCluster cluster = new KafkaCluster(classPath, jvmOptions, nodes);
        // kafka-storage.sh format --cluster-id … --initial-controllers … on every node, at once.
        String clusterId = Uuid.randomUuid().toString();
        cluster.parallel(nodes, node -> ForkedJvm.run("kafka-storage format", classPath, jvmOptions, STORAGE_TOOL,
                List.of("format", "--cluster-id", clusterId, "--initial-controllers", String.join(",", initialControllers),
                        "--config", node.config().toString()), node.dir.resolve("format.log")));
        try {
            List<Long> logStarts = new ArrayList<>();
            for (Node node : nodes) {
                logStarts.add(Files.exists(node.log()) ? Files.size(node.log()) : 0);
                cluster.launch(node);
            }
            Waits.until(() -> {
                for (int i = 0; i < nodes.size(); i++) {
                    Node node = nodes.get(i);
                    if (!node.alive()) {
                        String message = "Kafka node " + node.id + " exited with " + node.jvm.exitValue() + "; see "
                                + node.log();
                        throw Ports.bindFailed(node.log(), logStarts.get(i)) ? new PortTaken(message)
                                : new Waits.Hopeless(message);
                    }
                }
                return nodes.stream().allMatch(n -> Ports.listening(n.port)) && cluster.registered().size() == size;
            }, Duration.ofSeconds(120), 500, () -> "The Kafka cluster did not start; see " + nodes.get(0).log());
        } catch (RuntimeException | InterruptedException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * A node's settings: broker and controller, its listeners, the quorum's controller endpoints, and internal topics
     * with {@link #replicationFactor} replicas and {@link #minInsyncReplicas}.
     */
    public static Properties serverProperties(int nodeId, Path logDir, int port, int controllerPort, String quorum,
            int size) {
        String replicas = String.valueOf(replicationFactor(size));
        String minIsr = String.valueOf(minInsyncReplicas(size));
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(nodeId));
        p.put("controller.quorum.bootstrap.servers", quorum);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", replicas);
        p.put("min.insync.replicas", minIsr);
        p.put("offsets.topic.replication.factor", replicas);
        // A cluster on one machine: five partitions for each coordinator's topic (default 50), so a node restarted
        // after a kill has a tenth of them to recover and bring back into sync.
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", replicas);
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("share.coordinator.state.topic.replication.factor", replicas);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        // Kafka's default, said here: a node killed hard never becomes leader with records the ISR did not have.
        p.put("unclean.leader.election.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        // A node killed hard is fenced, and its partitions led by others, within 3 s (default 9 s).
        p.put("broker.session.timeout.ms", "3000");
        p.put("broker.heartbeat.interval.ms", "1000");
        return p;
    }

    /** SIGKILL to one node: nothing is flushed, no partition leadership is handed over. */
    public void killHard(int nodeId) throws InterruptedException {
        node(nodeId).jvm.killHard();
    }

    /** Waits until the other nodes no longer count the node among the live brokers (its partitions have moved). */
    public void awaitFenced(int nodeId, Duration timeout) throws InterruptedException {
        Waits.until(() -> registered().stream().noneMatch(n -> n.id() == nodeId), timeout, 250,
                () -> "Kafka node " + nodeId + " is still counted as a live broker");
    }

    /**
     * Starts a node that was killed again, on the same ports and log directory (its data kept; the log recovered as
     * after any crash); returns once it is a live broker again.
     */
    public void restart(int nodeId) throws IOException, InterruptedException {
        Node node = node(nodeId);
        if (node.alive()) {
            throw new IllegalStateException("Kafka node " + nodeId + " is still running");
        }
        ForkedJvm started = launch(node);
        Waits.until(() -> {
            if (!started.alive()) {
                throw new Waits.Hopeless("Kafka node " + nodeId + " exited with " + started.exitValue() + "; see "
                        + node.log());
            }
            return Ports.listening(node.port) && registered().stream().anyMatch(n -> n.id() == nodeId);
        }, Duration.ofSeconds(120), 500, () -> "Kafka node " + nodeId + " did not come back; see " + node.log());
    }

    /** {@code kafka-server-start.sh server.properties}: the node's JVM, its output appended to its log. */
    private ForkedJvm launch(Node node) throws IOException {
        node.jvm = ForkedJvm.start("kafka-" + node.id, classPath, jvmOptions, MAIN, List.of(node.config().toString()),
                Map.of(), node.log());
        return node.jvm;
    }

    /**
     * Waits until every replica of every partition of every topic (internal ones too) is in its partition's ISR;
     * returns how many partitions that is.
     */
    public int awaitInSync(Duration timeout) throws InterruptedException {
        int[] partitions = {0};
        Waits.until(() -> {
            try (Admin admin = admin()) {
                Collection<TopicDescription> topics = admin.describeTopics(admin.listTopics(
                        new ListTopicsOptions().listInternal(true)).names().get()).allTopicNames().get().values();
                partitions[0] = 0;
                for (TopicDescription topic : topics) {
                    for (TopicPartitionInfo p : topic.partitions()) {
                        if (p.isr().size() < p.replicas().size()) {
                            return false;
                        }
                        partitions[0]++;
                    }
                }
                return true;
            }
        }, timeout, 500, () -> "Some replicas are not back in their ISR");
        return partitions[0];
    }

    /** The id of the quorum's leader: the active controller. */
    public int activeController() throws Exception {
        try (Admin admin = admin()) {
            return admin.describeMetadataQuorum().quorumInfo().get().leaderId();
        }
    }

    /** Each partition of the topic's leader: partition → node id (-1 when it has none). */
    public Map<Integer, Integer> leaders(String topic) throws Exception {
        try (Admin admin = admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .collect(Collectors.toMap(TopicPartitionInfo::partition,
                            p -> p.leader() == null ? -1 : p.leader().id()));
        }
    }

    /** The live brokers, as the cluster's metadata has them. */
    private Collection<org.apache.kafka.common.Node> registered() throws Exception {
        try (Admin admin = admin()) {
            return admin.describeCluster().nodes().get();
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000));
    }

    public Node node(int nodeId) {
        return nodes.stream().filter(n -> n.id == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Kafka node " + nodeId));
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    public int size() {
        return nodes.size();
    }

    /** Every node's PLAINTEXT listener: clients reach the cluster while any one node is down. */
    public String bootstrapServers() {
        return nodes.stream().map(Node::bootstrapServer).collect(Collectors.joining(","));
    }

    /** Work on every node at once, failing with the first failure. */
    private void parallel(List<Node> each, NodeWork work) throws InterruptedException {
        List<CompletableFuture<Void>> running = each.stream().map(node -> CompletableFuture.runAsync(() -> {
            try {
                work.on(node);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        })).toList();
        try {
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @FunctionalInterface
    private interface NodeWork {
        void on(Node node) throws IOException, InterruptedException;
    }

    /** SIGTERM to every node at once (each stops cleanly), SIGKILL to any still running after 20 s. */
    @Override
    public void close() throws InterruptedException {
        ForkedJvm.stopAll(nodes.stream().map(n -> n.jvm).filter(j -> j != null).toList(), 20_000);
    }
}
