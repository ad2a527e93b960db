package dev.truthline.audit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** {@link MemoryLog} for tests outside this package: topics in memory, read through a {@link TopicRanges}. */
public final class MemoryTopics {

    private final MemoryLog log = new MemoryLog();

    public MemoryTopics topic(String topic, int partitions) {
        log.topic(topic, partitions);
        return this;
    }

    /** Appends a record with its time; returns it as a consumer reads it. */
    public ConsumerRecord<byte[], byte[]> append(String topic, int partition, long timeMs, byte[] key, byte[] value,
            RecordHeaders headers) {
        long offset = log.append(topic, partition, timeMs, key, value, headers);
        java.util.List<ConsumerRecord<byte[], byte[]>> one = new java.util.ArrayList<>();
        log.read(new org.apache.kafka.common.TopicPartition(topic, partition), new TopicRanges.Range(offset, offset + 1),
                one::add);
        return one.get(0);
    }

    /** The topics as the audit reads them. */
    public TopicRanges ranges() {
        return new TopicRanges(log);
    }
}
