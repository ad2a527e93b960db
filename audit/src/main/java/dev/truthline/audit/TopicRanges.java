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
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The part of a topic an audit reads, per partition {@code [from, until)}: from the checkpoint (where the last audit
 * stopped), else from {@code since} (a time), else from the start; until {@code until} (a time), else the end the
 * topic has when the audit starts (the last stable offset: only committed transactions are read). Records stream
 * through; nothing is kept.
 */
public final class TopicRanges {

    /** Offsets {@code [from, until)} of one partition. */
    public record Range(long from, long until) {
        public long size() {
            return Math.max(0, until - from);
        }
    }

    private final String bootstrapServers;

    public TopicRanges(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * The ranges of {@code topic}'s partitions; an absent topic has none.
     *
     * @param checkpoint where a previous audit stopped, per partition (may be empty)
     * @param sinceMs    first record time, or null
     * @param untilMs    record time to stop before, or null
     */
    public Map<TopicPartition, Range> resolve(String topic, Map<TopicPartition, Long> checkpoint, Long sinceMs,
            Long untilMs) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            Map<TopicPartition, Range> ranges = new LinkedHashMap<>();
            if (infos == null || infos.isEmpty()) {
                return ranges;
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition()))
                    .sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList();
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> sinceOffsets = at(consumer, partitions, sinceMs, end);
            Map<TopicPartition, Long> untilOffsets = at(consumer, partitions, untilMs, end);
            for (TopicPartition p : partitions) {
                long from = begin.get(p);
                if (checkpoint.containsKey(p)) {
                    from = Math.max(from, checkpoint.get(p));
                } else if (sinceOffsets != null) {
                    from = Math.max(from, sinceOffsets.get(p));
                }
                long until = untilOffsets != null ? untilOffsets.get(p) : end.get(p);
                ranges.put(p, new Range(from, Math.max(from, until)));
            }
            return ranges;
        }
    }

    /** The first offset of each partition at or after {@code timeMs}; the end where no record is that late. */
    private static Map<TopicPartition, Long> at(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
            Long timeMs, Map<TopicPartition, Long> end) {
        if (timeMs == null) {
            return null;
        }
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, timeMs));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(30));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp o = found.get(p);
            offsets.put(p, o == null ? end.get(p) : o.offset());
        }
        return offsets;
    }

    /** Streams every committed record of the ranges to {@code each}, partition by partition. */
    public void read(Map<TopicPartition, Range> ranges, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            for (Map.Entry<TopicPartition, Range> e : ranges.entrySet()) {
                TopicPartition p = e.getKey();
                Range range = e.getValue();
                if (range.size() == 0) {
                    continue;
                }
                consumer.assign(List.of(p));
                consumer.seek(p, range.from());
                // Transaction markers and aborted records occupy offsets too: the position, not a count, says when
                // the range is done.
                while (consumer.position(p) < range.until()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        if (r.offset() < range.until()) {
                            each.accept(r);
                        }
                    }
                }
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
