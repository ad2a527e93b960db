package dev.truthline.connect.harness;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.management.MBeanServerConnection;

/**
 * A distributed Connect worker in a JVM of its own — {@code ConnectDistributed}, the main class of
 * {@code connect-distributed.sh} — with its REST API and JMX remote on free local ports. It can be killed hard
 * (SIGKILL: no task stops, no offset is committed) and started again with the same settings, joining the same
 * group.
 */
public final class ForkedConnectWorker implements AutoCloseable {

    public static final String MAIN = "org.apache.kafka.connect.cli.ConnectDistributed";

    private final String classPath;
    private final Path dir;
    private final List<String> jvmOptions;
    private final Map<String, String> environment;
    private final Path propsFile;
    private final ConnectRest rest;
    private final JmxReader jmx;
    private ForkedJvm jvm;
    private int starts;

    private ForkedConnectWorker(String classPath, Path dir, List<String> jvmOptions, Map<String, String> environment,
            Path propsFile, int restPort, int jmxPort) {
        this.classPath = classPath;
        this.dir = dir;
        this.jvmOptions = jvmOptions;
        this.environment = environment;
        this.propsFile = propsFile;
        this.rest = new ConnectRest(URI.create("http://localhost:" + restPort + "/"));
        this.jmx = new JmxReader(jmxPort);
    }

    /**
     * Writes {@code workerProps} (plus {@code listeners} on a free port) to {@code dir/worker.properties} and starts
     * the worker on {@code classPath} with {@code jvmOptions} (heap, logging) and {@code environment} (what an
     * {@code env} config provider reads); returns once its REST API answers. Its output goes to
     * {@code dir/worker.log}.
     */
    public static ForkedConnectWorker start(String classPath, Path dir, Map<String, String> workerProps,
            List<String> jvmOptions, Map<String, String> environment) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int restPort = Ports.free();
        int jmxPort = Ports.free();
        Map<String, String> props = new LinkedHashMap<>(workerProps);
        props.put("listeners", "http://localhost:" + restPort);
        Properties p = new Properties();
        p.putAll(props);
        Path propsFile = dir.resolve("worker.properties");
        try (Writer out = Files.newBufferedWriter(propsFile)) {
            p.store(out, "Truthline Connect worker");
        }
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Djava.io.tmpdir=" + dir);
        options.addAll(JmxReader.jvmOptions(jmxPort));
        ForkedConnectWorker worker = new ForkedConnectWorker(classPath, dir, List.copyOf(options), Map.copyOf(environment),
                propsFile, restPort, jmxPort);
        worker.startProcess();
        return worker;
    }

    private void startProcess() throws IOException, InterruptedException {
        starts++;
        jvm = ForkedJvm.start("connect", classPath, jvmOptions, MAIN, List.of(propsFile.toString()), environment, log());
        ForkedJvm started = jvm;
        Waits.until(() -> {
            if (!started.alive()) {
                throw new Waits.Hopeless("The Connect worker exited with " + started.exitValue() + "; see " + started.log());
            }
            return rest.answers();
        }, Duration.ofSeconds(120), 500, () -> "The Connect worker's REST API did not answer; see " + started.log());
    }

    public ConnectRest rest() {
        return rest;
    }

    public URI url() {
        return rest.url();
    }

    /** The worker id Connect reports in task statuses: {@code host:port} of its REST listener. */
    public String workerId() {
        return url().getHost() + ":" + url().getPort();
    }

    /** The current worker JVM. */
    public ForkedJvm jvm() {
        return jvm;
    }

    public Path log() {
        return dir.resolve("worker.log");
    }

    /** How often this worker was started (1, plus one for each restart). */
    public int starts() {
        return starts;
    }

    public boolean alive() {
        return jvm.alive();
    }

    /** SIGKILL: no task stops, no offset is committed, no Iceberg commit completes. */
    public void killHard() throws InterruptedException {
        jmx.close();
        jvm.killHard();
    }

    /** Starts the worker again with the same settings; returns once its REST API answers. */
    public void restart() throws IOException, InterruptedException {
        jmx.close();
        if (jvm.alive()) {
            jvm.stop(30_000);
        }
        startProcess();
    }

    /** The worker's MBean server over JMX remote. */
    public MBeanServerConnection jmx() throws IOException {
        return jmx.server();
    }

    /** The attributes of every MBean matching the pattern, by object name. */
    public Map<String, Map<String, Double>> metrics(String pattern, List<String> attributes) throws Exception {
        return jmx.read(pattern, attributes);
    }

    @Override
    public void close() throws InterruptedException {
        jmx.close();
        if (jvm != null) {
            jvm.stop(30_000);
        }
    }
}
