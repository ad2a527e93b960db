package dev.truthline.ops;

import static org.apache.kafka.test.TestUtils.waitForCondition;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A real Prometheus server (the {@code prometheus} program) on a free port with its storage in a temporary
 * folder, scraping one target every second and evaluating a rule file every second.
 */
final class PrometheusServer implements AutoCloseable {

    private final Process process;
    private final URI url;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private PrometheusServer(Process process, URI url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    static PrometheusServer start(Path prometheus, Path dir, String target, Path ruleFile) throws Exception {
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
                      - targets: ['%s']
                """.formatted(ruleFile.toAbsolutePath(), target));
        int port = ObservedConnect.freePort();
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(List.of(prometheus.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port + "/"), log);
        waitForCondition(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue() + "; see " + log);
            }
            try {
                return server.http.send(HttpRequest.newBuilder(server.url.resolve("-/ready")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        }, 60_000, () -> "prometheus did not become ready; see " + log);
        return server;
    }

    /** GET on the HTTP API; the {@code data} member of a successful answer. */
    JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.resolve("api/v1/" + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = ObservedConnect.JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new AssertionError("GET api/v1/" + pathAndQuery + ": " + response.statusCode() + " " + response.body());
        }
        return body.path("data");
    }

    /** An instant query's result vector. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        return api("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("result");
    }

    /** The alerts Prometheus holds now (pending or firing). */
    JsonNode alerts() throws IOException, InterruptedException {
        return api("alerts").path("alerts");
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
