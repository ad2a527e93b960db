package dev.truthline.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** Topics held in memory for the audit's tests: each partition a list, a record's offset its index. */
final class MemoryLog implements TopicRanges.Log {

    private final Map<String, List<List<ConsumerRecord<byte[], byte[]>>>> topics = new LinkedHashMap<>();

    MemoryLog topic(String topic, int partitions) {
        List<List<ConsumerRecord<byte[], byte[]>>> list = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            list.add(new ArrayList<>());
        }
        topics.put(topic, list);
        return this;
    }

    /** Record times: {@code EPOCH_MS} plus the offset. */
    static final long EPOCH_MS = 1_700_000_000_000L;

    /** Appends a record (its time {@link #EPOCH_MS} plus its offset, in ms); returns its offset. */
    long append(String topic, int partition, byte[] key, byte[] value, RecordHeaders headers) {
        return append(topic, partition, EPOCH_MS + topics.get(topic).get(partition).size(), key, value, headers);
    }

    /** Appends a record with its time (times rise with the offsets, as a log's mostly do); returns its offset. */
    long append(String topic, int partition, long timeMs, byte[] key, byte[] value, RecordHeaders headers) {
        List<ConsumerRecord<byte[], byte[]>> p = topics.get(topic).get(partition);
        long offset = p.size();
        p.add(new ConsumerRecord<>(topic, partition, offset, timeMs, TimestampType.CREATE_TIME, -1, -1, key, value,
                headers, Optional.empty()));
        return offset;
    }

    @Override
    public List<TopicPartition> partitions(String topic) {
        List<TopicPartition> ps = new ArrayList<>();
        if (topics.containsKey(topic)) {
            for (int i = 0; i < topics.get(topic).size(); i++) {
                ps.add(new TopicPartition(topic, i));
            }
        }
        return ps;
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(List<TopicPartition> partitions) {
        Map<TopicPartition, Long> m = new HashMap<>();
        partitions.forEach(p -> m.put(p, 0L));
        return m;
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(List<TopicPartition> partitions) {
        Map<TopicPartition, Long> m = new HashMap<>();
        partitions.forEach(p -> m.put(p, (long) topics.get(p.topic()).get(p.partition()).size()));
        return m;
    }

    @Override
    public Map<TopicPartition, Long> offsetsForTime(List<TopicPartition> partitions, long timeMs) {
        Map<TopicPartition, Long> m = new HashMap<>();
        for (TopicPartition p : partitions) {
            for (ConsumerRecord<byte[], byte[]> r : topics.get(p.topic()).get(p.partition())) {
                if (r.timestamp() >= timeMs) {
                    m.put(p, r.offset());
                    break;
                }
            }
        }
        return m;
    }

    @Override
    public void read(TopicPartition partition, TopicRanges.Range range, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        List<ConsumerRecord<byte[], byte[]>> p = topics.get(partition.topic()).get(partition.partition());
        for (long o = range.from(); o < range.until(); o++) {
            each.accept(p.get((int) o));
        }
    }

    @Override
    public void close() {
    }
}
