package dev.truthline.connect.iceberg;

import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.truthline.audit.defects.TriageMain;
import dev.truthline.cli.deploy.DeployCommand;
import dev.truthline.connect.iceberg.OrdersPipeline.AuditRun;
import dev.truthline.connect.pipeline.ConnectorJson;
import dev.truthline.connect.pipeline.PipelineCluster;
import dev.truthline.replay.ReplayMain;
import picocli.CommandLine;

/**
 * The weekly ritual on the reference pipeline — triage, fix, replay, audit — with the real commands. Upstream adds
 * two order statuses the contracts do not know: {@code PARTIALLY_REFUNDED} breaks the source's shape contract (a
 * status of at most 9 characters: quarantined at the source), {@code REFUNDED} passes it and breaks the sinks'
 * business rules (not a known status: dead-lettered by silver and the warehouse). The contracts are loosened with
 * {@code truthline deploy}; {@code truthline triage} names each cause with its count; {@code truthline replay} sends
 * exactly those records back — each lands once in silver and the warehouse, a second replay adds nothing, a record
 * that still breaks the loosened contract stays where it is, and a replayed change older than a newer landed one
 * does not overwrite it; the audit then explains every event, each replayed one with its history, and the rows the
 * rejections left stale are current again.
 */
class ReplayPipelineIT {

    private static final Logger log = LoggerFactory.getLogger(ReplayPipelineIT.class);

    private static final String KNOWN = "NEW,PAID,SHIPPED,DELIVERED,CANCELLED";
    private static final String LOOSENED = KNOWN + ",REFUNDED,PARTIALLY_REFUNDED";

    private static OrdersPipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        pipeline = OrdersPipeline.start("replay-it");
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** The source's shape contract with a status of at most {@code maxStatus} characters, as {@code version}. */
    private static Map<String, String> sourceContract(String version, int maxStatus) {
        ConnectorJson source = ConnectorJson.orders("orders-source.json");
        Map<String, String> c = new LinkedHashMap<>();
        c.put("transforms.contract.contract.version", version);
        c.put("transforms.contract.rules", source.config().get("transforms.contract.rules") + ",status_length");
        c.put("transforms.contract.rules.status_length.type", "length");
        c.put("transforms.contract.rules.status_length.field", "status");
        c.put("transforms.contract.rules.status_length.max", String.valueOf(maxStatus));
        return c;
    }

    /** The sinks' business contract with the statuses {@code known}, as {@code version}. */
    private static Map<String, String> sinkContract(String version, String known) {
        return Map.of("transforms.contract.contract.version", version,
                "transforms.contract.rules.status_known.values", known);
    }

