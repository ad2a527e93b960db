package dev.truthline.connect.it;

import static dev.truthline.connect.it.TruthlineCluster.TIMEOUT_MS;
import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.truthline.connect.it.Orders.Order;

/**
 * A measurement, not part of {@code verify} (its name does not end in IT): what {@code on.failure=dead_letter} costs
 * against Connect's own DLQ ({@code on.failure=fail}), as the time one sink task takes to judge a topic of orders of
 * which a share is invalid, in the same run.
 *
 * <pre>./mvnw -B -pl integration-tests -am verify -Dit.test=DeadLetterThroughput -Dtest=none \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
 *     -Dtruthline.dlq.records=20000 -Dtruthline.dlq.invalid-shares=1.0,0.02</pre>
 *
 * One KRaft broker and one worker in this JVM; each pass is a new connector (a recording sink that writes nowhere,
 * ValidateContract in front of it, one task) reading the same topic from its start, alone on the worker; a pass ends
 * when its group has committed the end of the topic (offsets are flushed every 500 ms). The figures are printed and
 * logged; the assertions check that every invalid record is in the pass's DLQ and every valid one was handed on.
 */
class DeadLetterThroughput {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterThroughput.class);

    @Test
    void deadLetteringAgainstConnectsOwnDeadLetterQueue() throws Exception {
        int records = Integer.getInteger("truthline.dlq.records", 20_000);
        List<Double> shares = new ArrayList<>();
        for (String share : System.getProperty("truthline.dlq.invalid-shares", "1.0,0.02").split(",")) {
            shares.add(Double.parseDouble(share.trim()));
        }
        TruthlineCluster cluster = TruthlineCluster.start("dlq-measure", 1, Map.of("offset.flush.interval.ms", "500"));
        List<String> lines = new ArrayList<>();
        try {
            for (double share : shares) {
                String topic = "orders-dlq-measure-" + Math.round(share * 100);
                cluster.connect().kafka().createTopic(topic, 1);
                int invalid = produce(cluster, topic, records, share);
                // Warm-up pass first, then each configuration twice, alternating.
                List<String> passes = List.of("warmup", "fail", "dead_letter", "fail", "dead_letter");
                Map<String, List<Double>> seconds = new HashMap<>();
                int n = 0;
                for (String mode : passes) {
                    String connector = topic + "-" + mode + "-" + n++;
                    double s = pass(cluster, connector, topic, mode.equals("warmup") ? "fail" : mode, records, invalid);
                    seconds.computeIfAbsent(mode, k -> new ArrayList<>()).add(s);
                }
                double fail = best(seconds.get("fail"));
                double deadLetter = best(seconds.get("dead_letter"));
                String line = String.format(Locale.ROOT, "%,d records, %,d invalid (%.0f %%): on.failure=fail %.2f s "
                        + "(%,.0f records/s), dead_letter %.2f s (%,.0f records/s): %.2fx the time; %.2f ms more a "
                        + "dead letter; passes %s", records, invalid, share * 100, fail, records / fail, deadLetter,
                        records / deadLetter, deadLetter / fail, (deadLetter - fail) * 1000 / invalid, seconds);
                lines.add(line);
                log.info("DeadLetterThroughput: {}", line);
            }
        } finally {
            cluster.close();
        }
        lines.forEach(l -> System.out.println("DeadLetterThroughput: " + l));
    }

    private static double best(List<Double> seconds) {
        return seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    /** Orders 0 … records-1 into the topic, every one whose place falls in the share invalid; the number invalid. */
    private static int produce(TruthlineCluster cluster, String topic, int records, double share) throws Exception {
        int invalid = 0;
        try (KafkaProducer<byte[], byte[]> producer = cluster.connect().kafka().createProducer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, "10"))) {
            for (int i = 0; i < records; i++) {
                boolean bad = Math.floor((i + 1) * share) > Math.floor(i * share);
                Order order = bad ? Order.invalid(i, i) : Order.valid(i);
                invalid += bad ? 1 : 0;
                producer.send(new ProducerRecord<>(topic, 0, order.key(), order.value()));
            }
            producer.flush();
        }
        return invalid;
    }

    /** One connector over the whole topic; the seconds from its task running to the end of the topic committed. */
    private static double pass(TruthlineCluster cluster, String connector, String topic, String onFailure, int records,
            int invalid) throws Exception {
        String dlq = connector + ".dlq";
        cluster.connect().kafka().createTopic(dlq, 1);
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", RecordingSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("key.converter", JsonConverter.class.getName());
        config.put("value.converter", JsonConverter.class.getName());
        config.put("consumer.override.auto.offset.reset", "earliest");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        config.put("transforms", "contract");
        config.put("transforms.contract.type", TruthlineCluster.VALIDATE_VALUE);
        Orders.CONTRACT.forEach((k, v) -> config.put("transforms.contract." + k, v));
        config.put("transforms.contract.on.failure", onFailure);
        if (onFailure.equals("dead_letter")) {
            config.put("transforms.contract.dead.letter.topic", dlq);
            config.put("transforms.contract.dead.letter.bootstrap.servers", cluster.bootstrapServers());
        }
        long start = System.nanoTime();
        cluster.putConnector(connector, config);
        cluster.awaitRunning(connector, 1);
        waitForCondition(() -> cluster.committedOffset(connector, new TopicPartition(topic, 0)) == records, TIMEOUT_MS * 5,
                () -> connector + " did not commit the end of the topic: " + cluster.committedOffset(connector, new TopicPartition(topic, 0)));
        double seconds = (System.nanoTime() - start) / 1e9;
        cluster.rest("DELETE", "connectors/" + connector, null);
        assertThat(Recordings.of(connector).deliveries()).hasSize(records - invalid);
        Recordings.forget(connector);
        // Counted by the end offset: a DLQ record of Connect's carries the stack trace, 20,000 of them fill the heap.
        try (Admin admin = cluster.connect().kafka().createAdminClient()) {
            TopicPartition dead = new TopicPartition(dlq, 0);
            waitForCondition(() -> admin.listOffsets(Map.of(dead, OffsetSpec.latest())).partitionResult(dead).get()
                    .offset() == invalid, TIMEOUT_MS, () -> dlq + " does not hold " + invalid + " records");
        }
        return seconds;
    }
}
