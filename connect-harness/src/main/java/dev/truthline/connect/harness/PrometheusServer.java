package dev.truthline.connect.harness;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Prometheus server (the {@code prometheus} program of Debian's {@code prometheus} package) on a free local
 * port with its storage in a folder of its own, scraping JMX-exporter targets every second and evaluating a rule
 * file every second; read back through its HTTP API.
 */
public final class PrometheusServer implements AutoCloseable {

    /** Where {@link #find} looks first: a folder holding {@code prometheus} and {@code promtool}. */
    public static final String BIN_PROPERTY = "truthline.prometheus.bin";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final URI url;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private PrometheusServer(Process process, URI url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** A Prometheus program ({@code prometheus}, {@code promtool}) under {@value #BIN_PROPERTY} or on the PATH. */
    public static Optional<Path> find(String program) {
        List<String> dirs = new ArrayList<>();
        String configured = System.getProperty(BIN_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            dirs.add(configured);
        }
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        return dirs.stream().map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst();
    }

    /**
     * The shipped alert rules with windows short enough for a run of minutes: every {@code [10m]} range becomes
     * {@code range} and every tunable {@code for: 2m # TUNE} becomes {@code for: <pending> # TUNE}. Fails when the
     * rules no longer hold those markers, rather than silently keep the long windows.
     */
    public static String shortWindows(String rules, String range, String pending) {
        if (!rules.contains("[10m]") || !rules.contains("for: 2m # TUNE")) {
            throw new IllegalArgumentException("the alert rules hold no [10m] window or no 'for: 2m # TUNE' to shorten");
        }
        return rules.replace("[10m]", "[" + range + "]").replace("for: 2m # TUNE", "for: " + pending + " # TUNE");
    }

    /** Starts {@code prometheus} scraping {@code targets} (host:port) and evaluating {@code ruleFile}; waits until ready. */
    public static PrometheusServer start(Path prometheus, Path dir, List<String> targets, Path ruleFile)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: truthline-connect
                    static_configs:
                      - targets: [%s]
                """.formatted(ruleFile.toAbsolutePath(),
                targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))));
        int port = Ports.free();
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(List.of(prometheus.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port + "/"), log);
        try {
            Waits.until(() -> {
                if (!process.isAlive()) {
                    throw new Waits.Hopeless("prometheus exited with " + process.exitValue() + "; see " + log);
                }
                return server.http.send(HttpRequest.newBuilder(server.url.resolve("-/ready")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            }, Duration.ofSeconds(60), 250, () -> "prometheus did not become ready; see " + log);
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public URI url() {
        return url;
    }

    public Path log() {
        return log;
    }

    /** GET on the HTTP API; the {@code data} member of a successful answer. */
    public JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.resolve("api/v1/" + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("GET api/v1/" + pathAndQuery + ": " + response.statusCode() + " "
                    + response.body());
        }
        return body.path("data");
    }

    /** An instant query's result vector. */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        return api("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("result");
    }

    /** The alerts Prometheus holds now (pending or firing). */
    public JsonNode alerts() throws IOException, InterruptedException {
        return api("alerts").path("alerts");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