    @Test
    void aContractTooStrictForTheWeeksDataIsLoosenedTriagedReplayedAndAudited() throws Exception {
        pipeline.startConnectors(Map.of(
                "orders-source", sourceContract("3", 9),
                "orders-silver", sinkContract("2", KNOWN),
                "orders-warehouse", sinkContract("2", KNOWN)));
        PipelineCluster cluster = pipeline.cluster();

        // A week's data: ten orders, then the new statuses. 101-104 REFUNDED (dead-lettered); 105, 106
        // PARTIALLY_REFUNDED (quarantined); 107 REFUNDED then CANCELLED and 108 PARTIALLY_REFUNDED then SHIPPED (a newer
        // valid change follows the rejected one); 109 REFUNDED with a negative amount (breaks a rule the fix leaves).
        StringBuilder insert = new StringBuilder(
                "INSERT INTO public.orders (order_id, customer_id, amount, currency, status) VALUES ");
        for (int id = 101; id <= 110; id++) {
            insert.append(id == 101 ? "" : ", ").append("(").append(id).append(", 'C000").append(id).append("', ").append(id).append(".00, 'EUR', 'NEW')");
        }
        cluster.sql(insert.toString(),
                "UPDATE public.orders SET status = 'REFUNDED', updated_at = now() WHERE order_id BETWEEN 101 AND 104",
                "UPDATE public.orders SET status = 'PARTIALLY_REFUNDED', updated_at = now() WHERE order_id IN (105, 106)",
                "UPDATE public.orders SET status = 'REFUNDED', updated_at = now() WHERE order_id = 107",
                "UPDATE public.orders SET status = 'CANCELLED', updated_at = now() WHERE order_id = 107",
                "UPDATE public.orders SET status = 'PARTIALLY_REFUNDED', updated_at = now() WHERE order_id = 108",
                "UPDATE public.orders SET status = 'SHIPPED', updated_at = now() WHERE order_id = 108",
                "UPDATE public.orders SET status = 'REFUNDED', amount = -5.00, updated_at = now() WHERE order_id = 109");
        // 10 inserts + 101-104, 107 (x2), 108 (x2), 109 (x1 dead-lettered) ... silver holds the valid ones:
        // 10 inserts, 107 CANCELLED, 108 SHIPPED.
        pipeline.awaitRows("silver.orders", 12);
        cluster.awaitRecords("orders.events.v1.quarantine", 3);
        cluster.awaitRecords("orders.silver.dlq", 6);
        cluster.awaitRecords("orders.events.dlq", 6);
        waitForCondition(() -> pipeline.warehouse().size() == 10 && "CANCELLED".equals(pipeline.warehouse().get(107L))
                && "SHIPPED".equals(pipeline.warehouse().get(108L)), PipelineCluster.TIMEOUT_MS,
                () -> "warehouse holds " + pipeline.warehouseOrError());

        List<String> auditArgs = List.of("connectUrl=" + pipeline.connectUrl(), "format=json", "memoryLimit=128MB",
                "reconcile=true", "workDir=" + PipelineCluster.tmp().resolve("replay-audit"));
        AuditRun before = OrdersPipeline.audit(auditArgs);
        assertThat(before.exit()).as(before.err()).isZero();
        assertThat(before.report().path("captured").asLong()).isEqualTo(capturedEvents());
        assertThat(before.report().path("fates").path("quarantined").asLong()).isEqualTo(3);
        assertThat(before.report().path("fates").path("dead_lettered").asLong()).isEqualTo(6);
        assertThat(keys(before.report().path("reconciliation"), "stale"))
                .isEqualTo(Set.of(101L, 102L, 103L, 104L, 105L, 106L, 109L));

        // The fix: the contracts loosened, through truthline deploy.
        Path fixed = Files.createDirectories(PipelineCluster.tmp().resolve("replay-fixed"));
        writeConnector(fixed, "orders-source", sourceContract("4", 20));
        writeConnector(fixed, "orders-silver", sinkContract("3", LOOSENED));
        writeConnector(fixed, "orders-warehouse", sinkContract("3", LOOSENED));
        StringWriter deployOut = new StringWriter();
        int deployed = new CommandLine(new DeployCommand()).setOut(new PrintWriter(deployOut, true))
                .setErr(new PrintWriter(deployOut, true)).execute("--connect-url", pipeline.connectUrl(), fixed.toString());
        log.info("deploy: {}", deployOut);
        assertThat(deployed).as(deployOut.toString()).isZero();
        for (String connector : List.of("orders-source", "orders-silver", "orders-warehouse")) {
            cluster.awaitRunning(connector, 1);
        }

        // Triage names each cause with its count: the quarantined status, and per sink the unknown status alone
        // (101-104, 107) and with the negative amount (109).
        String url = "connectUrl=" + pipeline.connectUrl();
        Run triage = run(TriageMain::run, List.of(url, "format=json"));
        assertThat(triage.exit()).as(triage.err()).isZero();
        Map<String, JsonNode> causes = new TreeMap<>();
        triage.json().path("causes").forEach(c -> causes.put(c.path("description").asText(), c));
        log.info("triage causes: {}", causes.keySet());
        JsonNode quarantined = only(causes, c -> "status_length".equals(c.path("rule").asText()));
        assertThat(quarantined.path("kind").asText()).isEqualTo("quarantined");
        assertThat(quarantined.path("contract").asText()).isEqualTo("orders-shape@3");
        assertThat(quarantined.path("field").asText()).isEqualTo("status");
        assertThat(quarantined.path("records").asLong()).isEqualTo(3);
        List<String> ids = new ArrayList<>(List.of(quarantined.path("id").asText()));
        for (String sink : List.of("orders-silver", "orders-warehouse")) {
            JsonNode status = only(causes, c -> sink.equals(c.path("connector").asText())
                    && c.path("message").asText().contains("status_known") && !c.path("message").asText().contains("amount_range"));
            assertThat(status.path("records").asLong()).as(sink).isEqualTo(5);
            assertThat(status.path("message").asText()).as(sink).contains("orders@2").doesNotContain("offset");
            // (After the deploy restarted it, silver may be handed 109's change again — the Iceberg sink commits
            // offsets only past what it wrote — and dead-letter it under orders@3: a cause of its own.)
            JsonNode both = only(causes, c -> sink.equals(c.path("connector").asText())
                    && c.path("message").asText().contains("orders@2: failed rules amount_range"));
            assertThat(both.path("records").asLong()).as(sink).isEqualTo(1);
            ids.add(status.path("id").asText());
            ids.add(both.path("id").asText());
        }
        assertThat(triage.json().path("totals").path("events").asLong()).as("3 quarantined, 6 dead-lettered").isEqualTo(9);
        assertThat(triage.json().path("totals").path("records").asLong()).as("more when silver dead-letters 109 again").isGreaterThanOrEqualTo(15);
        assertThat(triage.out()).as("no payload value in triage").doesNotContain("C000101").doesNotContain("-5.00");

        // Replay exactly those causes: 3 quarantined and 5 dead-lettered changes (each once, though two sinks
        // dead-lettered it) are written back; 109 still breaks amount_range and stays.
        List<String> replay = List.of(url, "format=json", "cause=" + String.join(";", ids), "operator=replay-it");
        Run dry = run(ReplayMain::run, concat(replay, "dryRun=true", "replayId=replay-it-dry"));
        assertThat(dry.json().path("total").path("written").asLong()).as(dry.out()).isEqualTo(8);
        Run first = run(ReplayMain::run, concat(replay, "replayId=replay-it-1"));
        assertThat(first.exit()).as(first.out() + first.err()).isEqualTo(1);
        assertThat(first.json().path("total").path("written").asLong()).isEqualTo(8);
        assertThat(first.json().path("total").path("still_failing").asLong()).isPositive();
        assertThat(first.json().path("total").path("still_failing_by_rule").fieldNames()).toIterable()
                .containsExactly("amount_range");
        assertThat(first.out()).as("no payload value in replay").doesNotContain("C000101").doesNotContain("-5.00");
        List<ConsumerRecord<byte[], byte[]>> replayed = replayedRecords("replay-it-1");
        assertThat(replayed).hasSize(8);
        assertThat(replayed).allSatisfy(r -> {
            assertThat(OrdersPipeline.header(r, "truthline.replay.operator")).isEqualTo("replay-it");
            assertThat(OrdersPipeline.header(r, "truthline.replay.of")).isNotNull();
        });

        // They land once: silver gains the 8 changes, the warehouse turns current — except 107 and 108, whose
        // replayed change is older than the one they hold — and 109 stays where it was.
        pipeline.awaitRows("silver.orders", 20);
        Map<Long, String> expected = new TreeMap<>(Map.of(101L, "REFUNDED", 102L, "REFUNDED", 103L, "REFUNDED",
                104L, "REFUNDED", 105L, "PARTIALLY_REFUNDED", 106L, "PARTIALLY_REFUNDED", 107L, "CANCELLED",
                108L, "SHIPPED", 109L, "NEW", 110L, "NEW"));
        waitForCondition(() -> pipeline.warehouse().equals(expected), PipelineCluster.TIMEOUT_MS,
                () -> "warehouse holds " + pipeline.warehouseOrError());

        // A second replay adds nothing: the ledger finds every record replayed.
        Run second = run(ReplayMain::run, concat(replay, "replayId=replay-it-2"));
        assertThat(second.json().path("total").path("written").asLong()).as(second.out()).isZero();
        // Counted per defect record: 3 quarantined, and each of the 5 changes dead-lettered by two sinks.
        assertThat(second.json().path("total").path("already_replayed").asLong()).isEqualTo(3 + 2 * 5);
        // Forced past the ledger (--again), the copies reach the sinks, and Deduplicate drops them.
        pipeline.awaitRead("orders-silver", "orders.events.v1");
        pipeline.awaitRead("orders-warehouse", "orders.events.v1");
        double silverDuplicates = pipeline.dedupeMetric("orders-silver", "duplicates-total");
        double warehouseStale = pipeline.dedupeMetric("orders-warehouse", "stale-total");
        Run again = run(ReplayMain::run, List.of(url, "format=json", "cause=" + ids.get(0), "again=true",
                "replayId=replay-it-again"));
        assertThat(again.json().path("total").path("written").asLong()).as(again.out()).isEqualTo(3);
        waitForCondition(() -> pipeline.dedupeMetric("orders-silver", "duplicates-total") == silverDuplicates + 3
                && pipeline.dedupeMetric("orders-warehouse", "stale-total") == warehouseStale + 3,
                PipelineCluster.TIMEOUT_MS, "Deduplicate did not drop the three forced copies in silver and the warehouse");
        assertThat(pipeline.rows("silver.orders")).hasSize(20);
        assertThat(pipeline.warehouse()).isEqualTo(expected);

        // The audit explains every event, each replayed one with its history, and the stale rows are current again.
        // (Events are what the source captured: a replayed copy is part of its event's history, never an event of its
        // own. Debezium may re-emit changes when the deploy restarts it; those are events, each with its fate.)
        AuditRun after = OrdersPipeline.audit(auditArgs);
        assertThat(after.exit()).as(after.err()).isZero();
        JsonNode report = after.report();
        assertThat(report.path("fates").path("unexplained").asLong()).isZero();
        assertThat(report.path("extra_rows").asLong()).isZero();
        assertThat(report.path("rows_landed_twice").asLong()).isZero();
        assertThat(report.path("captured").asLong()).as("captured events, replays left out").isEqualTo(capturedEvents());
        assertThat(report.path("fates").path("quarantined").asLong()).isZero();
        assertThat(report.path("replayed").asLong()).isEqualTo(8);
        JsonNode histories = report.path("replay_histories");
        assertThat(histories).hasSize(8);
        Map<String, String> byKind = new TreeMap<>();
        histories.forEach(h -> {
            // Landed through the replay, or a duplicate of a copy that landed first (the change itself, handed again
            // to silver after the restart, or re-emitted by Debezium).
            assertThat(h.path("fate").asText()).isIn("landed", "duplicate");
            assertThat(h.path("history").asText()).contains("replayed replay-it-1 as orders.events.v1/")
                    .doesNotContain("C000").doesNotContain("-5.00");
            byKind.merge(h.path("kind").asText(), h.path("history").asText(), (a, b) -> a);
        });
        // A quarantined change's history: quarantined, replayed, and the forced copy a duplicate.
        assertThat(byKind.get("quarantine")).startsWith("quarantined (status_length)")
                .contains("replayed replay-it-again").contains("duplicate");
        assertThat(byKind).containsKey("change");
        assertThat(keys(report.path("reconciliation"), "stale")).isEqualTo(Set.of(109L));
    }

