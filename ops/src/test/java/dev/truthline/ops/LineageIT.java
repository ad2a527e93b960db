package dev.truthline.ops;

import static dev.truthline.ops.OrdersWorkload.CONNECTOR;
import static dev.truthline.ops.OrdersWorkload.TOPIC;
import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.truthline.connect.lineage.RunEventCheck;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
import io.openlineage.client.OpenLineageClientUtils;

/**
 * The OpenLineage events of a real worker running the lineage extension from the packaged plugin (file transport,
 * one event a line), read back through the OpenLineage client's model — generated from the spec's
 * OpenLineage.json — and checked against the spec: spec/OpenLineage.md, spec/OpenLineage.json, spec/Naming.md and
 * the facet schemas under spec/facets/ in the OpenLineage/OpenLineage repository.
 */
class LineageIT {

    private static final Logger log = LoggerFactory.getLogger(LineageIT.class);
    private static final String FAILING = "orders-failing";
    private static final String FAILING_TOPIC = "orders-failing";

    private static ObservedConnect connect;
    private static Path events;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir")).resolve("lineage-" + System.nanoTime())
                .toAbsolutePath();
        Files.createDirectories(dir);
        events = dir.resolve("events.jsonl");
        Path clientConfig = dir.resolve("openlineage.yml");
        Files.writeString(clientConfig, "transport:\n  type: file\n  location: " + events + "\n");
        connect = ObservedConnect.start("lineage", Map.of(
                "rest.extension.classes", "dev.truthline.connect.lineage.TruthlineLineage",
                "truthline.lineage.interval.ms", "1000",
                "truthline.lineage.openlineage.config", clientConfig.toString()));
        connect.kafka().createTopic(TOPIC, 1);
        connect.kafka().createTopic(OrdersWorkload.DLQ, 1);
        connect.kafka().createTopic(FAILING_TOPIC, 1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (connect != null) {
            connect.close();
        }
    }

