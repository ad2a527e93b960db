package dev.truthline.connect.dedupe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;

/**
 * Reads what a window must remember from the Kafka log: for a sink task, the records of an input
 * partition before the first offset the task judges; for a source task, the tail of the output
 * topic. Records are converted with the configured converters (as the worker converts them for the
 * pipeline) and handed, oldest first, to the window as sink or source records.
 *
 * <p>How far back: at most {@code window.max.entries} records a partition, and none older than
 * {@code window.ttl.ms} by record timestamp. Not thread-safe: the caller serializes rebuilds.
 */
final class WindowRebuild implements AutoCloseable {

    /** What one rebuild did. */
    record Result(long recordsRead, long remembered, long millis) {
    }

    /** Receives each record read; returns whether it was remembered. */
    interface Sink {
        boolean remember(org.apache.kafka.connect.connector.ConnectRecord<?> record, long timestampMs);
    }

    private final Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers;
    private final Map<String, Object> consumerProps;
    private final Converter keyConverter;
    private final Converter valueConverter;
    private final HeaderConverter headerConverter;
    private final int maxEntries;
    private final long ttlMs;
    private final long timeoutMs;
    private Consumer<byte[], byte[]> consumer;

    WindowRebuild(Map<String, Object> consumerProps, Converter keyConverter, Converter valueConverter,
            HeaderConverter headerConverter, int maxEntries, long ttlMs, long timeoutMs,
            Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers) {
        this.consumerProps = new HashMap<>(consumerProps);
        this.consumerProps.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumerProps.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumerProps.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        this.consumerProps.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "truthline-dedupe-rebuild");
        this.consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.keyConverter = keyConverter;
        this.valueConverter = valueConverter;
        this.headerConverter = headerConverter;
        this.maxEntries = maxEntries;
        this.ttlMs = ttlMs;
        this.timeoutMs = timeoutMs;
        this.consumers = consumers;
    }

    static Consumer<byte[], byte[]> kafkaConsumer(Map<String, Object> props) {
        return new KafkaConsumer<>(props);
    }

    private Consumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            consumer = consumers.apply(consumerProps);
        }
        return consumer;
    }

    /**
     * A sink topic, when the task first sees one of its partitions: that partition's records before
     * {@code beforeOffset}, and every other partition's up to its end now (so a copy in another
     * partition than its original is caught, and a record the task is later given from those ranges
     * comes back at its own position: a redelivery, which passes). Sink records at their own offsets.
     *
     * @param readUpTo receives, per partition, the offset the rebuild read up to (exclusive)
     */
    Result sinkTopic(String topic, int partition, long beforeOffset, long nowMs, Sink sink,
            Map<Integer, Long> readUpTo) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        List<TopicPartition> partitions = partitionsOf(topic);
        TopicPartition first = new TopicPartition(topic, partition);
        if (!partitions.contains(first)) {
            partitions.add(first);
        }
        Map<TopicPartition, Long> ends = new HashMap<>(consumer().endOffsets(partitions, remaining(deadline)));
        ends.put(first, beforeOffset);
        ends.forEach((tp, end) -> readUpTo.put(tp.partition(), end));
        return read(partitions, Map.of(), ends, nowMs, sink, true);
    }

    /** A sink partition's records from {@code fromOffset} (or the window's bounds) up to {@code beforeOffset}. */
    Result sinkPartition(String topic, int partition, long fromOffset, long beforeOffset, long nowMs, Sink sink) {
        TopicPartition tp = new TopicPartition(topic, partition);
        return read(List.of(tp), Map.of(tp, fromOffset), Map.of(tp, beforeOffset), nowMs, sink, true);
    }

    /** A source output topic: the tail of each of its partitions, as source records without a source position. */
    Result sourceTopic(String topic, long nowMs, Sink sink) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        List<TopicPartition> partitions = partitionsOf(topic);
        if (partitions.isEmpty()) {
            return new Result(0, 0, 0);
        }
        Map<TopicPartition, Long> ends = consumer().endOffsets(partitions, remaining(deadline));
        return read(partitions, Map.of(), ends, nowMs, sink, false);
    }

    /** How far before an offset {@link #recordBefore} looks: past the transaction markers between two records. */
    static final int LOOK_BACK = 16;

    /**
     * The record right before {@code beforeOffset} in a partition (aborted records and transaction markers skipped), as
     * a sink record at its own offset; null when there is none within {@link #LOOK_BACK} offsets, when it is a
     * tombstone, or when the converters cannot read it.
     */
    org.apache.kafka.connect.connector.ConnectRecord<?> recordBefore(String topic, int partition, long beforeOffset) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        TopicPartition tp = new TopicPartition(topic, partition);
        Consumer<byte[], byte[]> c = consumer();
        c.assign(List.of(tp));
        try {
            long begin = c.beginningOffsets(List.of(tp), remaining(deadline)).getOrDefault(tp, 0L);
            long start = Math.max(begin, beforeOffset - LOOK_BACK);
            if (start >= beforeOffset) {
                return null;
            }
            c.seek(tp, start);
            ConsumerRecord<byte[], byte[]> last = null;
            while (c.position(tp, remaining(deadline)) < beforeOffset) {
                if (System.currentTimeMillis() > deadline) {
                    throw new org.apache.kafka.common.errors.TimeoutException("could not read " + tp + " up to "
                            + beforeOffset + " within " + timeoutMs + " ms");
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() < beforeOffset) {
                        last = r;
                    }
                }
            }
            return last == null || last.value() == null ? null : toConnect(last, true);
        } finally {
            c.assign(List.of());
        }
    }

    private List<TopicPartition> partitionsOf(String topic) {
        List<PartitionInfo> infos = consumer().partitionsFor(topic, Duration.ofMillis(timeoutMs));
        List<TopicPartition> partitions = new ArrayList<>();
        if (infos != null) {
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        return partitions;
    }

    private Result read(List<TopicPartition> partitions, Map<TopicPartition, Long> from, Map<TopicPartition, Long> ends,
            long nowMs, Sink sink, boolean asSink) {
        long started = System.nanoTime();
        long deadline = System.currentTimeMillis() + timeoutMs;
        Consumer<byte[], byte[]> c = consumer();
        c.assign(partitions);
        Map<TopicPartition, Long> begins = c.beginningOffsets(partitions, remaining(deadline));
        Map<TopicPartition, Long> timeQuery = new HashMap<>();
        long oldest = nowMs - ttlMs;
        for (TopicPartition tp : partitions) {
            timeQuery.put(tp, Math.max(0, oldest));
        }
        Map<TopicPartition, OffsetAndTimestamp> byTime = c.offsetsForTimes(timeQuery, remaining(deadline));
        Map<TopicPartition, Long> pending = new HashMap<>();
        for (TopicPartition tp : partitions) {
            long end = ends.get(tp);
            long start = Math.max(Math.max(begins.getOrDefault(tp, 0L), end - maxEntries), from.getOrDefault(tp, 0L));
            OffsetAndTimestamp first = byTime.get(tp);
            // No record at or after the TTL's start: nothing young enough to remember.
            start = Math.max(start, first == null ? end : first.offset());
            if (start < end) {
                c.seek(tp, start);
                pending.put(tp, end);
            }
        }
        c.pause(partitions.stream().filter(tp -> !pending.containsKey(tp)).toList());
        long read = 0;
        long remembered = 0;
        while (!pending.isEmpty()) {
            if (System.currentTimeMillis() > deadline) {
                throw new org.apache.kafka.common.errors.TimeoutException("rebuild did not reach the end of "
                        + pending.keySet() + " within " + timeoutMs + " ms");
            }
            ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(200));
            for (ConsumerRecord<byte[], byte[]> r : records) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                Long end = pending.get(tp);
                if (end == null || r.offset() >= end) {
                    continue;
                }
                read++;
                if (r.value() != null && r.timestamp() > oldest) {
                    var record = toConnect(r, asSink);
                    if (record != null && sink.remember(record, Math.min(r.timestamp(), nowMs))) {
                        remembered++;
                    }
                }
            }
            for (TopicPartition tp : new ArrayList<>(pending.keySet())) {
                // Aborted records and transaction markers are skipped: the position, not the last record, tells the end.
                if (c.position(tp, remaining(deadline)) >= pending.get(tp)) {
                    pending.remove(tp);
                    c.pause(List.of(tp));
                }
            }
        }
        c.assign(List.of());
        return new Result(read, remembered, (System.nanoTime() - started) / 1_000_000);
    }

    /** The record as the pipeline's converters give it, or null when they cannot convert it. */
    private org.apache.kafka.connect.connector.ConnectRecord<?> toConnect(ConsumerRecord<byte[], byte[]> r,
            boolean asSink) {
        try {
            SchemaAndValue key = keyConverter.toConnectData(r.topic(), r.headers(), r.key());
            SchemaAndValue value = valueConverter.toConnectData(r.topic(), r.headers(), r.value());
            ConnectHeaders headers = new ConnectHeaders();
            for (Header h : r.headers()) {
                SchemaAndValue hv = headerConverter.toConnectHeader(r.topic(), h.key(), h.value());
                headers.add(h.key(), hv);
            }
            if (asSink) {
                return new SinkRecord(r.topic(), r.partition(), key.schema(), key.value(), value.schema(), value.value(),
                        r.offset(), r.timestamp(), r.timestampType(), headers);
            }
            return new SourceRecord(null, null, r.topic(), r.partition(), key.schema(), key.value(), value.schema(),
                    value.value(), r.timestamp(), headers);
        } catch (RuntimeException unconvertible) {
            return null;
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofMillis(Math.max(1, deadline - System.currentTimeMillis()));
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
            consumer = null;
        }
    }
}