    /** The change events of the change topic and the quarantine topic, without the records a replay wrote. */
    private static long capturedEvents() {
        long events = 0;
        for (String topic : List.of("orders.events.v1", "orders.events.v1.quarantine")) {
            events += pipeline.cluster().committedRecords(topic).stream()
                    .filter(r -> r.value() != null && OrdersPipeline.header(r, "truthline.replay.of") == null).count();
        }
        return events;
    }

    private record Run(int exit, String out, String err, JsonNode json) {
    }

    private interface Main {
        int run(List<String> args, PrintWriter out, PrintWriter err);
    }

    private static Run run(Main main, List<String> args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        log.info("{} exit {}: {}{}", args, exit, out, err);
        JsonNode json = exit == 2 ? null : ConnectorJson.JSON.readTree(out.toString());
        return new Run(exit, out.toString(), err.toString(), json);
    }

    private static List<String> concat(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

    private static JsonNode only(Map<String, JsonNode> causes, java.util.function.Predicate<JsonNode> which) {
        List<JsonNode> found = causes.values().stream().filter(which).toList();
        assertThat(found).as("causes " + causes.keySet()).hasSize(1);
        return found.get(0);
    }

    /** The records of the change topic that replay {@code replayId} wrote. */
    private static List<ConsumerRecord<byte[], byte[]>> replayedRecords(String replayId) {
        return pipeline.cluster().committedRecords("orders.events.v1").stream()
                .filter(r -> replayId.equals(OrdersPipeline.header(r, "truthline.replay.id"))).toList();
    }

    private static void writeConnector(Path dir, String connector, Map<String, String> changes) throws Exception {
        ConnectorJson config = ConnectorJson.orders(connector + ".json");
        Map<String, String> values = new HashMap<>(config.config());
        values.putAll(changes);
        ObjectNode file = ConnectorJson.JSON.createObjectNode();
        file.put("name", config.name());
        file.set("config", ConnectorJson.JSON.valueToTree(new TreeMap<>(pipeline.resolveLate(values))));
        Files.writeString(dir.resolve(connector + ".json"), ConnectorJson.JSON.writeValueAsString(file));
    }

    private static Set<Long> keys(JsonNode reconciliation, String state) {
        Set<Long> keys = new TreeSet<>();
        reconciliation.path("keys").path(state).forEach(k -> keys.add(k.path("key").asLong()));
        return keys;
    }
}
