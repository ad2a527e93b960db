package dev.truthline.audit.defects;

import static dev.truthline.audit.defects.DefectFixtures.QUARANTINE;
import static dev.truthline.audit.defects.DefectFixtures.SECRET;
import static dev.truthline.audit.defects.DefectFixtures.SILVER_DLQ;
import static dev.truthline.audit.defects.DefectFixtures.SILVER_REJECTS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code truthline triage} against a real broker, on the reference pipeline's connector files: the quarantine and a
 * dead-letter queue read through the audit's consumer, {@code --since} through the broker's time index, exit 0, and
 * the queues no sink has written yet left uncreated (the broker would create them on request).
 *
 * <p>Run by hand ({@code -Dtest=TriageKafkaCheck}), not by {@code verify}: the broker's start and stop take about
 * 35 s of this machine, triage itself 2 to 3 s. The reference pipeline's end-to-end IT runs triage on real Connect
 * dead letters.
 */
class TriageKafkaCheck {

    private static final Instant NOW = Instant.now();
    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void fill() throws Exception {
        Properties broker = new Properties();
        broker.put("auto.create.topics.enable", "true");
        kafka = new EmbeddedKafkaCluster(1, broker);
        kafka.start();
        kafka.createTopic(QUARANTINE, 2, 1, Map.of());
        kafka.createTopic(SILVER_DLQ, 1, 1, Map.of());
        DefectFixtures f = new DefectFixtures();
        Instant old = NOW.minus(Duration.ofDays(10));
        Instant recent = NOW.minus(Duration.ofDays(2));
        List<ConsumerRecord<byte[], byte[]>> records = List.of(
                f.quarantined(0, old, 1, "status_known:status"),
                f.quarantined(0, recent, 2, "status_known:status"),
                f.quarantined(1, recent.plusSeconds(60), 3, "status_known:status", "amount_range:amount"),
                f.deadLetter(SILVER_DLQ, old, 4, 0, 40, SILVER_REJECTS),
                f.deadLetter(SILVER_DLQ, recent, 5, 1, 50, SILVER_REJECTS));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.timestamp(), r.key(), r.value(),
                        r.headers())).get();
            }
        }
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.stop();
        }
    }

    private static JsonNode triage(String... more) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new java.util.ArrayList<>(List.of("connectors=" + System.getProperty("truthline.orders.dir"),
                "bootstrapServers=" + kafka.bootstrapServers(), "format=json"));
        args.addAll(List.of(more));
        int exit = TriageMain.run(args, new PrintWriter(out), new PrintWriter(err));
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).doesNotContain(SECRET).doesNotContain("order_id");
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void triageReadsTheRealTopicsFromSinceAndCreatesNone() throws Exception {
        JsonNode week = triage("since=7d");
        assertThat(week.path("totals").path("records").asLong()).isEqualTo(3);
        assertThat(week.path("totals").path("quarantined").asLong()).isEqualTo(2);
        assertThat(week.path("causes").get(0).path("rule").asText()).isEqualTo("status_known");
        assertThat(week.path("causes").get(0).path("records").asLong()).isEqualTo(2);
        assertThat(week.path("causes").get(0).path("trend")).hasSize(8);

        JsonNode all = triage();
        assertThat(all.path("totals").path("records").asLong()).isEqualTo(5);
        assertThat(all.path("totals").path("causes").asLong()).isEqualTo(3);

        Properties a = new Properties();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(a)) {
            assertThat(admin.listTopics().names().get()).contains(QUARANTINE, SILVER_DLQ)
                    .doesNotContain("orders.bronze.dlq", "orders.quarantine.dlq", "orders.events.dlq");
        }
    }
}
