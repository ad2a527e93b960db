package dev.truthline.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.truthline.connect.harness.ConnectRest;
import dev.truthline.connect.harness.Ports;
import dev.truthline.connect.harness.PrometheusServer;
import dev.truthline.connect.harness.WorkerSettings;
import dev.truthline.connect.lineage.RunEventCheck;

/**
 * {@code truthline demo --observe}: the demo's worker run as an operator runs one — the Prometheus JMX-exporter
 * agent with the plugin's {@code etc/jmx-exporter.yaml}, the OpenLineage extension writing run events to a file —
 * and, where the {@code prometheus} program is installed, a real Prometheus scraping the worker and evaluating
 * the plugin's {@code etc/truthline-alerts.yaml} with windows short enough for a run of minutes. The report says
 * which alerts fired and whether they resolved, and checks every lineage event against the OpenLineage spec.
 */
final class Observation implements AutoCloseable {

    static final String LINEAGE_EXTENSION = "dev.truthline.connect.lineage.TruthlineLineage";
    /** The alert windows of the demo's copy of the rules: a demo run lasts minutes, not hours. */
    static final String WINDOW = "30s";
    static final String PENDING = "5s";

    private final DemoSettings settings;
    private final Console console;
    private final Path dir;
    private final int exporterPort;
    private final Path exporterConfig;
    private final Path alertRules;
    private PrometheusServer prometheus;
    private long startedMillis;

    Observation(DemoSettings settings, Console console, Path work) throws IOException {
        this.settings = settings;
        this.console = console;
        this.dir = work.resolve("observe");
        if (!Files.isRegularFile(settings.exporterAgent)) {
            throw new IllegalArgumentException("--observe needs the JMX-exporter agent at " + settings.exporterAgent
                    + " (the build copies it there: ./mvnw -pl demo -am package)");
        }
        Path etc = pluginEtc(settings.pluginPath).orElseThrow(() -> new IllegalArgumentException(
                "--observe needs the Truthline plugin's etc/jmx-exporter.yaml on plugin.path " + settings.pluginPath));
        this.exporterConfig = etc.resolve("jmx-exporter.yaml");
        this.alertRules = etc.resolve("truthline-alerts.yaml");
        this.exporterPort = Ports.free();
    }

    /** The Truthline plugin folder's {@code etc/} (it ships the exporter config and the alert rules). */
    static Optional<Path> pluginEtc(List<Path> pluginPath) throws IOException {
        for (Path entry : pluginPath) {
            if (!Files.isDirectory(entry)) {
                continue;
            }
            try (var folders = Files.list(entry)) {
                Optional<Path> etc = folders.map(f -> f.resolve("etc")).filter(e -> Files.isRegularFile(
                        e.resolve("jmx-exporter.yaml"))).findFirst();
                if (etc.isPresent()) {
                    return etc;
                }
            }
        }
        return Optional.empty();
    }

    /** What an operator adds to {@code KAFKA_OPTS} (docs/operations.md). */
    List<String> workerJvmOptions() {
        return List.of("-javaagent:" + settings.exporterAgent.toAbsolutePath() + "=" + exporterPort + ":" + exporterConfig);
    }

    /** The lineage extension beside the config-validation one, events to a file, a RUNNING event every 5 s. */
    Map<String, String> workerProperties() throws IOException {
        Files.createDirectories(dir);
        Path client = dir.resolve("openlineage.yml");
        Files.writeString(client, "transport:\n  type: file\n  location: " + events() + "\n");
        return Map.of("rest.extension.classes", WorkerSettings.REST_EXTENSION + "," + LINEAGE_EXTENSION,
                "truthline.lineage.interval.ms", "5000",
                "truthline.lineage.openlineage.config", client.toString());
    }

    Path events() {
        return dir.resolve("lineage-events.jsonl");
    }

    String exporterTarget() {
        return "localhost:" + exporterPort;
    }

