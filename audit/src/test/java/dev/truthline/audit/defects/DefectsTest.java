package dev.truthline.audit.defects;

import static dev.truthline.audit.defects.DefectFixtures.CHANGES;
import static dev.truthline.audit.defects.DefectFixtures.QUARANTINE;
import static dev.truthline.audit.defects.DefectFixtures.SILVER_DLQ;
import static dev.truthline.audit.defects.DefectFixtures.SILVER_REJECTS;
import static dev.truthline.audit.defects.DefectFixtures.T0;
import static dev.truthline.audit.defects.DefectFixtures.WAREHOUSE_DLQ;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import dev.truthline.audit.ConfigValues;
import dev.truthline.audit.ConnectorConfigs;
import dev.truthline.audit.ConnectorDiscovery;

/** Reading defects: what each record is, its causes and their ids, the topics read and {@code since}. */
class DefectsTest {

    private final DefectFixtures f = new DefectFixtures();

    @Test
    void theReferencePipelinesDefectsAreTheQuarantineAndEveryDeadLetterQueueOfItsSinks() throws Exception {
        DefectPlan plan = ConnectorDiscovery.discoverDefects(
                ConnectorConfigs.fromFiles(Path.of(System.getProperty("truthline.orders.dir"))),
                new ConfigValues(Map.of("TRUTHLINE_KAFKA_BOOTSTRAP", "kafka:9092")), null, null);

        assertThat(plan.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(plan.changeTopic()).isEqualTo(CHANGES);
        assertThat(plan.quarantineTopic()).isEqualTo(QUARANTINE);
        assertThat(plan.sourceConnector()).isEqualTo("orders-source");
        assertThat(plan.headersPrefix()).isEqualTo("dq.");
        // bronze, the quarantine sink, silver and the warehouse; orders-holds reads the quarantine but has no queue.
        assertThat(plan.deadLetterQueues()).containsExactly(Map.entry("orders.bronze.dlq", "orders-bronze"),
                Map.entry("orders.quarantine.dlq", "orders-quarantine"), Map.entry(SILVER_DLQ, "orders-silver"),
                Map.entry(WAREHOUSE_DLQ, "orders-warehouse"));
        assertThat(plan.defectTopics()).startsWith(QUARANTINE).hasSize(5);
        assertThat(plan.changeTopicOf(QUARANTINE)).isEqualTo(CHANGES);
    }

    @Test
    void aSinkReadingTheChangeTopicByRegexHasItsQueueRead() throws Exception {
        Map<String, Map<String, String>> connectors = new java.util.LinkedHashMap<>(
                ConnectorConfigs.fromFiles(Path.of(System.getProperty("truthline.orders.dir"))));
        Map<String, String> regex = new java.util.LinkedHashMap<>(connectors.get("orders-bronze"));
        regex.remove("topics");
        regex.put("topics.regex", "orders\\.events\\.v[0-9]+");
        regex.put("errors.deadletterqueue.topic.name", "orders.lake.dlq");
        connectors.put("orders-lake", regex);
        DefectPlan plan = ConnectorDiscovery.discoverDefects(connectors, new ConfigValues(Map.of()), "orders-silver",
                "b:9092");
        assertThat(plan.deadLetterQueues()).containsEntry("orders.lake.dlq", "orders-lake");
        assertThat(plan.bootstrapServers()).isEqualTo("b:9092");
    }

    @Test
    void aQuarantinedRecordStandsForItselfAndHasOneCausePerFailedRule() {
        ConsumerRecord<byte[], byte[]> r = f.quarantined(1, T0, 7, "status_known:status", "customer_format:customer_id");
        Defect d = new Defects(DefectFixtures.plan()).defect(r);

        assertThat(d.kind()).isEqualTo(Defect.Kind.QUARANTINED);
        assertThat(d.position()).isEqualTo(QUARANTINE + "/1/0");
        assertThat(d.replayOf()).isEqualTo(QUARANTINE + "/1/0");
        assertThat(d.targetTopic()).isEqualTo(CHANGES);
        assertThat(d.connector()).isEqualTo("orders-source");
        assertThat(d.sourceTable()).isEqualTo("public.orders");
        assertThat(d.timestampMs()).isEqualTo(T0.toEpochMilli());
        assertThat(d.key()).contains("order_id").contains("7");
        assertThat(d.causes()).containsExactly(DefectCause.quarantine("orders-shape@2", "status_known", "status"),
                DefectCause.quarantine("orders-shape@2", "customer_format", "customer_id"));
        assertThat(d.causes()).extracting(DefectCause::id).allMatch(id -> id.matches("q-[0-9a-f]{10}"))
                .doesNotHaveDuplicates();
    }

    @Test
    void withoutViolationsTheRulesHeaderNamesTheCausesAndWarningsAreNoCause() {
        RecordHeaders h = new RecordHeaders();
        h.add("dq.contract", DefectFixtures.bytes("orders-shape@2"));
        h.add("dq.rules", DefectFixtures.bytes("status_known,amount_range"));
        Defects defects = new Defects(DefectFixtures.plan());
        Defect d = defects.defect(f.topics.append(QUARANTINE, 0, T0.toEpochMilli(), null, null, h));
        assertThat(d.causes()).containsExactly(DefectCause.quarantine("orders-shape@2", "status_known", null),
                DefectCause.quarantine("orders-shape@2", "amount_range", null));
        assertThat(d.sourceTable()).isNull();
        assertThat(d.key()).isNull();

        RecordHeaders warnOnly = new RecordHeaders();
        warnOnly.add("dq.violations", DefectFixtures.bytes(
                "[{\"rule\":\"late\",\"field\":\"ts\",\"message\":\"m\",\"severity\":\"warn\"}]"));
        Defect none = defects.defect(f.topics.append(QUARANTINE, 0, T0.toEpochMilli(), null, null, warnOnly));
        assertThat(none.causes()).containsExactly(DefectCause.quarantine(null, null, null));
    }

    @Test
    void aDeadLetterStandsForThePositionItsContextHeadersName() {
        Defect d = new Defects(DefectFixtures.plan()).defect(f.deadLetter(SILVER_DLQ, T0, 9, 4, 1234, SILVER_REJECTS));

        assertThat(d.kind()).isEqualTo(Defect.Kind.DEAD_LETTERED);
        assertThat(d.position()).isEqualTo(SILVER_DLQ + "/0/0");
        assertThat(d.replayOf()).isEqualTo(CHANGES + "/4/1234");
        assertThat(d.targetTopic()).isEqualTo(CHANGES);
        assertThat(d.connector()).isEqualTo("orders-silver");
        assertThat(d.sourceTable()).isEqualTo("public.orders");
        DefectCause c = d.causes().get(0);
        assertThat(d.causes()).hasSize(1);
        assertThat(c).isEqualTo(new DefectCause(Defect.Kind.DEAD_LETTERED, "orders-silver", null, null, null,
                "TRANSFORMATION", "dev.truthline.connect.validation.ValidateContract$Value",
                "org.apache.kafka.connect.errors.DataException", SILVER_REJECTS));
        assertThat(c.id()).matches("d-[0-9a-f]{10}");
        // The position is no part of the cause: every record the contract failed shares it.
        Defect other = new Defects(DefectFixtures.plan()).defect(f.deadLetter(SILVER_DLQ, T0, 10, 2, 77,
                SILVER_REJECTS));
        assertThat(other.causes().get(0).id()).isEqualTo(c.id());
    }

    @Test
    void envelopesWithSchemasAreReadAsTheSinksReadThem() {
        DefectPlan p = DefectFixtures.plan();
        DefectPlan schemas = new DefectPlan(p.bootstrapServers(), p.changeTopic(), p.quarantineTopic(),
                p.quarantineTemplate(), p.sourceConnector(), p.headersPrefix(), true, true, p.deadLetterQueues());
        String key = "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"field\":\"order_id\",\"type\":\"int64\"}]},"
                + "\"payload\":{\"order_id\":7}}";
        String value = "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"field\":\"source\",\"type\":\"struct\","
                + "\"fields\":[{\"field\":\"schema\",\"type\":\"string\"},{\"field\":\"table\",\"type\":\"string\"}]}]},"
                + "\"payload\":{\"source\":{\"schema\":\"sales\",\"table\":\"orders\"}}}";
        Defect d = new Defects(schemas).defect(f.topics.append(SILVER_DLQ, 0, T0.toEpochMilli(),
                DefectFixtures.bytes(key), DefectFixtures.bytes(value), new RecordHeaders()));
        assertThat(d.sourceTable()).isEqualTo("sales.orders");
        assertThat(d.key()).isEqualTo("Struct{order_id=7}");
        // Bytes the converter cannot read are still a defect: the key as its text, no table.
        Defect raw = new Defects(schemas).defect(f.topics.append(SILVER_DLQ, 0, T0.toEpochMilli(),
                DefectFixtures.bytes("k-1"), DefectFixtures.bytes("not json"), new RecordHeaders()));
        assertThat(raw.key()).isEqualTo("k-1");
        assertThat(raw.sourceTable()).isNull();
    }

    @Test
    void aDeadLetterWithoutContextHeadersNamesNoEvent() {
        RecordHeaders h = new RecordHeaders();
        h.add("__connect.errors.exception.class.name", DefectFixtures.bytes("java.lang.NullPointerException"));
        Defect d = new Defects(DefectFixtures.plan()).defect(f.topics.append(WAREHOUSE_DLQ, 0, T0.toEpochMilli(),
                DefectFixtures.key(1), DefectFixtures.envelope(1), h));
        assertThat(d.replayOf()).isNull();
        assertThat(d.targetTopic()).isNull();
        assertThat(d.connector()).isEqualTo("orders-warehouse");
        assertThat(d.causes().get(0).exceptionClass()).isEqualTo("java.lang.NullPointerException");
    }

    @Test
    void causeIdsAreTheHashOfTheCanonicalCauseAndStable() {
        DefectCause q = DefectCause.quarantine("orders-shape@2", "status_known", "status");
        assertThat(q.canonical()).isEqualTo("quarantined\ncontract=orders-shape@2\nrule=status_known\nfield=status");
        // sha256("quarantined\ncontract=orders-shape@2\nrule=status_known\nfield=status"), first 10 hex digits.
        assertThat(q.id()).isEqualTo("q-" + sha256(q.canonical()).substring(0, 10));
        assertThat(DefectCause.quarantine("orders-shape@3", "status_known", "status").id()).isNotEqualTo(q.id());
        assertThat(DefectCause.quarantine("orders-shape@2", "status_known", null).id()).isNotEqualTo(q.id());
        DefectCause d = DefectCause.deadLetter("orders-silver", "TRANSFORMATION", "a.B", "c.D", "m (topic t, partition 1)");
        assertThat(d.message()).isEqualTo("m");
        assertThat(d.canonical()).isEqualTo("dead_lettered\nconnector=orders-silver\nstage=TRANSFORMATION\nclass=a.B\n"
                + "exception=c.D\nmessage=m");
        assertThat(DefectCause.deadLetter("orders-warehouse", "TRANSFORMATION", "a.B", "c.D", "m").id())
                .isNotEqualTo(d.id());
        // A line break inside a value cannot forge another part.
        assertThat(DefectCause.deadLetter("x", null, null, null, "a\nstage=b").canonical())
                .isEqualTo("dead_lettered\nconnector=x\nstage=\nclass=\nexception=\nmessage=a\\nstage=b");
    }

    @Test
    void readsTheQuarantineThenEachQueueFromSince() throws Exception {
        f.quarantined(0, T0, 1, "status_known:status");
        f.quarantined(0, T0.plus(Duration.ofDays(2)), 2, "status_known:status");
        f.quarantined(1, T0.plus(Duration.ofDays(3)), 3, "status_known:status");
        f.deadLetter(SILVER_DLQ, T0.plus(Duration.ofHours(1)), 4, 0, 10, SILVER_REJECTS);
        f.deadLetter(SILVER_DLQ, T0.plus(Duration.ofDays(4)), 5, 0, 11, SILVER_REJECTS);
        f.deadLetter(WAREHOUSE_DLQ, T0.plus(Duration.ofDays(5)), 5, 0, 11, SILVER_REJECTS);

        List<String> all = new ArrayList<>();
        Defects.read(DefectFixtures.plan(), f.topics.ranges(), null, r -> all.add(r.defect().position()));
        // The bronze queue does not exist: it holds none.
        assertThat(all).containsExactly(QUARANTINE + "/0/0", QUARANTINE + "/0/1", QUARANTINE + "/1/0",
                SILVER_DLQ + "/0/0", SILVER_DLQ + "/0/1", WAREHOUSE_DLQ + "/0/0");

        List<DefectRecord> since = new ArrayList<>();
        Defects.read(DefectFixtures.plan(), f.topics.ranges(), T0.plus(Duration.ofDays(2)), since::add);
        assertThat(since).extracting(r -> r.defect().position()).containsExactly(QUARANTINE + "/0/1",
                QUARANTINE + "/1/0", SILVER_DLQ + "/0/1", WAREHOUSE_DLQ + "/0/0");
        // The raw record comes along: its bytes and headers are what a replay writes back.
        assertThat(since.get(2).record().offset()).isEqualTo(1);
        assertThat(since.get(2).record().headers().lastHeader("__connect.errors.offset").value())
                .isEqualTo(DefectFixtures.bytes("11"));
    }

    static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
