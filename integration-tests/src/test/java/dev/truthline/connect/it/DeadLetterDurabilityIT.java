package dev.truthline.connect.it;

import static dev.truthline.connect.it.PackagedPluginIT.headers;
import static dev.truthline.connect.it.PackagedPluginIT.originalPosition;
import static dev.truthline.connect.it.TruthlineCluster.TIMEOUT_MS;
import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.truthline.connect.harness.ForkedConnectWorker;
import dev.truthline.connect.it.Orders.Order;

/**
 * A record ValidateContract rejects on a sink must be in the dead-letter queue, or be handed to a task again, even when
 * the worker dies right after the sink committed the offsets behind it.
 *
 * <p>The kill: a sink writes the valid records after a rejected one and commits their offsets, then the worker is
 * killed hard (SIGKILL) and a new one resumes after those offsets. Two sinks read the same topic on the same worker:
 * <ul>
 * <li>{@code on.failure=fail}, Connect's own DLQ: Connect does not wait for its DLQ write before it commits, so a
 * DLQ producer slow to deliver (here {@code linger.ms} holds its batch for a minute, as a producer waiting for a dead
 * partition leader does) still holds the record when the worker dies — and the record is gone: not in the DLQ, not
 * in the table, never handed again. This is Kafka Connect's behaviour (4.3); if it changes, this test says so;</li>
 * <li>{@code on.failure=dead_letter}: ValidateContract writes the record to the same kind of DLQ itself and waits for
 * the brokers before the record leaves the chain: it is there after the kill.</li>
 * </ul>
 */
