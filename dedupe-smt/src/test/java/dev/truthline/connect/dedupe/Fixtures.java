package dev.truthline.connect.dedupe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;

/** Shared helpers for the Deduplicate tests: configuration, records, headers, a manual clock, metrics. */
final class Fixtures {

    static final long TIMESTAMP = 1_700_000_000_000L;

    private Fixtures() {
    }

    /** A manual clock for the TTL (kafka-clients' MockTime lives in a test jar this module does not use). */
    static final class ManualTime implements Time {
        private volatile long ms;

        ManualTime(long ms) {
            this.ms = ms;
        }

        void set(long ms) {
            this.ms = ms;
        }

        void advance(long delta) {
            ms += delta;
        }

        @Override
        public long milliseconds() {
            return ms;
        }

        @Override
        public long nanoseconds() {
            return ms * 1_000_000L;
        }

        @Override
        public void sleep(long delta) {
            ms += delta;
        }

        @Override
        public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) {
            throw new UnsupportedOperationException();
        }
    }

    /**
     * Configuration from alternating keys and values; a small window unless the keys name one, so the
     * tests do not each allocate the default million-entry window.
     */
    static Map<String, String> props(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("pairs of key and value");
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put("window.max.entries", "1000");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            props.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return props;
    }

    /** A schemaless map (null values allowed) in the order given. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static <R extends ConnectRecord<R>> Deduplicate<R> smt(Map<String, ?> props) {
        Deduplicate<R> smt = new Deduplicate<>();
        smt.configure(props);
        return smt;
    }

    static <R extends ConnectRecord<R>> Deduplicate<R> smt(Time time, Map<String, ?> props) {
        Deduplicate<R> smt = new Deduplicate<>(time);
        smt.configure(props);
        return smt;
    }

    /** A schemaless sink record. */
    static SinkRecord sink(String topic, int partition, long offset, Object key, Object value) {
        return sink(topic, partition, offset, null, key, null, value, new ConnectHeaders());
    }

    static SinkRecord sink(String topic, int partition, long offset, Schema keySchema, Object key, Schema valueSchema,
            Object value) {
        return sink(topic, partition, offset, keySchema, key, valueSchema, value, new ConnectHeaders());
    }

    static SinkRecord sink(String topic, int partition, long offset, Schema keySchema, Object key, Schema valueSchema,
            Object value, Iterable<Header> headers) {
        return new SinkRecord(topic, partition, keySchema, key, valueSchema, value, offset, TIMESTAMP,
                TimestampType.CREATE_TIME, headers);
    }

    /** A sink record now on {@code topic/partition/offset} that an earlier SMT moved from its original position. */
    static SinkRecord moved(String topic, int partition, long offset, String originalTopic, int originalPartition,
            long originalOffset, Object key, Object value) {
        return new SinkRecord(topic, partition, null, key, null, value, offset, TIMESTAMP, TimestampType.CREATE_TIME,
                new ConnectHeaders(), originalTopic, originalPartition, originalOffset);
    }

    /** A schemaless source record. */
    static SourceRecord source(Map<String, ?> sourcePartition, Map<String, ?> sourceOffset, Object key, Object value) {
        return new SourceRecord(sourcePartition, sourceOffset, "t", 0, null, key, null, value, TIMESTAMP,
                new ConnectHeaders());
    }

    /** The last header of that name as a string, or null. */
    static String header(ConnectRecord<?> record, String name) {
        Header h = record.headers().lastWithName(name);
        return h == null ? null : String.valueOf(h.value());
    }

    static int headerCount(ConnectRecord<?> record, String name) {
        int n = 0;
        for (Header h : record.headers()) {
            if (h.key().equals(name)) {
                n++;
            }
        }
        return n;
    }

    /** A metric's current value, found by name. */
    static Object metric(Metrics registry, String name) {
        return registry.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name))
                .map(e -> e.getValue().metricValue())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " among "
                        + registry.metrics().keySet().stream().map(MetricName::name).toList()));
    }
}
