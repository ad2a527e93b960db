package dev.truthline.connect.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.stream.Collectors.toList;
import static java.util.stream.Collectors.toSet;
import static org.apache.kafka.test.TestUtils.waitForCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.truthline.connect.it.Recordings.Delivery;
import dev.truthline.connect.it.Recordings.Recording;
import dev.truthline.connect.it.Recordings.Rewind;

import dev.truthline.connect.harness.EmbeddedConnect;

/**
 * The Deduplicate SMT on a real Connect worker (Connect's own embedded cluster: one distributed
 * worker, one KRaft broker, all in this JVM). The worker redelivers records the way it does in
 * production — a consumer seek requested through {@code SinkTaskContext.offset}, and a retried
 * {@code put()} — and the test checks that no record is lost and no duplicate passes.
 *
 * <p>Records are produced in two phases, waiting in between until the sink has the first phase, so
 * which copy of an id the task sees first is fixed: duplicates across partitions only refer to
 * ids of the first phase. One task reads both partitions, so duplicates meet in one window.
 */
class DeduplicateRewindIT {

    private static final Logger log = LoggerFactory.getLogger(DeduplicateRewindIT.class);

    /** By name: the class is on no class path here, only in the packaged plugin on plugin.path. */
    private static final long TIMEOUT_MS = 60_000;

    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void startConnect() throws Exception {
        // The test kit's temporary folders go under java.io.tmpdir, which the build points into target/.
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        TruthlineCluster.assertTruthlineOnlyOnPluginPath();
        // Truthline and Debezium come from their packaged plugin folders, as on a production worker.
        connect = EmbeddedConnect.named("dedupe-it").pluginPath(TruthlineCluster.PLUGIN_PATH).start();
    }

    @AfterAll
    static void stopConnect() {
        if (connect != null) {
            connect.stop();
        }
    }

    /**
     * The sink asks for a seek back on each partition when it first sees that partition's last
     * record; the worker redelivers, the SMT evaluates the redelivered records a second time. Every
     * redelivered record passes (same id at the same position), every true duplicate is dropped both
     * times, and nothing else changes.
     */
    @Test
    void consumerRewindRedeliversEveryRecordAndDropsOnlyTrueDuplicates() throws Exception {
        String connector = "dedupe-rewind";
        String topic = "orders-rewind";
        connect.kafka().createTopic(topic, 2);
        // Partition 0 goes back from offset 19 to 4 (into the first phase), partition 1 from 19 to 12.
        connect.configureConnector(connector, EventIdSink.config(topic, 1, Map.of(RecordingSinkConnector.REWIND, "0:19:4,1:19:12")));
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, 1, "The recording sink did not start");
        Recording recording = Recordings.of(connector);

        EventLog events = new EventLog(topic);
        try (events) {
            events.send(0, "a-00", "a-01", "a-02", "a-03", "a-04", "a-05", "a-06", "a-07", "a-08", "a-09");
            events.send(1, "b-00", "b-01", "b-02", "b-03", "b-04", "b-05", "b-06", "b-07", "b-08", "b-09");
            waitForCondition(() -> recording.deliveries().size() >= 20, TIMEOUT_MS,
                    () -> "The sink did not receive the first 20 records: " + recording.deliveries().size());
            // Second phase, with true duplicates: of an id on the same partition (a-03, a-06, a-10, b-12,
            // b-08, b-02), on the other partition (b-05, a-01), right after the original (b-12) and
            // inside and outside the ranges the rewinds replay.
            //             offset: 10      11      12      13      14      15      16      17      18      19
            events.send(0, "a-10", "a-11", "a-03", "a-12", "b-05", "a-13", "a-06", "a-14", "a-10", "a-15");
            events.send(1, "b-10", "a-01", "b-11", "b-12", "b-12", "b-13", "b-08", "b-14", "b-02", "b-15");
        }
        // Offsets 19 pass the SMT; delivered twice means each partition's replay has reached its end.
        waitForCondition(() -> recording.timesDelivered(0, 19) == 2 && recording.timesDelivered(1, 19) == 2,
                TIMEOUT_MS, () -> "The rewinds were not redelivered to the end (were redeliveries dropped?): "
                        + recording.deliveries().size() + " deliveries, rewinds " + recording.rewinds()
                        + ", SMT metrics " + dedupeMetricsIfAny(connector));

