package dev.truthline.connect.it;

import static org.apache.kafka.test.TestUtils.waitForCondition;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * Steps of the change-data-capture tests: a source restarted with changed offsets, a topic filling up to a
 * count of records, and a sink connector's committed offset (read through Connect's offsets endpoint, KIP-875).
 */
final class SinkProgress {

    private SinkProgress() {
    }

    /**
     * Stops a source connector, changes its offsets while it is stopped (KIP-875: {@code alterConnectorOffsets} or
     * {@code resetConnectorOffsets}) and resumes it, as after a crash that lost offset commits.
     */
    static void restartWithOffsets(EmbeddedConnectCluster connect, String source, Runnable changeOffsets)
            throws InterruptedException {
        connect.stopConnector(source);
        connect.assertions().assertConnectorIsStopped(source, "The source " + source + " did not stop");
        changeOffsets.run();
        connect.resumeConnector(source);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(source, 1, "The source " + source
                + " did not resume");
    }

    /** Reads the topic with {@code read} until it holds at least {@code count} records; returns the last read. */
    static <T> List<T> awaitRecords(Callable<List<T>> read, int count, long timeoutMs, String what)
            throws InterruptedException {
        List<List<T>> last = new ArrayList<>(List.of(List.of()));
        waitForCondition(() -> {
            last.set(0, read.call());
            return last.get(0).size() >= count;
        }, timeoutMs, () -> what + " did not reach " + count + " records: " + last.get(0));
        return last.get(0);
    }

    /**
     * Waits until the sink has committed consumer offset {@code next} on partition 0 of {@code topic}: every record
     * before it went through the transformation chain, and whatever passed through {@code put()}.
     */
    static void awaitCommitted(EmbeddedConnectCluster connect, String sink, String topic, long next, long timeoutMs)
            throws InterruptedException {
        waitForCondition(() -> committed(connect, sink, topic) >= next, timeoutMs,
                () -> "The sink did not get through offset " + (next - 1) + ": committed "
                        + committed(connect, sink, topic) + ", SMT metrics " + DedupeMetrics.describe(sink));
    }

    /** The sink's committed consumer offset of partition 0 of {@code topic}, or -1. */
    static long committed(EmbeddedConnectCluster connect, String sink, String topic) {
        for (ConnectorOffset offset : connect.connectorOffsets(sink).offsets()) {
            Object value = offset.offset().get("kafka_offset");
            if (topic.equals(offset.partition().get("kafka_topic")) && value instanceof Number) {
                return ((Number) value).longValue();
            }
        }
        return -1;
    }
}
