package dev.truthline.connect.dedupe;

import static dev.truthline.connect.dedupe.DeduplicateTest.changeMap;
import static dev.truthline.connect.dedupe.Fixtures.TIMESTAMP;
import static dev.truthline.connect.dedupe.Fixtures.header;
import static dev.truthline.connect.dedupe.Fixtures.map;
import static dev.truthline.connect.dedupe.Fixtures.metric;
import static dev.truthline.connect.dedupe.Fixtures.props;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.storage.ConverterType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.truthline.connect.core.ReplayHeaders;

/**
 * Records written again by {@code truthline replay} (header {@code truthline.replay.of}): a replay
 * passes once when the task never judged its original, never when it did. "Never judged" is a window
 * entry a rebuild read back from the log (here a {@link MockConsumer} holds the log): the original was
 * rejected before Deduplicate by a task instance that is gone.
 */
class DeduplicateReplayTest {

    static final String TOPIC = "shop.public.orders";

    /** A Debezium change of order {@code id} (schemaless), at {@code offset} of partition 0. */
    static SinkRecord change(long offset, int id, long lsn, String replayOf) {
        return change(0, offset, id, lsn, replayOf);
    }

    /** As {@link #change(long, int, long, String)}, on {@code partition}. */
    static SinkRecord change(int partition, long offset, int id, long lsn, String replayOf) {
        ConnectHeaders headers = new ConnectHeaders();
        if (replayOf != null) {
            headers.addString(ReplayHeaders.OF, replayOf);
            headers.addString(ReplayHeaders.ID, "replay-20261205T040000Z");
        }
        return new SinkRecord(TOPIC, partition, null, map("id", (long) id), null, value(id, lsn), offset, TIMESTAMP,
                TimestampType.CREATE_TIME, headers);
    }

    static Map<String, Object> value(int id, long lsn) {
        return changeMap("orders", lsn, "[\"" + (lsn - 1) + "\",\"" + lsn + "\"]", "u", id, lsn);
    }

    static String at(long offset) {
        return TOPIC + "/0/" + offset;
    }

    /**
     * The Kafka log a rebuild reads: the records given, in partitions 0 and 1 of {@link #TOPIC}, as JSON
     * without schemas; the header values as UTF-8 text, as a producer writes them. The task must first be
     * handed the offset after a partition's last one (a mock consumer's position does not skip gaps).
     */
    static final class Log extends MockConsumer<byte[], byte[]> {
        private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        private final java.util.Set<TopicPartition> added = new java.util.HashSet<>();

        Log(SinkRecord... log) {
            super("earliest");
            JsonConverter json = new JsonConverter();
            json.configure(Map.of("schemas.enable", "false", "converter.type", ConverterType.VALUE.getName()));
            Map<TopicPartition, Long> ends = new HashMap<>();
            Node node = new Node(0, "localhost", 9092);
            List<PartitionInfo> partitions = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                ends.put(new TopicPartition(TOPIC, p), 0L);
                partitions.add(new PartitionInfo(TOPIC, p, node, new Node[] {node}, new Node[] {node}));
            }
            for (SinkRecord r : log) {
                RecordHeaders headers = new RecordHeaders();
                r.headers().forEach(h -> headers.add(h.key(), ((String) h.value()).getBytes(StandardCharsets.UTF_8)));
                records.add(new ConsumerRecord<>(TOPIC, r.kafkaPartition(), r.kafkaOffset(), r.timestamp(),
                        TimestampType.CREATE_TIME, -1, -1, json.fromConnectData(TOPIC, null, r.key()),
                        json.fromConnectData(TOPIC, null, r.value()), headers, Optional.empty()));
                ends.merge(new TopicPartition(TOPIC, r.kafkaPartition()), r.kafkaOffset() + 1, Math::max);
            }
            updatePartitions(TOPIC, partitions);
            Map<TopicPartition, Long> begins = new HashMap<>();
            ends.keySet().forEach(tp -> begins.put(tp, 0L));
            updateBeginningOffsets(begins);
            updateEndOffsets(ends);
        }