    @Test
    void everyConnectorRunIsReportedByTheSpec() throws Exception {
        OrdersWorkload workload = new OrdersWorkload();
        connect.putConnector(CONNECTOR, OrdersWorkload.connectorConfig());
        connect.awaitRunning(CONNECTOR, 1);
        Map<String, String> valid = workload.valid(20);
        connect.send(TOPIC, valid);
        connect.send(TOPIC, workload.invalid(5));
        Map<String, String> copies = new LinkedHashMap<>();
        valid.entrySet().stream().limit(3).forEach(e -> copies.put(e.getKey(), e.getValue()));
        connect.send(TOPIC, copies);
        // A RUNNING event that counts every record: 28 validated, 5 of them breaking amount_positive.
        waitForCondition(() -> read().stream().anyMatch(e -> e.getEventType() == EventType.RUNNING
                && CONNECTOR.equals(e.getJob().getName()) && rowCount(e) == 28), 60_000,
                () -> "no RUNNING event of " + CONNECTOR + " with 28 records: " + summary());

        // A connector without error tolerance: its task fails on the first invalid order.
        Map<String, String> failing = new LinkedHashMap<>(OrdersWorkload.connectorConfig());
        failing.keySet().removeIf(k -> k.startsWith("errors."));
        failing.put("topics", FAILING_TOPIC);
        connect.putConnector(FAILING, failing);
        connect.awaitRunning(FAILING, 1);
        // A failed task's metrics are gone with it, so the FAIL event carries the counts of the last poll: wait for a
        // poll that saw the task's transforms before breaking it (else a fast failure leaves nothing to carry).
        waitForCondition(() -> read().stream().anyMatch(e -> e.getEventType() == EventType.RUNNING
                && FAILING.equals(e.getJob().getName())
                && e.getRun().getFacets().getAdditionalProperties().containsKey("truthline_validation")), 60_000,
                () -> "no RUNNING event of " + FAILING + " with its transforms' counts: " + summary());
        connect.send(FAILING_TOPIC, workload.invalid(1));
        waitForCondition(() -> read().stream().anyMatch(e -> e.getEventType() == EventType.FAIL
                && FAILING.equals(e.getJob().getName())), 60_000, () -> "no FAIL event of " + FAILING + ": " + summary());

        connect.deleteConnector(CONNECTOR);
        waitForCondition(() -> read().stream().anyMatch(e -> e.getEventType() == EventType.COMPLETE
                && CONNECTOR.equals(e.getJob().getName())), 60_000, () -> "no COMPLETE event of " + CONNECTOR + ": "
                + summary());

        List<OpenLineage.RunEvent> all = read();
        log.info("{} events: {}", all.size(), summary());
        List<JsonNode> raw = rawEvents();
        assertThat(raw).hasSameSizeAs(all);
        // spec/OpenLineage.json (RunEvent, BaseFacet), OpenLineage.md (custom facet naming, run cycle), Naming.md.
        assertThat(RunEventCheck.streamProblems(raw, false)).isEmpty();
        assertThat(raw).allSatisfy(e -> assertThat(e.path("job").path("namespace").asText())
                .isEqualTo("kafka-connect://observed-lineage"));
        all.forEach(LineageIT::namesItsDatasetsByTheNamingSpec);
        assertRunLifecycle(all, CONNECTOR, EventType.COMPLETE);
        assertRunLifecycle(all, FAILING, EventType.FAIL);

        // The last RUNNING event of the orders connector: its data-quality facets.
        OpenLineage.RunEvent running = all.stream().filter(e -> e.getEventType() == EventType.RUNNING
                && CONNECTOR.equals(e.getJob().getName()) && rowCount(e) == 28).reduce((a, b) -> b).orElseThrow();
        OpenLineage.InputDataset input = running.getInputs().get(0);
        assertThat(input.getName()).isEqualTo(TOPIC);
        // spec/facets/DataQualityMetricsInputDatasetFacet.json: rowCount, the number of rows evaluated.
        assertThat(input.getInputFacets().getDataQualityMetrics().getRowCount()).isEqualTo(28);
        // spec/facets/DataQualityAssertionsDatasetFacet.json: a list of {assertion, success, column}: one per rule.
        Map<String, OpenLineage.DataQualityAssertionsDatasetFacetAssertions> assertions = input.getInputFacets()
                .getDataQualityAssertions().getAssertions().stream()
                .collect(Collectors.toMap(OpenLineage.DataQualityAssertionsDatasetFacetAssertions::getAssertion, a -> a));
        assertThat(assertions).containsOnlyKeys(OrdersWorkload.RULE_AMOUNT, OrdersWorkload.RULE_CURRENCY);
        assertThat(assertions.get(OrdersWorkload.RULE_AMOUNT).getColumn()).isEqualTo("amount");
        assertThat(assertions.get(OrdersWorkload.RULE_CURRENCY).getSuccess()).isTrue();
        // The amount rule failed in the interval of the first event that saw the invalid records.
        assertThat(all.stream().filter(e -> CONNECTOR.equals(e.getJob().getName()) && !e.getInputs().isEmpty()
                && e.getInputs().get(0).getInputFacets() != null
                && e.getInputs().get(0).getInputFacets().getDataQualityAssertions() != null)
                .flatMap(e -> e.getInputs().get(0).getInputFacets().getDataQualityAssertions().getAssertions().stream())
                .anyMatch(a -> a.getAssertion().equals(OrdersWorkload.RULE_AMOUNT) && !a.getSuccess())).isTrue();
        // Custom facets: Truthline's counts.
        Map<String, Object> validation = facet(running, "truthline_validation", OrdersWorkload.VALIDATE);
        assertThat(validation).containsEntry("recordsTotal", 28).containsEntry("recordsValid", 23)
                .containsEntry("recordsInvalid", 5).containsEntry("contract", "orders@1.0.0");
        Map<String, Object> dedupe = facet(running, "truthline_deduplication", OrdersWorkload.DEDUPE);
        assertThat(dedupe).containsEntry("duplicatesTotal", 3).containsEntry("recordsPassed", 20)
                .containsEntry("windowEntries", 20).containsEntry("windowMaxEntries", 1000);
        // The DLQ is an output: where the 5 invalid records went.
        assertThat(running.getOutputs()).extracting(OpenLineage.OutputDataset::getName).contains(OrdersWorkload.DLQ);

        // spec/facets/ErrorMessageRunFacet.json: message and programmingLanguage are required.
        OpenLineage.RunEvent fail = all.stream().filter(e -> e.getEventType() == EventType.FAIL).findFirst()
                .orElseThrow();
        assertThat(fail.getRun().getFacets().getErrorMessage().getMessage()).contains("task 0 failed");
        assertThat(fail.getRun().getFacets().getErrorMessage().getProgrammingLanguage()).isEqualTo("java");
        // The failed task's metrics are gone with it: the FAIL event carries the counts last read (the task may have
        // failed before a poll saw its one invalid order, so only the keys are certain).
        assertThat(facet(fail, "truthline_validation", OrdersWorkload.VALIDATE)).containsKeys("recordsInvalid",
                "violationsByRule");
    }

