package dev.truthline.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows the change and quarantine topics while the workload runs: how many events have been
 * captured, how many distinct changes, and their LSNs — so a rewind can aim at "the last N changes"
 * and the demo knows when capture has caught up. For the run's progress and control only; the report
 * reads the topics again from the start.
 */
final class CaptureTracker implements AutoCloseable {

    private final Topics topics;
    private final List<String> names;
    private final TopicChange.Reader reader;
    private final Thread thread;
    private final Set<Object> distinct = new HashSet<>();
    private final TreeSet<Long> lsns = new TreeSet<>();
    private long records;
    private volatile boolean running = true;
    private volatile Exception failure;

    CaptureTracker(Topics topics, List<String> names, TopicChange.Reader reader) {
        this.topics = topics;
        this.names = names;
        this.reader = reader;
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
                    TopicChange e = reader.read(r);
                    if (e.tombstone()) {
                        continue;
                    }
                    synchronized (this) {
                        records++;
                        // A value that is no change event counts as a change of its own.
                        distinct.add(e.id() != null ? e.id() : r.topic() + "/" + r.partition() + "/" + r.offset());
                        if (e.lsn() >= 0) {
                            lsns.add(e.lsn());
                        }
                    }
                }
            }
        } catch (Exception e) {
            failure = e;
        }
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