    /** Once the worker runs: Prometheus scraping it, where the program is installed; a note how to get it otherwise. */
    void workerStarted() throws Exception {
        startedMillis = System.currentTimeMillis();
        console.step("observe");
        Optional<Path> program = settings.prometheus != null ? Optional.of(settings.prometheus)
                : PrometheusServer.find("prometheus");
        if (program.isEmpty()) {
            console.done("metrics at http://" + exporterTarget() + "/metrics, lineage in " + events()
                    + "; no prometheus program (Debian/Ubuntu: apt-get install prometheus, or --prometheus PATH):"
                    + " alerts not evaluated");
            return;
        }
        Path rules = dir.resolve("truthline-alerts.demo-windows.yaml");
        Files.writeString(rules, PrometheusServer.shortWindows(Files.readString(alertRules), WINDOW, PENDING));
        prometheus = PrometheusServer.start(program.get(), dir.resolve("prometheus"), List.of(exporterTarget()), rules);
        console.done("Prometheus " + prometheus.url() + " scraping " + exporterTarget() + ", rules with [" + WINDOW
                + "] windows; lineage in " + events());
    }

    /** What was observed: scrape health, alerts fired and resolved, lineage events and their spec check. */
    record Findings(boolean scraped, List<String> fired, List<String> firingNow, Map<String, Integer> lineageEvents,
            List<String> lineageProblems) {
    }

    Findings findings() throws Exception {
        boolean scraped = false;
        List<String> fired = new ArrayList<>();
        List<String> firingNow = new ArrayList<>();
        if (prometheus != null) {
            JsonNode up = prometheus.query("up{job=\"truthline-connect\"}");
            scraped = !up.isEmpty() && up.get(0).path("value").get(1).asText().equals("1");
            long seconds = Math.max(60, (System.currentTimeMillis() - startedMillis) / 1000 + 5);
            for (JsonNode series : prometheus.query("max_over_time(ALERTS{alertstate=\"firing\"}[" + seconds + "s])")) {
                fired.add(alert(series.path("metric")));
            }
            for (JsonNode alert : prometheus.alerts()) {
                if ("firing".equals(alert.path("state").asText())) {
                    firingNow.add(alert(alert.path("labels")));
                }
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        List<JsonNode> events = new ArrayList<>();
        if (Files.exists(events())) {
            for (String line : Files.readAllLines(events())) {
                if (!line.isBlank()) {
                    JsonNode e = ConnectRest.JSON.readTree(line);
                    events.add(e);
                    counts.merge(e.path("job").path("name").asText() + " " + e.path("eventType").asText(), 1,
                            Integer::sum);
                }
            }
        }
        return new Findings(scraped, List.copyOf(fired), List.copyOf(firingNow), counts,
                RunEventCheck.streamProblems(events, false));
    }

    private static String alert(JsonNode labels) {
        return labels.path("alertname").asText() + "{connector=" + labels.path("connector").asText()
                + (labels.has("transformation") ? ", transformation=" + labels.path("transformation").asText() : "")
                + (labels.has("rule") ? ", rule=" + labels.path("rule").asText() : "") + "}";
    }

    void print(Findings f, PrintWriter out) {
        out.printf("%nObserved (--observe)%n");
        if (prometheus == null) {
            out.printf("  Prometheus: not installed here, alerts not evaluated (metrics were at http://%s/metrics)%n",
                    exporterTarget());
        } else {
            out.printf("  Prometheus %s: worker scrape %s%n", prometheus.url(), f.scraped() ? "up" : "DOWN");
            if (f.fired().isEmpty()) {
                out.printf("  alerts fired: none%n");
            }
            for (String a : f.fired()) {
                out.printf("  alert fired: %s, %s%n", a, f.firingNow().contains(a) ? "still firing" : "resolved");
            }
        }
        int total = f.lineageEvents().values().stream().mapToInt(Integer::intValue).sum();
        out.printf("  OpenLineage: %,d run events in %s, %s%n", total, events(), f.lineageProblems().isEmpty()
                ? "every one as the spec says (RunEvent, facets, run cycle, dataset naming)"
                : f.lineageProblems().size() + " problems with the spec:");
        f.lineageProblems().stream().limit(10).forEach(p -> out.printf("    %s%n", p));
        f.lineageEvents().forEach((k, n) -> out.printf("    %-40s %,d%n", k, n));
        out.flush();
    }

    @Override
    public void close() throws InterruptedException {
        if (prometheus != null) {
            prometheus.close();
        }
    }
}
