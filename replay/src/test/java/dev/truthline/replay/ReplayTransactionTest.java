package dev.truthline.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.truthline.connect.core.ReplayHeaders;

/**
 * The replay against a real broker: defects read from a quarantine topic and two dead-letter queues, re-validated,
 * written back in one transaction with their provenance, and a second replay of the same selection writes nothing
 * (the ledger). One broker for the class.
 */
class ReplayTransactionTest {

    private static final String SILVER_DLQ = "orders.silver.dlq";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedKafkaCluster kafka;
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        // Surefire points java.io.tmpdir into target/; the broker's logs go there.
        dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))).resolve("replay-test");
        Files.createDirectories(dir);
        Properties broker = new Properties();
        broker.put("transaction.state.log.replication.factor", "1");
        broker.put("transaction.state.log.min.isr", "1");
        broker.put("offsets.topic.replication.factor", "1");
        broker.put("auto.create.topics.enable", "false");
        kafka = new EmbeddedKafkaCluster(1, broker);
        kafka.start();
        kafka.createTopic(Fixtures.CHANGES, 3, 1, Map.of());
        kafka.createTopic(Fixtures.QUARANTINE, 1, 1, Map.of());
        kafka.createTopic(Fixtures.DLQ, 1, 1, Map.of());
        kafka.createTopic(SILVER_DLQ, 1, 1, Map.of());
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.stop();
        }
    }

    /** The pipeline as connector files: the source and sinks of Fixtures, a silver landing sink, contracts loosened. */
    private static Path connectors() throws Exception {
        Path folder = dir.resolve("connectors");
        Files.createDirectories(folder);
        Map<String, Map<String, String>> all = new LinkedHashMap<>(Fixtures.connectors("NEW,PAID,REFUNDED",
                "NEW,PAID,REFUNDED", "86400000"));
        Map<String, String> silver = new LinkedHashMap<>(Fixtures.warehouse("NEW,PAID,REFUNDED", null));
        silver.put("connector.class", "org.apache.iceberg.connect.IcebergSinkConnector");
        silver.put("iceberg.tables", "silver.orders");
        silver.put("iceberg.kafka.bootstrap.servers", "${env:TEST_KAFKA}");
        silver.put("errors.deadletterqueue.topic.name", SILVER_DLQ);
        silver.put("transforms.dedupe.strategy", "debezium");
        all.put("orders-silver", silver);
        for (Map.Entry<String, Map<String, String>> e : all.entrySet()) {
            Files.writeString(folder.resolve(e.getKey() + ".json"), JSON.writeValueAsString(
                    Map.of("name", e.getKey(), "config", e.getValue())));
        }
        return folder;
    }

    @Test
    void aReplayWritesOnceInOneTransactionAndASecondWritesNothing() throws Exception {
        long now = System.currentTimeMillis();
        RecordMetadata change;
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            // The change order 2 went to its partition; silver and the warehouse both dead-lettered it.
            ProducerRecord<byte[], byte[]> original = new ProducerRecord<>(Fixtures.CHANGES, null, now - 60_000,
                    Fixtures.bytes("{\"order_id\":2}"), Fixtures.bytes(Fixtures.value(2, "REFUNDED")));
            change = p.send(original).get();
            for (String dlq : List.of(Fixtures.DLQ, SILVER_DLQ)) {
                RecordHeaders h = Fixtures.deadLetterHeaders(change.partition(), change.offset());
                p.send(new ProducerRecord<>(dlq, 0, now - 60_000, original.key(), original.value(), h)).get();
            }
            p.send(new ProducerRecord<>(Fixtures.QUARANTINE, 0, now - 50_000, Fixtures.bytes("{\"order_id\":10}"),
                    Fixtures.bytes(Fixtures.value(10, "REFUNDED")), Fixtures.quarantineHeaders(10))).get();
            p.send(new ProducerRecord<>(Fixtures.QUARANTINE, 0, now - 40_000, Fixtures.bytes("{\"order_id\":11}"),
                    Fixtures.bytes(Fixtures.value(11, "LOST")), Fixtures.quarantineHeaders(11))).get();
        }
        Path connectors = connectors();
        String env = "env.TEST_KAFKA=" + kafka.bootstrapServers();

        Run dry = run("connectors=" + connectors, env, "all=true", "dryRun=true", "replayId=r0", "format=json");
        assertThat(dry.exit).as(dry.toString()).isEqualTo(1);
        assertThat(dry.json.at("/total/written").asLong()).isEqualTo(2);
        assertThat(replayed()).as("a dry run writes nothing").isEmpty();

        Run first = run("connectors=" + connectors, env, "all=true", "replayId=r1", "operator=ana", "format=json");
        assertThat(first.exit).as(first.toString()).isEqualTo(1);
        assertThat(first.json.at("/total/selected").asLong()).isEqualTo(4);
        assertThat(first.json.at("/total/still_failing").asLong()).isEqualTo(1);
        assertThat(first.json.at("/total/still_failing_by_rule/status_known").asLong()).isEqualTo(1);
        assertThat(first.json.at("/total/already_replayed_by/r1").asLong()).as("dead-lettered twice, written once")
                .isEqualTo(1);
        assertThat(first.json.at("/total/written").asLong()).isEqualTo(2);
        assertThat(first.stdout).doesNotContain("REFUNDED").doesNotContain("LOST").doesNotContain("secret-customer");

        List<ConsumerRecord<byte[], byte[]>> written = replayed();
        assertThat(written).as(first.toString()).hasSize(2);
        Map<String, ConsumerRecord<byte[], byte[]>> byOf = new LinkedHashMap<>();
        written.forEach(r -> byOf.put(header(r, ReplayHeaders.OF), r));
        String changePosition = Fixtures.CHANGES + "/" + change.partition() + "/" + change.offset();
        assertThat(byOf).containsOnlyKeys(changePosition, Fixtures.QUARANTINE + "/0/0");
        ConsumerRecord<byte[], byte[]> again = byOf.get(changePosition);
        assertThat(again.partition()).as("the default partitioner, from the key bytes").isEqualTo(change.partition());
        assertThat(new String(again.value(), StandardCharsets.UTF_8)).isEqualTo(Fixtures.value(2, "REFUNDED"));
        assertThat(again.timestamp()).isEqualTo(now - 60_000);
        assertThat(header(again, ReplayHeaders.ID)).isEqualTo("r1");
        assertThat(header(again, ReplayHeaders.OPERATOR)).isEqualTo("ana");
        assertThat(header(again, "__connect.errors.topic")).isNull();
        ConsumerRecord<byte[], byte[]> quarantined = byOf.get(Fixtures.QUARANTINE + "/0/0");
        assertThat(header(quarantined, "dq.status")).isEqualTo("valid");
        assertThat(header(quarantined, "dq.rules")).isNull();

        Run second = run("connectors=" + connectors, env, "all=true", "replayId=r2", "format=json");
        assertThat(second.exit).as(second.toString()).isEqualTo(1);
        assertThat(second.json.at("/total/written").asLong()).isZero();
        assertThat(second.json.at("/total/already_replayed_by/r1").asLong()).isEqualTo(3);
        assertThat(replayed()).as("the second replay adds nothing").hasSize(2);

        // Only the fixed ones: every selected defect is written or already replayed.
        String cause = first.json.at("/causes").fieldNames().next();
        Run byPosition = run("connectors=" + connectors, env, "position=" + Fixtures.QUARANTINE + "/0/0",
                "replayId=r3");
        assertThat(byPosition.exit).as(byPosition.toString()).isZero();
        assertThat(byPosition.stdout).contains("already replayed: 1 (by {r1=1})");
        assertThat(cause).matches("[qd]-[0-9a-f]{10}");

        Run unknown = run("connectors=" + connectors, env, "cause=q-0000000000", "replayId=r4");
        assertThat(unknown.exit).as(unknown.toString()).isZero();
        assertThat(unknown.stdout).contains("no defect matches the selection")
                .contains("cause q-0000000000: no defect selected under it");
    }

    private record Run(int exit, String stdout, String stderr, JsonNode json) {
    }

    private static Run run(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = ReplayMain.run(List.of(args), new PrintWriter(out, true), new PrintWriter(err, true));
        String text = out.toString();
        JsonNode json = text.strip().startsWith("{") ? JSON.readTree(text) : null;
        return new Run(exit, text, err.toString(), json);
    }

    /** The committed records of the change topic that carry a replay's provenance. */
    private static List<ConsumerRecord<byte[], byte[]>> replayed() {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                partitions.add(new TopicPartition(Fixtures.CHANGES, p));
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            // The high watermark, not the last stable offset: a commit's markers reach the partitions after
            // commitTransaction returns, and a committed read stops at an open transaction until they do.
            Map<TopicPartition, Long> end;
            try (KafkaConsumer<byte[], byte[]> any = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                end = any.endOffsets(partitions);
            }
            long deadline = System.currentTimeMillis() + 60_000;
            while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p))
                    && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.headers().lastHeader(ReplayHeaders.OF) != null) {
                        found.add(r);
                    }
                });
            }
        }
        return found;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return DefectRecords.header(r.headers(), name);
    }
}