class DeadLetterDurabilityIT {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterDurabilityIT.class);

    private static final String TOPIC = "orders-dlq-kill";
    private static final int VALID = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A sink over the topic: its connector, table and DLQ. */
    record Sink(String connector, String table, String dlq) {
    }

    private static final Sink CONNECT_DLQ = new Sink("orders-connect-dlq", "orders_connect_dlq", "orders-connect.dlq");
    private static final Sink TRUTHLINE_DLQ = new Sink("orders-truthline-dlq", "orders_truthline_dlq",
            "orders-truthline.dlq");

    private static TruthlineCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        // No in-process worker: every task runs where it can be killed. Offsets are committed every second.
        cluster = TruthlineCluster.start("dlq-kill", 0, Map.of("offset.flush.interval.ms", "1000"));
        cluster.startPostgres();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aRejectedRecordSurvivesAHardKillOnlyWhenItsDeadLetterWasAwaited() throws Exception {
        ForkedConnectWorker worker = cluster.startForkedWorker();
        cluster.connect().kafka().createTopic(TOPIC, 1);
        cluster.connect().kafka().createTopic(TRUTHLINE_DLQ.dlq(), 1);

        Orders.createTable(cluster, CONNECT_DLQ.table());
        Map<String, String> connectDlq = Orders.sinkConfig(cluster, TOPIC, CONNECT_DLQ.table(), CONNECT_DLQ.dlq(), 1);
        // What Connect's DLQ producer is given waits a minute before it is sent.
        connectDlq.put("producer.override.linger.ms", "60000");
        connectDlq.put("producer.override.batch.size", "1048576");
        cluster.putConnector(CONNECT_DLQ.connector(), connectDlq);

        Orders.createTable(cluster, TRUTHLINE_DLQ.table());
        Map<String, String> truthlineDlq = Orders.sinkConfig(cluster, TOPIC, TRUTHLINE_DLQ.table(), TRUTHLINE_DLQ.dlq(),
                1);
        truthlineDlq.put("producer.override.linger.ms", "60000");
        truthlineDlq.put("producer.override.batch.size", "1048576");
        truthlineDlq.put("transforms.contract.on.failure", "dead_letter");
        truthlineDlq.put("transforms.contract.dead.letter.topic", TRUTHLINE_DLQ.dlq());
        truthlineDlq.put("transforms.contract.dead.letter.bootstrap.servers", cluster.bootstrapServers());
        cluster.putConnector(TRUTHLINE_DLQ.connector(), truthlineDlq);
        for (Sink sink : List.of(CONNECT_DLQ, TRUTHLINE_DLQ)) {
            cluster.awaitRunning(sink.connector(), 1);
        }

        long rejectedOffset;
        try (KafkaProducer<byte[], byte[]> producer = cluster.connect().kafka().createProducer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all"))) {
            Order invalid = Order.invalid(1, 0);
            rejectedOffset = producer.send(new ProducerRecord<>(TOPIC, invalid.key(), invalid.value())).get().offset();
            for (int i = 0; i < VALID; i++) {
                Order valid = Order.valid(100 + i);
                producer.send(new ProducerRecord<>(TOPIC, valid.key(), valid.value())).get();
            }
        }
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        for (Sink sink : List.of(CONNECT_DLQ, TRUTHLINE_DLQ)) {
            waitForCondition(() -> Orders.rowCount(cluster, sink.table()) == VALID
                            && cluster.committedOffset(sink.connector(), partition) > rejectedOffset, TIMEOUT_MS,
                    () -> sink.connector() + ": the valid orders did not land and commit: "
                            + Orders.rowCount(cluster, sink.table()) + " rows, committed " + cluster.committedOffset(sink.connector(), partition));
        }
        log.info("Rejected record at offset {}; {} rows written and committed past it by both sinks; killing the worker",
                rejectedOffset, VALID);
        worker.killHard();
        worker.restart();
        // One more valid order: once it is written, each new task has taken up where its offsets were committed.
        try (KafkaProducer<byte[], byte[]> producer = cluster.connect().kafka().createProducer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all"))) {
            Order last = Order.valid(1_000);
            producer.send(new ProducerRecord<>(TOPIC, last.key(), last.value())).get();
        }
        for (Sink sink : List.of(CONNECT_DLQ, TRUTHLINE_DLQ)) {
            cluster.awaitRunning(sink.connector(), 1);
            waitForCondition(() -> Orders.rowCount(cluster, sink.table()) == VALID + 1, TIMEOUT_MS,
                    () -> sink.connector() + ": the last order did not land: " + Orders.rowCount(cluster, sink.table()));
        }

        String rejectedAt = TOPIC + "/0/" + rejectedOffset;
        assertThat(deadLettered(TRUTHLINE_DLQ)).as("on.failure=dead_letter: the rejected record is in the DLQ")
                .containsExactly(rejectedAt);
        // The same record (what the connector's JsonConverter read, written back by the same converter) and Connect's
        // context headers, so triage, replay and the audit read it as any dead letter.
        ConsumerRecord<byte[], byte[]> dead = cluster.connect().kafka().consumeAll(10_000, TRUTHLINE_DLQ.dlq())
                .iterator().next();
        assertThat(JSON.readTree(dead.value())).isEqualTo(JSON.readTree(Order.invalid(1, 0).value()));
        assertThat(JSON.readTree(dead.key())).isEqualTo(JSON.readTree(Order.invalid(1, 0).key()));
        assertThat(headers(dead)).containsEntry("__connect.errors.connector.name", TRUTHLINE_DLQ.connector())
                .containsEntry("__connect.errors.task.id", "0")
                .containsEntry("__connect.errors.stage", "TRANSFORMATION")
                .containsEntry("__connect.errors.exception.message", "Record violates contract orders@1: failed rules "
                        + Orders.BROKEN_RULES.get(0) + " (topic " + TOPIC + ", partition 0, offset " + rejectedOffset + ")");
        assertThat(deadLettered(CONNECT_DLQ)).as("on.failure=fail: Connect's DLQ write died with the worker, after the "
                + "offsets behind it were committed — the record is in no table, no DLQ, and never handed again").isEmpty();
    }

    private static List<String> deadLettered(Sink sink) throws Exception {
        List<String> positions = new ArrayList<>();
        try (Admin admin = cluster.connect().kafka().createAdminClient()) {
            if (!admin.listTopics().names().get().contains(sink.dlq())) {
                return positions;
            }
        }
        for (ConsumerRecord<byte[], byte[]> dead : cluster.connect().kafka().consumeAll(10_000, sink.dlq())) {
            positions.add(originalPosition(headers(dead)));
        }
        return positions;
    }
}