        List<Produced> produced = events.produced();
        List<Produced> originals = produced.stream().filter(p -> !p.duplicate()).collect(toList());
        List<Produced> duplicates = produced.stream().filter(Produced::duplicate).collect(toList());
        assertThat(produced).hasSize(40);
        assertThat(originals).hasSize(32);
        assertThat(duplicates).extracting(Produced::position).containsExactly(
                "orders-rewind/0/12", "orders-rewind/0/14", "orders-rewind/0/16", "orders-rewind/0/18",
                "orders-rewind/1/11", "orders-rewind/1/14", "orders-rewind/1/16", "orders-rewind/1/18");

        List<Delivery> deliveries = recording.deliveries();
        assertReceivedExactlyTheOriginals(events, deliveries);

        // The rewinds happened once each, as real seeks inside the worker.
        List<Rewind> rewinds = recording.rewinds();
        assertThat(rewinds).extracting(Rewind::partition, Rewind::at, Rewind::to)
                .containsExactlyInAnyOrder(tuple(0, 19L, 4L), tuple(1, 19L, 12L));
        // Before its rewind took effect, each partition delivered each original once, in offset order.
        // After it, exactly the originals from the rewind offset on, once each, in offset order: the
        // redeliveries passed (none taken for a duplicate of itself) and the true duplicates in the
        // replayed range were dropped again.
        for (Rewind rewind : rewinds) {
            int p = rewind.partition();
            List<Long> before = offsets(deliveries, p, d -> d.index() < rewind.effectiveFrom());
            List<Long> after = offsets(deliveries, p, d -> d.index() >= rewind.effectiveFrom());
            assertThat(before).as("partition %d before its rewind", p).isEqualTo(originalOffsets(originals, p, 0));
            assertThat(after).as("partition %d after its rewind", p).isEqualTo(originalOffsets(originals, p, rewind.to()));
        }
        assertThat(offsets(deliveries, 0, d -> d.index() >= effectiveFrom(rewinds, 0)))
                .containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 13L, 15L, 17L, 19L);
        assertThat(offsets(deliveries, 1, d -> d.index() >= effectiveFrom(rewinds, 1)))
                .containsExactly(12L, 13L, 15L, 17L, 19L);
        // 32 first deliveries + 12 + 5 redelivered.
        assertThat(deliveries).hasSize(49);

        // The SMT's own account (KIP-877 metrics in the worker's "plugins" group):
        // 40 records + 16 replayed on partition 0 + 8 on partition 1 = 64 evaluations;
        // 32 new ids; 12 + 5 = 17 same-position redeliveries; 8 duplicates on the first pass, and again
        // the 4 (partition 0, offsets 12-18) and 3 (partition 1, offsets 14-18) inside the replayed ranges.
        Map<String, Double> metrics = dedupeMetrics(connector);
        log.info("Rewind scenario: {} produced, {} duplicates, {} deliveries; SMT metrics {}",
                produced.size(), duplicates.size(), deliveries.size(), metrics);
        assertThat(metrics).containsEntry("records-total", 64.0)
                .containsEntry("records-passed", 32.0)
                .containsEntry("replays-total", 17.0)
                .containsEntry("duplicates-total", 15.0)
                .containsEntry("stale-total", 0.0)
                .containsEntry("missing-id-total", 0.0)
                .containsEntry("window-entries", 32.0)
                .containsEntry("window-evictions-total", 0.0);
    }

    /**
     * A {@code RetriableException} from {@code put()}: the worker pauses the partitions and hands the
     * same, already transformed batch to {@code put()} again. Nothing is lost or let through, and the
     * SMT is not asked again (no replays), so its counts stay those of one pass.
     */
    @Test
    void retriedPutRedeliversTheSameBatchWithoutDuplicates() throws Exception {
        String connector = "dedupe-retry";
        String topic = "orders-retry";
        connect.kafka().createTopic(topic, 2);
        connect.configureConnector(connector, EventIdSink.config(topic, 1, Map.of(RecordingSinkConnector.FAIL_ONCE_AT, "0:10")));
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, 1, "The recording sink did not start");
        Recording recording = Recordings.of(connector);

        EventLog events = new EventLog(topic);
        try (events) {
            events.send(0, "r-00", "r-01", "r-02", "r-03", "r-04", "r-05", "r-06", "r-07");
            events.send(1, "s-00", "s-01", "s-02", "s-03", "s-04", "s-05", "s-06", "s-07");
            waitForCondition(() -> recording.deliveries().size() >= 16, TIMEOUT_MS,
                    () -> "The sink did not receive the first 16 records: " + recording.deliveries().size());
            // Produced while the connector is paused, so the second phase tends to arrive as one batch
            // and the failed put() holds several records, some of them already de-duplicated.
            connect.pauseConnector(connector);
            connect.assertions().assertConnectorAndExactlyNumTasksArePaused(connector, 1, "The sink did not pause");
            //             offset: 8       9       10      11      12
            events.send(0, "r-08", "r-02", "r-09", "s-03", "r-10");
            events.send(1, "s-08", "s-08", "s-09", "r-05", "s-10");
            connect.resumeConnector(connector);
        }
        waitForCondition(() -> recording.timesDelivered(0, 10) == 2 && recording.timesDelivered(0, 12) >= 1
                        && recording.timesDelivered(1, 12) >= 1,
                TIMEOUT_MS, () -> "The retried batch or the last records did not arrive: " + recording.deliveries());

        List<Produced> produced = events.produced();
        assertThat(produced).hasSize(26);
        assertThat(produced.stream().filter(Produced::duplicate)).extracting(Produced::position).containsExactly(
                "orders-retry/0/9", "orders-retry/0/11", "orders-retry/1/9", "orders-retry/1/11");

        List<Delivery> deliveries = recording.deliveries();
        assertReceivedExactlyTheOriginals(events, deliveries);

        // One failed put(); the next put() got the very same records, in the same order.
        assertThat(recording.failures()).hasSize(1);
        int failed = recording.failures().get(0).batch();
        List<String> failedBatch = positions(deliveries, failed);
        assertThat(failedBatch).contains("orders-retry/0/10");
        assertThat(positions(deliveries, failed + 1)).isEqualTo(failedBatch);
        // Everything else arrived once: 22 originals, plus the retried batch a second time.
        for (Delivery d : deliveries) {
            long times = recording.timesDelivered(d.partition(), d.offset());
            assertThat(times).as(d.position()).isEqualTo(failedBatch.contains(d.position()) ? 2 : 1);
        }
        assertThat(deliveries).hasSize(22 + failedBatch.size());

        // 26 records evaluated once each: the retry reused the transformed batch.
        Map<String, Double> metrics = dedupeMetrics(connector);
        log.info("Retry scenario: {} produced, failed batch {}, {} deliveries; SMT metrics {}",
                produced.size(), failedBatch, deliveries.size(), metrics);
        assertThat(metrics).containsEntry("records-total", 26.0)
                .containsEntry("records-passed", 22.0)
                .containsEntry("replays-total", 0.0)
                .containsEntry("duplicates-total", 4.0)
                .containsEntry("window-entries", 22.0);
    }

    /**
     * Every id arrived (none lost), only ever from the position of its first copy (no duplicate
     * passed), as the record produced there, untagged.
     */
    private static void assertReceivedExactlyTheOriginals(EventLog events, List<Delivery> deliveries) {
        Map<String, Produced> byPosition = new HashMap<>();
        events.produced().forEach(p -> byPosition.put(p.position(), p));

        Set<Object> deliveredIds = deliveries.stream().map(d -> d.field("event_id")).collect(toSet());
        assertThat(deliveredIds).as("event_ids that reached the sink")
                .containsExactlyInAnyOrderElementsOf(events.firstById().keySet());
        Set<String> duplicatePositions = events.produced().stream().filter(Produced::duplicate)
                .map(Produced::position).collect(toSet());
        for (Delivery d : deliveries) {
            Produced p = byPosition.get(d.position());
            assertThat(p).as("a produced record at %s", d.position()).isNotNull();
            assertThat(duplicatePositions).as("a true duplicate reached the sink").doesNotContain(d.position());
            assertThat(d.position()).as("position of %s", d.field("event_id"))
                    .isEqualTo(events.firstById().get(p.eventId()).position());
            assertThat(d.field("event_id")).isEqualTo(p.eventId());
            assertThat(d.key()).isEqualTo(p.key());
            assertThat(d.headers()).as("headers at %s", d.position()).isEqualTo(Map.of("trace", p.trace()));
        }
    }

    private static List<Long> offsets(List<Delivery> deliveries, int partition, Predicate<Delivery> filter) {
        return deliveries.stream().filter(d -> d.partition() == partition).filter(filter)
                .map(Delivery::offset).collect(toList());
    }

    private static List<Long> originalOffsets(List<Produced> originals, int partition, long from) {
        return originals.stream().filter(p -> p.partition() == partition && p.offset() >= from)
                .map(Produced::offset).sorted().collect(toList());
    }

    private static int effectiveFrom(List<Rewind> rewinds, int partition) {
        return rewinds.stream().filter(r -> r.partition() == partition).findFirst().orElseThrow().effectiveFrom();
    }

    private static List<String> positions(List<Delivery> deliveries, int batch) {
        return deliveries.stream().filter(d -> d.batch() == batch).map(Delivery::position).collect(toList());
    }

    /** The Deduplicate metrics of task 0, read over JMX from the worker running in this JVM. */
    private static Map<String, Double> dedupeMetrics(String connector) throws Exception {
        return DedupeMetrics.of(connector);
    }

    private static String dedupeMetricsIfAny(String connector) {
        return DedupeMetrics.describe(connector);
    }

    /** One produced record; {@code original} is the first record produced with its event_id, if any. */
    private record Produced(String topic, int partition, long offset, String eventId, String key, String trace,
            Produced original) {

        boolean duplicate() {
            return original != null;
        }

        String position() {
            return topic + "/" + partition + "/" + offset;
        }
    }

    /**
     * Produces JSON events with a real producer, one at a time (so each offset is known), and keeps
     * what went where. A duplicate is a true one: the same key, value and event_id as its original.
     */
    private static final class EventLog implements AutoCloseable {
        private final String topic;
        private final KafkaProducer<byte[], byte[]> producer;
        private final List<Produced> produced = new ArrayList<>();
        private final Map<String, Produced> firstById = new LinkedHashMap<>();

        EventLog(String topic) {
            this.topic = topic;
            this.producer = connect.kafka().createProducer(Map.of());
        }

        void send(int partition, String... eventIds) throws Exception {
            for (String eventId : eventIds) {
                String key = "order-" + eventId;
                String value = "{\"event_id\":\"" + eventId + "\",\"amount\":" + (100 + eventId.hashCode() % 100) + "}";
                // Unique per physical record: tells which copy reached the sink.
                String trace = topic + "#" + produced.size();
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, partition, key.getBytes(UTF_8),
                        value.getBytes(UTF_8), List.of(new RecordHeader("trace", trace.getBytes(UTF_8))));
                RecordMetadata sent = producer.send(record).get(30, TimeUnit.SECONDS);
                Produced p = new Produced(topic, partition, sent.offset(), eventId, key, trace, firstById.get(eventId));
                produced.add(p);
                firstById.putIfAbsent(eventId, p);
            }
        }

        List<Produced> produced() {
            return List.copyOf(produced);
        }

        Map<String, Produced> firstById() {
            return firstById;
        }

        @Override
        public void close() {
            producer.close();
        }
    }
}
