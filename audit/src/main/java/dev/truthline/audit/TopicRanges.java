package dev.truthline.audit;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The part of a topic an audit reads, per partition {@code [from, until)}: from the checkpoint (where the last audit
 * stopped), else from the range's start ({@link AuditRange}: a time, offsets or a snapshot's cut), else from the
 * start; until the range's end, else the end the topic has when the audit starts (the last stable offset: only
 * committed transactions are read). Records stream through; nothing is kept.
 */
public final class TopicRanges implements AutoCloseable {

    /** Offsets {@code [from, until)} of one partition. */
    public record Range(long from, long until) {
        public long size() {
            return Math.max(0, until - from);
        }
    }

    /** Where the records come from: Kafka, or a test's records. */
    interface Log extends AutoCloseable {
        /** The topic's partitions in order; none when it does not exist. */
        List<TopicPartition> partitions(String topic);

        Map<TopicPartition, Long> beginningOffsets(List<TopicPartition> partitions);

        Map<TopicPartition, Long> endOffsets(List<TopicPartition> partitions);

        /** The first offset at or after {@code timeMs} per partition; absent where no record is that late. */
        Map<TopicPartition, Long> offsetsForTime(List<TopicPartition> partitions, long timeMs);

        /** Every committed record of {@code [range.from, range.until)} of the partition, in order. */
        void read(TopicPartition partition, Range range, Consumer<ConsumerRecord<byte[], byte[]>> each);

        @Override
        void close();
    }

    private final Log log;

    TopicRanges(Log log) {
        this.log = log;
    }

    /** The topics of the Kafka cluster at {@code bootstrapServers}, through one consumer (close it). */
    public static TopicRanges kafka(String bootstrapServers) {
        return new TopicRanges(new KafkaLog(bootstrapServers));
    }

    /**
     * The ranges of {@code topic}'s partitions; an absent topic has none.
     *
     * @param checkpoint where a previous audit stopped, per partition (may be empty); it wins over {@code since}
     * @param since      the range's start (may be {@link AuditRange.Bound#NONE})
     * @param until      the range's end (may be {@link AuditRange.Bound#NONE})
     * @throws CannotJudgeException when offsets the operator gave lie outside what the partition holds
     */
    public Map<TopicPartition, Range> resolve(String topic, Map<TopicPartition, Long> checkpoint,
            AuditRange.Bound since, AuditRange.Bound until) throws CannotJudgeException {
        Map<TopicPartition, Range> ranges = new LinkedHashMap<>();
        List<TopicPartition> partitions = log.partitions(topic);
        if (partitions.isEmpty()) {
            return ranges;
        }
        since.checkPartitions(topic, partitions);
        until.checkPartitions(topic, partitions);
        Map<TopicPartition, Long> begin = log.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = log.endOffsets(partitions);
        Map<TopicPartition, Long> sinceAtTime = since.timeMs() == null ? null
                : log.offsetsForTime(partitions, since.timeMs());
        Map<TopicPartition, Long> untilAtTime = until.timeMs() == null ? null
                : log.offsetsForTime(partitions, until.timeMs());
        for (TopicPartition p : partitions) {
            long first = begin.get(p);
            long last = end.get(p);
            long from;
            if (checkpoint.containsKey(p)) {
                from = Math.max(first, checkpoint.get(p));
            } else if (sinceAtTime != null) {
                from = Math.max(first, sinceAtTime.getOrDefault(p, last));
            } else {
                from = since.offset(p, first, first, last);
            }
            long to = untilAtTime != null ? untilAtTime.getOrDefault(p, last) : until.offset(p, last, first, last);
            ranges.put(p, new Range(from, Math.max(from, Math.min(to, last))));
        }
        return ranges;
    }

    /**
     * Per partition, the records before its audited range back to the first whose record time is at or after the
     * given time ({@link Long#MIN_VALUE}: from the partition's start): {@code [that offset, range.from)}.
     */
    public Map<TopicPartition, Range> before(Map<TopicPartition, Long> sinceMs, Map<TopicPartition, Range> ranges) {
        Map<TopicPartition, Range> before = new LinkedHashMap<>();
        sinceMs.forEach((p, ms) -> {
            Range r = ranges.get(p);
            if (r == null) {
                return;
            }
            long first = log.beginningOffsets(List.of(p)).get(p);
            long from = ms == Long.MIN_VALUE ? first
                    : Math.max(first, log.offsetsForTime(List.of(p), ms).getOrDefault(p, r.from()));
            before.put(p, new Range(Math.min(from, r.from()), r.from()));
        });
        return before;
    }

    /** A topic's ranges from its start to its end now: what a dead-letter queue is read as. */
    public Map<TopicPartition, Range> whole(String topic) throws CannotJudgeException {
        return resolve(topic, Map.of(), AuditRange.Bound.NONE, AuditRange.Bound.NONE);
    }

    /** Streams every committed record of the ranges to {@code each}, partition by partition. */
    public void read(Map<TopicPartition, Range> ranges, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        for (Map.Entry<TopicPartition, Range> e : ranges.entrySet()) {
            if (e.getValue().size() > 0) {
                log.read(e.getKey(), e.getValue(), each);
            }
        }
    }

    @Override
    public void close() {
        log.close();
    }

    /** One consumer, {@code read_committed}, for every query and read of an audit. */
    private static final class KafkaLog implements Log {

        private final KafkaConsumer<byte[], byte[]> consumer;

        KafkaLog(String bootstrapServers) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
            // Reading never creates: asking for a dead-letter queue no sink has written yet must not make one.
            p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
            consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        @Override
        public List<TopicPartition> partitions(String topic) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null) {
                return List.of();
            }
            return infos.stream().map(i -> new TopicPartition(topic, i.partition()))
                    .sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList();
        }

        @Override
        public Map<TopicPartition, Long> beginningOffsets(List<TopicPartition> partitions) {
            return consumer.beginningOffsets(partitions);
        }

        @Override
        public Map<TopicPartition, Long> endOffsets(List<TopicPartition> partitions) {
            return consumer.endOffsets(partitions);
        }

        @Override
        public Map<TopicPartition, Long> offsetsForTime(List<TopicPartition> partitions, long timeMs) {
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, timeMs));
            Map<TopicPartition, Long> offsets = new HashMap<>();
            consumer.offsetsForTimes(query, Duration.ofSeconds(30)).forEach((p, o) -> {
                if (o != null) {
                    offsets.put(p, o.offset());
                }
            });
            return offsets;
        }

        @Override
        public void read(TopicPartition p, Range range, Consumer<ConsumerRecord<byte[], byte[]>> each) {
            consumer.assign(List.of(p));
            consumer.seek(p, range.from());
            // Transaction markers and aborted records occupy offsets too: the position, not a count, says when the
            // range is done.
            while (consumer.position(p) < range.until()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() < range.until()) {
                        each.accept(r);
                    }
                }
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
