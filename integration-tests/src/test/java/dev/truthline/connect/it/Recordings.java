package dev.truthline.connect.it;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * What {@link RecordingSinkTask} was handed, per connector name. Static, because the worker creates
 * the task inside the test's JVM and the test has no other handle on it; thread-safe, because the
 * task thread writes while the test thread reads.
 */
final class Recordings {

    /** One record as a {@code put()} call handed it to the task. */
    record Delivery(int index, int batch, String topic, int partition, long offset, String key, Object value,
            Map<String, String> headers) {

        /** Where the record sits in Kafka: {@code topic/partition/offset}. */
        String position() {
            return topic + "/" + partition + "/" + offset;
        }

        /** A top-level field of a schemaless (JSON) value. */
        Object field(String name) {
            return value instanceof Map<?, ?> map ? map.get(name) : null;
        }
    }

    /**
     * A rewind the task asked for: on seeing {@code at} it called {@code context.offset(partition, to)}.
     * The seek takes effect before the worker's next poll, so every delivery of this partition from
     * index {@code effectiveFrom} on comes after the rewind.
     */
    record Rewind(int partition, long at, long to, int effectiveFrom) {
    }

    /** A {@code put()} call that threw a {@code RetriableException} after recording its batch. */
    record Failure(int batch, int partition, long at) {
    }

    private static final ConcurrentMap<String, Recording> BY_CONNECTOR = new ConcurrentHashMap<>();

    private Recordings() {
    }

    static Recording of(String connector) {
        return BY_CONNECTOR.computeIfAbsent(connector, name -> new Recording());
    }

    /** Drops what a connector's tasks were handed (a measurement's passes would fill the heap). */
    static void forget(String connector) {
        BY_CONNECTOR.remove(connector);
    }

    /** Everything one connector's tasks were handed, in order. */
    static final class Recording {
        private final List<Delivery> deliveries = new ArrayList<>();
        private final List<Rewind> rewinds = new ArrayList<>();
        private final List<Failure> failures = new ArrayList<>();
        private final Set<String> fired = new HashSet<>();
        private int batches;
        private int starts;

        /** Records one {@code put()} batch; returns its number. */
        synchronized int add(Collection<SinkRecord> records) {
            int batch = batches++;
            for (SinkRecord r : records) {
                Map<String, String> headers = new LinkedHashMap<>();
                for (Header h : r.headers()) {
                    headers.put(h.key(), String.valueOf(h.value()));
                }
                deliveries.add(new Delivery(deliveries.size(), batch, r.originalTopic(), r.originalKafkaPartition(),
                        r.originalKafkaOffset(), r.key() == null ? null : r.key().toString(), r.value(),
                        Map.copyOf(headers)));
            }
            return batch;
        }

        /** Counts a task start (a restart counts again). */
        synchronized void started() {
            starts++;
        }

        /** How often a task of this connector was started. */
        synchronized int starts() {
            return starts;
        }

        /** True the first time a trigger is named, so each trigger acts exactly once per connector. */
        synchronized boolean fireOnce(String trigger) {
            return fired.add(trigger);
        }

        synchronized void rewound(int partition, long at, long to) {
            rewinds.add(new Rewind(partition, at, to, deliveries.size()));
        }

        synchronized void failed(int batch, int partition, long at) {
            failures.add(new Failure(batch, partition, at));
        }

        synchronized List<Delivery> deliveries() {
            return List.copyOf(deliveries);
        }

        synchronized List<Rewind> rewinds() {
            return List.copyOf(rewinds);
        }

        synchronized List<Failure> failures() {
            return List.copyOf(failures);
        }

        /** How often the record at this partition and offset was handed to the task. */
        synchronized long timesDelivered(int partition, long offset) {
            return deliveries.stream().filter(d -> d.partition() == partition && d.offset() == offset).count();
        }
    }
}
