package dev.truthline.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import dev.truthline.audit.CapturedEvents;
import dev.truthline.connect.core.FieldPath;

/**
 * Follows the change and quarantine topics while the workload runs: how many events have been
 * captured, how many distinct changes, and their LSNs — so a rewind can aim at "the last N changes"
 * and the demo knows when capture has caught up. For the run's progress and control only; the report
 * takes its figures from the audit of the run. Records are decoded as the audit decodes them
 * ({@link CapturedEvents#decode}: the sinks' JSON converter, then {@code ChangeIdentity}).
 */
final class CaptureTracker implements AutoCloseable {

    private final Topics topics;
    private final List<String> names;
    private static final FieldPath LSN = FieldPath.parse("source.lsn");

    private final CapturedEvents decoder;
    private final Thread thread;
    private final Set<Object> distinct = new HashSet<>();
    private final TreeSet<Long> lsns = new TreeSet<>();
    private long records;
    private volatile boolean running = true;
    private volatile Exception failure;

    CaptureTracker(Topics topics, List<String> names, CapturedEvents decoder) {
        this.topics = topics;
        this.names = names;
        this.decoder = decoder;
        this.thread = new Thread(this::follow, "truthline-demo-capture");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        try (KafkaConsumer<byte[], byte[]> consumer = topics.consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String name : names) {
                for (PartitionInfo info : consumer.partitionsFor(name, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(name, info.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        continue; // a tombstone: no change event
                    }
                    CapturedEvents.Decoded e = decoder.decode(r.topic(), r.key(), r.value());
                    Object lsn = e.value() == null ? null : LSN.get(e.value());
                    synchronized (this) {
                        records++;
                        // A value that is no change event counts as a change of its own.
                        distinct.add(e.id() != null ? List.of(e.id()[0], e.id()[1])
                                : r.topic() + "/" + r.partition() + "/" + r.offset());
                        if (lsn instanceof Number n) {
                            lsns.add(n.longValue());
                        }
                    }
                }
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    /**
     * A decoder of the pipeline's change events as a sink of {@code connectorConfig} reads them (its
     * {@code key.converter.schemas.enable} and {@code value.converter.schemas.enable}; true by default).
     */
    static CapturedEvents decoderFor(Map<String, String> connectorConfig) {
        return new CapturedEvents(!"false".equalsIgnoreCase(connectorConfig.get("key.converter.schemas.enable")),
                !"false".equalsIgnoreCase(connectorConfig.get("value.converter.schemas.enable")), "");
    }

    synchronized long records() {
        return records;
    }

    synchronized long distinctChanges() {
        return distinct.size();
    }

    /** How many distinct LSNs captured so far lie after {@code lsn}: what a source set back to it emits again. */
    synchronized long capturedAfter(long lsn) {
        return lsns.tailSet(lsn, false).size();
    }

    Exception failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
