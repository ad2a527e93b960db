package dev.truthline.ops;

import static dev.truthline.ops.OrdersWorkload.CONNECTOR;
import static dev.truthline.ops.OrdersWorkload.DEDUPE;
import static dev.truthline.ops.OrdersWorkload.TOPIC;
import static dev.truthline.ops.OrdersWorkload.VALIDATE;
import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.truthline.connect.harness.PrometheusServer;

/**
 * One real Connect worker with the exporter agent, running the packaged plugin: its scrape has the series
 * docs/operations.md lists, with the right labels and values; the dashboard and the alert rules read only
 * series it exposes; and a real Prometheus scraping it fires the pass-rate alert on a burst of invalid
 * records and resolves it after the burst.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservedWorkerIT {

    private static final Logger log = LoggerFactory.getLogger(ObservedWorkerIT.class);
    /** Series the alert rules read that a worker may not expose yet (none: every one is published). */
    static final Set<String> AWAITED = Set.of();

    private static ObservedConnect connect;
    private static final OrdersWorkload workload = new OrdersWorkload();
    private static final Map<String, String> CONTRACT = Map.of("connector", CONNECTOR, "task", "0", "transformation",
            VALIDATE);
    private static final Map<String, String> WINDOW = Map.of("connector", CONNECTOR, "task", "0", "transformation",
            DEDUPE);

    @BeforeAll
    static void start() throws Exception {
        connect = ObservedConnect.start("ops", Map.of());
        connect.kafka().createTopic(TOPIC, 1);
        connect.kafka().createTopic(OrdersWorkload.DLQ, 1);
        connect.putConnector(CONNECTOR, OrdersWorkload.connectorConfig());
        connect.awaitRunning(CONNECTOR, 1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (connect != null) {
            connect.close();
        }
    }

    @Test
    @Order(1)
    void theScrapeHasEverySeriesWithItsLabels() throws Exception {
        Map<String, String> valid = workload.valid(20);
        connect.send(TOPIC, valid);
        connect.send(TOPIC, workload.invalid(5));
        // Three copies of valid orders at new offsets: duplicates.
        Map<String, String> copies = new LinkedHashMap<>();
        valid.entrySet().stream().limit(3).forEach(e -> copies.put(e.getKey(), e.getValue()));
        connect.send(TOPIC, copies);
        waitForCondition(() -> value(connect.scrape(), "kafka_connect_sink_task_sink_record_read_total",
                Map.of("connector", CONNECTOR)) == 28, 60_000, () -> "the worker did not read the 28 records");
        PrometheusText scrape = connect.scrape();

        assertThat(value(scrape, "truthline_records_total", CONTRACT)).isEqualTo(28);
        assertThat(value(scrape, "truthline_records_valid_total", CONTRACT)).isEqualTo(23);
        assertThat(value(scrape, "truthline_records_invalid_total", CONTRACT)).isEqualTo(5);
        assertThat(value(scrape, "truthline_records_failed_total", CONTRACT)).isEqualTo(5);
        for (String zero : List.of("truthline_records_quarantined_total", "truthline_records_dropped_total",
                "truthline_records_warned_total")) {
            assertThat(value(scrape, zero, CONTRACT)).as(zero).isZero();
        }
        assertThat(value(scrape, "truthline_records_skipped_total", CONTRACT)).isZero();
        assertThat(value(scrape, "truthline_violations_total", with(CONTRACT, "rule", OrdersWorkload.RULE_AMOUNT)))
                .isEqualTo(5);
        assertThat(value(scrape, "truthline_violations_total", with(CONTRACT, "rule", OrdersWorkload.RULE_CURRENCY)))
                .isZero();

        assertThat(value(scrape, "truthline_records_total", WINDOW)).isEqualTo(23);
        assertThat(value(scrape, "truthline_records_passed_total", WINDOW)).isEqualTo(20);
        assertThat(value(scrape, "truthline_dedupe_duplicates_total", WINDOW)).isEqualTo(3);
        assertThat(value(scrape, "truthline_dedupe_window_entries", WINDOW)).isEqualTo(20);
        assertThat(value(scrape, "truthline_dedupe_window_max_entries", WINDOW)).isEqualTo(1000);
        for (String zero : List.of("truthline_dedupe_stale_total", "truthline_dedupe_replays_total",
                "truthline_dedupe_missing_id_total", "truthline_dedupe_window_evictions_total")) {
            assertThat(value(scrape, zero, WINDOW)).as(zero).isZero();
        }

        Map<String, String> task = Map.of("connector", CONNECTOR, "task", "0");
        assertThat(value(scrape, "kafka_connect_connector_task_status", with(task, "status", "running"))).isEqualTo(1);
        assertThat(value(scrape, "kafka_connect_connector_status", Map.of("connector", CONNECTOR, "status", "running")))
                .isEqualTo(1);
        assertThat(value(scrape, "kafka_connect_task_error_deadletterqueue_produce_requests", task)).isEqualTo(5);
        assertThat(value(scrape, "kafka_connect_task_error_deadletterqueue_produce_failures", task)).isZero();
        assertThat(value(scrape, "kafka_connect_task_error_total_record_failures", task)).isEqualTo(5);
        assertThat(value(scrape, "kafka_connect_sink_task_sink_record_send_total", task)).isEqualTo(20);
        waitForCondition(() -> value(connect.scrape(), "kafka_connect_sink_records_lag",
                with(task, "topic", TOPIC, "partition", "0")) == 0, 60_000, () -> "no sink lag series at 0");

        // Every rule produced a name of its own: no two beans collapsed into one name (the exporter then adds an
        // _objectname label), and Truthline's series carry exactly their documented labels.
        assertThat(scrape.samples()).noneMatch(s -> s.labels().containsKey("_objectname"));
        assertThat(scrape.startingWith("truthline_")).allSatisfy(s -> assertThat(s.labels().keySet())
                .as(s.name()).isSubsetOf("connector", "task", "transformation", "rule"));
        log.info("Scrape: {} samples, {} series names", scrape.samples().size(), scrape.names().size());
    }

    @Test
    @Order(2)
    void theAlertRulesReadOnlyExposedSeries() throws Exception {
        Set<String> exposed = connect.scrape().names();
        Map<String, Set<String>> missing = new TreeMap<>();
        AlertRulesTest.alertMetricNames().forEach((alert, names) -> {
            Set<String> absent = new TreeSet<>(names);
            absent.removeAll(exposed);
            absent.removeAll(AWAITED);
            if (!absent.isEmpty()) {
                missing.put(alert, absent);
            }
        });
        assertThat(missing).as("series the alert rules read but the worker does not expose").isEmpty();
    }

    @Test
    @Order(3)
    void theDashboardQueriesOnlyExposedSeries() throws Exception {
        Set<String> exposed = connect.scrape().names();
        JsonNode dashboard = ObservedConnect.JSON.readTree(ObservedConnect.OPS_DIR
                .resolve("grafana/truthline-dashboard.json").toFile());
        Map<String, Set<String>> missing = new TreeMap<>();
        int queries = 0;
        for (String expr : GrafanaDashboard.queries(dashboard)) {
            queries++;
            Set<String> names = PromqlNames.of(expr);
            assertThat(names).as("metric names in %s", expr).isNotEmpty();
            Set<String> absent = new TreeSet<>(names);
            absent.removeAll(exposed);
            if (!absent.isEmpty()) {
                missing.put(expr, absent);
            }
        }
        assertThat(queries).isGreaterThanOrEqualTo(20);
        assertThat(missing).as("dashboard queries reading series the worker does not expose").isEmpty();
    }

    /**
     * A real Prometheus scrapes the worker and evaluates the pass-rate alert from truthline-alerts.yaml. Test-only
     * windows: the rule file is the real one with every {@code [10m]} range shortened to {@code [10s]} (ten scrapes: a
     * rate over it has samples enough) and its {@code for: 2m} to {@code for: 3s}, so a burst fires the alert within
     * seconds and ages out 10 s later.
     */
    @Test
    @Order(4)
    void aBurstOfInvalidRecordsFiresThePassRateAlertAndItResolves() throws Exception {
        Path prometheus = PrometheusTools.require("prometheus");
        Path dir = connect.dir().resolve("prometheus");
        Files.createDirectories(dir);
        Path rules = dir.resolve("truthline-alerts.test-windows.yaml");
        Files.writeString(rules, PrometheusServer.shortWindows(Files.readString(AlertRulesTest.RULES), "10s", "3s"));
        ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
        try (PrometheusServer server = PrometheusServer.start(prometheus, dir, List.of(connect.exporterTarget()), rules)) {
            // Steady valid traffic: 20 records a second.
            traffic.scheduleAtFixedRate(() -> {
                try {
                    connect.send(TOPIC, workload.valid(10));
                } catch (Exception e) {
                    log.warn("Sending valid records failed", e);
                }
            }, 0, 500, TimeUnit.MILLISECONDS);
            String passRate = "sum by (connector) (rate(truthline_records_valid_total[10s])) / (sum by (connector) "
                    + "(rate(truthline_records_valid_total[10s])) + sum by (connector) "
                    + "(rate(truthline_records_invalid_total[10s])))";
            // Before the burst: the invalid records of the first test have aged out of the window.
            waitForCondition(() -> {
                JsonNode result = server.query(passRate);
                return !result.isEmpty() && result.get(0).path("value").get(1).asDouble() == 1.0
                        && passRateAlert(server).isEmpty();
            }, 120_000, () -> "pass rate did not settle at 1 without an alert; see " + server.log());
            long burstAt = System.nanoTime();
            connect.send(TOPIC, workload.invalid(50));
            log.info("Burst of 50 invalid records sent");
            waitForCondition(() -> passRateAlert(server).map(a -> "firing".equals(a.path("state").asText()))
                    .orElse(false), 120_000, () -> "TruthlinePassRateBelowSLO did not fire; see " + server.log());
            JsonNode alert = passRateAlert(server).orElseThrow();
            log.info("Alert firing {} ms after the burst: {}", ms(burstAt), alert);
            assertThat(alert.path("labels").path("connector").asText()).isEqualTo(CONNECTOR);
            assertThat(alert.path("labels").path("transformation").asText()).isEqualTo(VALIDATE);
            assertThat(alert.path("labels").path("severity").asText()).isEqualTo("critical");
            assertThat(alert.path("annotations").path("runbook").asText()).isNotBlank();
            assertThat(Double.parseDouble(alert.path("value").asText())).isLessThan(0.995);
            waitForCondition(() -> passRateAlert(server).isEmpty(), 120_000,
                    () -> "TruthlinePassRateBelowSLO did not resolve after the burst; see " + server.log());
            log.info("Alert resolved {} ms after the burst", ms(burstAt));
            JsonNode result = server.query(passRate);
            assertThat(result.get(0).path("value").get(1).asDouble()).isEqualTo(1.0);
        } finally {
            traffic.shutdownNow();
            traffic.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /**
     * TruthlineTaskFailed reads the failed state from the scrape: a failed task's metrics must stay registered with
     * status "failed" (Connect removes them only when the task is stopped or restarted).
     */
    @Test
    @Order(5)
    void aFailedTaskIsScrapedAsFailed() throws Exception {
        String failing = "orders-failing";
        connect.kafka().createTopic(failing, 1);
        Map<String, String> config = new LinkedHashMap<>(OrdersWorkload.connectorConfig());
        config.keySet().removeIf(k -> k.startsWith("errors."));
        config.put("topics", failing);
        connect.putConnector(failing, config);
        connect.awaitRunning(failing, 1);
        connect.send(failing, workload.invalid(1));
        Map<String, String> failed = Map.of("connector", failing, "task", "0", "status", "failed");
        waitForCondition(() -> connect.scrape().find("kafka_connect_connector_task_status", failed).size() == 1,
                60_000, () -> "no failed task series: " + connect.describe(failing));
        PrometheusText scrape = connect.scrape();
        assertThat(value(scrape, "kafka_connect_connector_task_status", failed)).isEqualTo(1);
        assertThat(scrape.find("kafka_connect_connector_task_status", Map.of("connector", failing, "status", "running")))
                .isEmpty();
    }

    private static java.util.Optional<JsonNode> passRateAlert(PrometheusServer server) throws Exception {
        for (JsonNode alert : server.alerts()) {
            if ("TruthlinePassRateBelowSLO".equals(alert.path("labels").path("alertname").asText())) {
                return java.util.Optional.of(alert);
            }
        }
        return java.util.Optional.empty();
    }

    private static long ms(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    /** The value of the one sample of a name with these labels (among others). */
    static double value(PrometheusText scrape, String name, Map<String, String> labels) {
        List<PrometheusText.Sample> found = scrape.find(name, labels);
        assertThat(found).as("%s%s among %s", name, labels, scrape.find(name, Map.of())).hasSize(1);
        return found.get(0).value();
    }

    static Map<String, String> with(Map<String, String> labels, String... more) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        for (int i = 0; i < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        return all;
    }
}