    /**
     * spec/Naming.md and the naming table: a Kafka topic is namespace kafka://{bootstrap server host}:{port}, name
     * {topic}.
     */
    private static void namesItsDatasetsByTheNamingSpec(OpenLineage.RunEvent event) {
        String kafka = "kafka://" + connect.kafka().bootstrapServers().split(",")[0].replaceFirst("^[A-Z_]+://", "");
        List<OpenLineage.Dataset> datasets = new ArrayList<>(event.getInputs());
        datasets.addAll(event.getOutputs());
        assertThat(datasets).isNotEmpty().allSatisfy(d -> {
            assertThat(d.getNamespace()).isEqualTo(kafka).matches("kafka://[^/:]+:\\d+");
            assertThat(d.getName()).doesNotContain("/");
        });
        assertThat(event.getInputs()).extracting(OpenLineage.Dataset::getName)
                .containsExactly(CONNECTOR.equals(event.getJob().getName()) ? TOPIC : FAILING_TOPIC);
    }

    /**
     * spec/OpenLineage.md, Run Event: "It is required to at least send a START event and a COMPLETE/FAIL/ABORT
     * event." One run of each connector: START first, RUNNING between, one terminal event last.
     */
    private static void assertRunLifecycle(List<OpenLineage.RunEvent> all, String connector, EventType end) {
        List<OpenLineage.RunEvent> events = all.stream().filter(e -> connector.equals(e.getJob().getName())).toList();
        assertThat(events.stream().map(e -> e.getRun().getRunId()).distinct()).as(connector).hasSize(1);
        assertThat(events.get(0).getEventType()).isEqualTo(EventType.START);
        assertThat(events.get(events.size() - 1).getEventType()).isEqualTo(end);
        assertThat(events.subList(1, events.size() - 1)).extracting(OpenLineage.RunEvent::getEventType)
                .allMatch(EventType.RUNNING::equals);
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).getEventTime()).isAfterOrEqualTo(events.get(i - 1).getEventTime());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> facet(OpenLineage.RunEvent event, String facet, String alias) {
        OpenLineage.RunFacet f = event.getRun().getFacets().getAdditionalProperties().get(facet);
        assertThat(f).as("%s in %s", facet, event.getRun().getFacets().getAdditionalProperties().keySet()).isNotNull();
        Map<String, Object> transforms = (Map<String, Object>) f.getAdditionalProperties().get("transforms");
        return (Map<String, Object>) transforms.get(alias);
    }

    private static long rowCount(OpenLineage.RunEvent e) {
        if (e.getInputs().isEmpty() || e.getInputs().get(0).getInputFacets() == null
                || e.getInputs().get(0).getInputFacets().getDataQualityMetrics() == null) {
            return -1;
        }
        return e.getInputs().get(0).getInputFacets().getDataQualityMetrics().getRowCount();
    }

    private static List<OpenLineage.RunEvent> read() throws Exception {
        if (!Files.exists(events)) {
            return List.of();
        }
        return Files.readAllLines(events).stream().filter(l -> !l.isBlank())
                .map(OpenLineageClientUtils::runEventFromJson).toList();
    }

    private static List<JsonNode> rawEvents() throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(events)) {
            if (!line.isBlank()) {
                nodes.add(ObservedConnect.JSON.readTree(line));
            }
        }
        return nodes;
    }

    private static String summary() {
        try {
            return read().stream().map(e -> e.getJob().getName() + ":" + e.getEventType() + ":" + rowCount(e))
                    .collect(Collectors.joining(", "));
        } catch (Exception e) {
            return e.toString();
        }
    }

}