        @Override
        public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
                Map<TopicPartition, Long> timestamps, Duration timeout) {
            Map<TopicPartition, OffsetAndTimestamp> found = new HashMap<>();
            timestamps.forEach((tp, ts) -> found.put(tp, records.stream().anyMatch(r -> r.partition() == tp.partition())
                    ? new OffsetAndTimestamp(0, TIMESTAMP) : null));
            return found;
        }

        /** A seek reads the partition again (a mock consumer hands each record once). */
        @Override
        public synchronized void seek(TopicPartition partition, long offset) {
            added.remove(partition);
            super.seek(partition, offset);
        }

        @Override
        public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            for (TopicPartition tp : assignment()) {
                if (added.add(tp)) {
                    records.stream().filter(r -> r.partition() == tp.partition()).forEach(this::addRecord);
                }
            }
            return super.poll(timeout);
        }
    }

    /** A debezium Deduplicate that rebuilds its window from {@code log}, with replays judged under {@code header}. */
    static Deduplicate<SinkRecord> rebuilt(Log log, String... more) {
        Map<String, String> props = props("strategy", "debezium", "rebuild.bootstrap.servers", "log.test:9092",
                "rebuild.key.converter.schemas.enable", "false", "rebuild.value.converter.schemas.enable", "false",
                "rebuild.timeout.ms", "10000");
        for (int i = 0; i < more.length; i += 2) {
            props.put(more[i], more[i + 1]);
        }
        Deduplicate<SinkRecord> smt = new Deduplicate<>(new Fixtures.ManualTime(TIMESTAMP + 1_000), p -> log);
        smt.configure(props);
        return smt;
    }

    @Nested
    class Debezium {

        @Test
        void aReplayOfARecordThisTaskPassedIsADuplicate() {
            Deduplicate<SinkRecord> smt = Fixtures.smt(props("strategy", "debezium"));
            SinkRecord original = change(5, 1, 100, null);
            assertThat(smt.apply(original)).isSameAs(original);
            // The original passed everything before Deduplicate: it was not rejected there.
            assertThat(smt.apply(change(20, 1, 100, at(5)))).isNull();
            assertThat(smt.duplicates.sum()).isEqualTo(1);
            assertThat(smt.replaysPassed.sum()).isZero();
        }

        @Test
        void aReplayOfARecordRejectedBeforeThisTaskStartedPassesOnce() {
            // The log: the original at offset 5 (rejected by ValidateContract, which runs before Deduplicate,
            // in the task instance before a deploy restarted it), then another order's change.
            Log log = new Log(change(5, 1, 100, null), change(6, 2, 101, null));
            Deduplicate<SinkRecord> smt = rebuilt(log);
            // The restarted task is handed offset 7 first: the rebuild reads offsets 5 and 6 back.
            SinkRecord next = change(7, 3, 102, null);
            assertThat(smt.apply(next)).isSameAs(next);
            assertThat(smt.rebuildRecords.sum()).isEqualTo(2);
            SinkRecord replay = change(20, 1, 100, at(5));
            assertThat(smt.apply(replay)).as("the first replay").isSameAs(replay);
            assertThat(smt.replaysPassed.sum()).isEqualTo(1);
            assertThat(smt.apply(change(21, 1, 100, at(5)))).as("a second replay").isNull();
            assertThat(smt.duplicates.sum()).isEqualTo(1);
            SinkRecord redelivered = change(20, 1, 100, at(5));
            assertThat(smt.apply(redelivered)).as("the first replay redelivered").isSameAs(redelivered);
            assertThat(smt.replays.sum()).isEqualTo(1);
            // A replay of a record the log holds that another task instance passed is released too: the log cannot
            // tell; the replay tool sends only what a sink rejected (docs/deduplicate.md, Replays).
            assertThat(smt.apply(change(22, 2, 101, at(6)))).isNotNull();
            assertThat(smt.replaysPassed.sum()).isEqualTo(2);
        }

        @Test
        void withoutTheReplayRuleTheRebuiltOriginalDropsItsReplay() {
            Log log = new Log(change(4, 4, 99, null), change(5, 1, 100, null));
            Deduplicate<SinkRecord> smt = rebuilt(log, "replay.header", "");
            smt.apply(change(6, 3, 102, null));
            assertThat(smt.apply(change(20, 1, 100, at(5)))).as("lost: what the rule is for").isNull();
            assertThat(smt.replaysPassed.sum()).isZero();
        }

        @Test
        void aRebuildReadingBackAPassedReplayKeepsASecondReplayOut() {
            // A second restart: the log holds the original and the replay that passed.
            Log log = new Log(change(5, 1, 100, null), change(20, 1, 100, at(5)));
            Deduplicate<SinkRecord> smt = rebuilt(log);
            smt.apply(change(21, 3, 102, null));
            assertThat(smt.window().size()).as("one order: the replay moved its entry").isEqualTo(2);
            assertThat(smt.apply(change(31, 1, 100, at(5)))).as("a second replay").isNull();
            assertThat(smt.duplicates.sum()).isEqualTo(1);
            assertThat(smt.replaysPassed.sum()).as("nothing passed live").isZero();
        }

        @Test
        void theOriginalRedeliveredLiveIsJudgedLiveAndItsReplayIsThenADuplicate() {
            Log log = new Log(change(4, 4, 99, null), change(5, 1, 100, null));
            Deduplicate<SinkRecord> smt = rebuilt(log);
            smt.apply(change(6, 3, 102, null));
            // The task is handed the original itself (say, another partition read to its end by the rebuild).
            SinkRecord original = change(5, 1, 100, null);
            assertThat(smt.apply(original)).isSameAs(original);
            assertThat(smt.apply(change(20, 1, 100, at(5)))).isNull();
        }

        @Test
        void aPassedReplayIsNotTagged() {
            Log log = new Log(change(4, 4, 99, null), change(5, 1, 100, null));
            Deduplicate<SinkRecord> smt = rebuilt(log, "on.duplicate", "tag");
            smt.apply(change(6, 3, 102, null));
            SinkRecord replay = change(20, 1, 100, at(5));
            assertThat(smt.apply(replay)).isSameAs(replay);
            SinkRecord second = smt.apply(change(21, 1, 100, at(5)));
            assertThat(header(second, "dq.duplicate.reason")).isEqualTo("duplicate");
            assertThat(header(second, "dq.duplicate.of")).isEqualTo(at(20));
        }

        @Test
        void theHeaderNameIsConfigurable() {
            Log log = new Log(change(4, 4, 99, null), change(5, 1, 100, null));
            Deduplicate<SinkRecord> smt = rebuilt(log, "replay.header", "x-replay-of");
            smt.apply(change(6, 3, 102, null));
            assertThat(smt.apply(change(20, 1, 100, at(5)))).as("the default header is not read").isNull();
            SinkRecord replay = change(21, 1, 100, null);
            replay.headers().addString("x-replay-of", at(5));
            assertThat(smt.apply(replay)).isSameAs(replay);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "garbage", "shop.public.orders/0", "shop.public.orders/x/5", "shop.public.orders/0/-5",
            "other.topic/0/5", "shop.public.orders/1/5", "shop.public.orders/0/6"})
        void aMalformedOrForeignPositionIsJudgedAsAnyRecord(String of) {
            Log log = new Log(change(4, 4, 99, null), change(5, 1, 100, null));
            Deduplicate<SinkRecord> smt = rebuilt(log);
            smt.apply(change(6, 3, 102, null));
            assertThat(smt.apply(change(20, 1, 100, of))).isNull();
            assertThat(smt.duplicates.sum()).isEqualTo(1);
            assertThat(smt.replaysPassed.sum()).isZero();
        }

        @Test
        void aHeaderThatIsNotTextIsJudgedAsAnyRecord() {
            Log log = new Log(change(4, 4, 99, null), change(5, 1, 100, null));
            Deduplicate<SinkRecord> smt = rebuilt(log);
            smt.apply(change(6, 3, 102, null));
            SinkRecord replay = change(20, 1, 100, null);
            replay.headers().addInt(ReplayHeaders.OF, 5);
            assertThat(smt.apply(replay)).isNull();
            SinkRecord bytes = change(21, 1, 100, null);
            bytes.headers().addBytes(ReplayHeaders.OF, at(5).getBytes(StandardCharsets.UTF_8));
            assertThat(smt.apply(bytes)).as("bytes holding the position as text").isSameAs(bytes);
        }
    }

    @Nested
    class EventId {

        @Test
        void theRuleHoldsForEventIds() {
            Log log = new Log(change(4, 4, 99, null), change(5, 1, 100, null));
            Deduplicate<SinkRecord> smt = rebuilt(log, "strategy", "event_id", "id.fields", "value.source.lsn");
            smt.apply(change(6, 3, 102, null));
            assertThat(smt.apply(change(20, 1, 100, at(5)))).isNotNull();
            assertThat(smt.apply(change(21, 1, 100, at(5)))).isNull();
            assertThat(smt.replaysPassed.sum()).isEqualTo(1);
        }
    }

    @Nested
    class EntityVersion {

        private Deduplicate<SinkRecord> smt(String... more) {
            Map<String, String> props = props("strategy", "entity_version", "entity.fields", "key",
                    "version.field", "value.source.lsn");
            for (int i = 0; i < more.length; i += 2) {
                props.put(more[i], more[i + 1]);
            }
            return Fixtures.smt(props);
        }

        @Test
        void theNewestVersionsReplayPassesOnceWhoeverJudgedIt() {
            Deduplicate<SinkRecord> smt = smt();
            smt.apply(change(5, 1, 100, null));
            SinkRecord replay = change(20, 1, 100, at(5));
            assertThat(smt.apply(replay)).as("the same version again: an idempotent upsert").isSameAs(replay);
            assertThat(smt.replaysPassed.sum()).isEqualTo(1);
            assertThat(smt.apply(change(21, 1, 100, at(5)))).as("a second replay").isNull();
            assertThat(smt.stale.sum()).isEqualTo(1);
        }

        @Test
        void aReplayedOlderVersionNeverOverwritesANewerOne() {
            Deduplicate<SinkRecord> smt = smt("on.duplicate", "tag");
            smt.apply(change(5, 1, 100, null));
            smt.apply(change(6, 1, 150, null));
            SinkRecord stale = smt.apply(change(20, 1, 100, at(5)));
            assertThat(header(stale, "dq.duplicate.reason")).isEqualTo("stale");
            assertThat(header(stale, "dq.duplicate.of")).isEqualTo(at(6));
            assertThat(smt.replaysPassed.sum()).isZero();
        }

        @Test
        void aRebuiltNewestVersionsReplayPassesAfterARestart() {
            // The warehouse: its window rebuilt from the log holds the rejected original as the order's newest.
            Log log = new Log(change(4, 1, 90, null), change(5, 1, 100, null));
            Deduplicate<SinkRecord> smt = rebuilt(log, "strategy", "entity_version", "version.field",
                    "value.source.lsn");
            smt.apply(change(6, 3, 102, null));
            assertThat(smt.apply(change(20, 1, 100, at(5)))).isNotNull();
            assertThat(smt.apply(change(21, 1, 90, at(4)))).as("the older version's replay").isNull();
            assertThat(smt.apply(change(22, 1, 100, at(5)))).as("a second replay").isNull();
            assertThat(smt.replaysPassed.sum()).isEqualTo(1);
            assertThat(smt.stale.sum()).isEqualTo(2);
        }

        /**
         * A new task first given partition 0 must not read partition 1 ahead of what it will be handed: there order 7
         * was inserted (version 200) and then changed to a status the contract rejects (version 201). Read ahead, the
         * rejected version would be the newest, the insert it is then handed stale, and the order in no version.
         */
        @Test
        void aPartitionIsReadOnlyUpToTheFirstOffsetTheTaskIsGivenThere() {
            Log log = new Log(change(5, 1, 100, null), change(1, 0, 7, 200, null), change(1, 1, 7, 201, null));
            Deduplicate<SinkRecord> smt = rebuilt(log, "strategy", "entity_version", "version.field",
                    "value.source.lsn");
            smt.apply(change(6, 3, 102, null));
            assertThat(smt.rebuildRecords.sum()).as("partition 0 only").isEqualTo(1);
            SinkRecord insert = change(1, 0, 7, 200, null);
            assertThat(smt.apply(insert)).as("the insert, first offset of partition 1").isSameAs(insert);
            assertThat(smt.stale.sum()).isZero();
            // Given partition 1 later at offset 1 instead, the task reads offset 0 back first.
            Deduplicate<SinkRecord> later = rebuilt(new Log(change(5, 1, 100, null), change(1, 0, 7, 200, null),
                    change(1, 1, 7, 201, null)), "strategy", "entity_version", "version.field", "value.source.lsn");
            later.apply(change(6, 3, 102, null));
            assertThat(later.apply(change(1, 1, 7, 201, null))).isNotNull();
            assertThat(later.rebuilds.sum()).isEqualTo(2);
            assertThat(later.rebuildRecords.sum()).isEqualTo(2);
            assertThat(later.apply(change(1, 5, 7, 200, null))).as("a copy of the insert").isNull();
        }

        @Test
        void aRebuildReadingBackAPassedReplayKeepsASecondReplayOut() {
            Log log = new Log(change(5, 1, 100, null), change(20, 1, 100, at(5)));
            Deduplicate<SinkRecord> smt = rebuilt(log, "strategy", "entity_version", "version.field",
                    "value.source.lsn");
            smt.apply(change(21, 3, 102, null));
            assertThat(smt.apply(change(31, 1, 100, at(5)))).isNull();
            assertThat(smt.stale.sum()).isEqualTo(1);
        }
    }

    @Test
    void replaysPassedArePublished() {
        try (Metrics registry = new Metrics()) {
            Log log = new Log(change(4, 4, 99, null), change(5, 1, 100, null));
            Deduplicate<SinkRecord> smt = rebuilt(log);
            smt.withPluginMetrics(new PluginMetricsImpl(registry, new LinkedHashMap<>(Map.of("connector", "c"))));
            smt.apply(change(6, 3, 102, null));
            smt.apply(change(20, 1, 100, at(5)));
            smt.apply(change(21, 1, 100, at(5)));
            assertThat(metric(registry, "replays-passed-total")).isEqualTo(1.0);
            assertThat(metric(registry, "duplicates-total")).isEqualTo(1.0);
            assertThat(metric(registry, "records-passed")).isEqualTo(1.0);
            assertThat(metric(registry, "records-total")).isEqualTo(3.0);
        }
    }
}
