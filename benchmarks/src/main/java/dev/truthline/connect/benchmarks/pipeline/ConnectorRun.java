package dev.truthline.connect.benchmarks.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

import com.fasterxml.jackson.databind.JsonNode;

import dev.truthline.connect.harness.ConnectRest;
import dev.truthline.connect.harness.DiscardingSinkConnector;
import dev.truthline.connect.harness.ForkedConnectWorker;
import dev.truthline.connect.harness.Waits;

/**
 * One configuration's pass: a fresh sink connector (its own consumer group) on the pre-filled topic — the discarding
 * one, or the Iceberg sink writing a table of its own — sampled every {@value #SAMPLE_MILLIS} ms — the tasks' read and
 * send counters over JMX, both processes' CPU time, the group's committed offsets — until it has read and committed
 * every record (into Iceberg: until the table's last commit holds every row); then it is deleted.
 */
final class ConnectorRun {

    static final long SAMPLE_MILLIS = 100;

    private record Sample(long nanos, long read, List<Long> perTask, long workerCpu, long brokerCpu) {
    }

    private final ForkedConnectWorker worker;
    private final long brokerPid;
    private final Admin admin;
    /** The catalog the Iceberg sink writes; null with the discarding sink. */
    private final IcebergCatalog iceberg;
    private final String bootstrapServers;
    private final long commitIntervalMs;
    /** Deduplicate's window.max.entries wherever a configuration runs it. */
    private final int windowEntries;
    /** Records the tasks read before the first sample (a window filling up is not its steady state). */
    private final long skip;

    ConnectorRun(ForkedConnectWorker worker, long brokerPid, Admin admin, IcebergCatalog iceberg,
            String bootstrapServers, long commitIntervalMs, int windowEntries, long skip) {
        this.worker = worker;
        this.brokerPid = brokerPid;
        this.admin = admin;
        this.iceberg = iceberg;
        this.bootstrapServers = bootstrapServers;
        this.commitIntervalMs = commitIntervalMs;
        this.windowEntries = windowEntries;
        this.skip = skip;
    }

    Measurement measure(Sink sink, WireFormat format, Chain chain, int round, String topic, long records, int tasks)
            throws Exception {
        String name = "bench-" + sink.id() + "-" + format.id() + "-" + chain.id() + "-" + round;
        Map<String, String> config = new LinkedHashMap<>();
        String table = null;
        if (sink == Sink.ICEBERG) {
            table = IcebergCatalog.table(name);
            // Its own control topic: no pass sees another's commit events.
            String control = "bench.iceberg.control." + name;
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(control, 1, (short) 1))).all().get();
            config.putAll(iceberg.connectorSettings(table, control, bootstrapServers, commitIntervalMs));
        } else {
            config.put("connector.class", DiscardingSinkConnector.class.getName());
        }
        config.put("tasks.max", Integer.toString(tasks));
        config.put("topics", topic);
        config.putAll(Chain.withWindow(chain.settings(format, sink), windowEntries));
        ConnectRest rest = worker.rest();
        Sample created = new Sample(System.nanoTime(), 0, java.util.Collections.nCopies(tasks, 0L),
                ProcCpu.nanos(worker.jvm().pid()), ProcCpu.nanos(brokerPid));
        rest.putConfig(name, config);
        Sample done = null;
        String metrics = "kafka.connect:type=sink-task-metrics,connector=" + name + ",task=*";
        List<String> attributes = List.of("sink-record-read-total", "sink-record-send-total");
        Sample first = null;
        Sample last = null;
        long readTotal = 0;
        long sentTotal = 0;
        long offsetsFirstNanos = 0;
        long offsetsFirst = 0;
        long offsetsDoneNanos = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(180 + records / 2_000).toNanos();
        long polls = 0;
        while (offsetsDoneNanos == 0 || readTotal < records) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not read and commit " + records + " records in time (read "
                        + readTotal + "); status " + rest.status(name));
            }
            Thread.sleep(SAMPLE_MILLIS);
            if (++polls % 20 == 0) {
                failIfFailed(rest, name);
            }
            if (readTotal < records) {
                long now = System.nanoTime();
                long workerCpu = ProcCpu.nanos(worker.jvm().pid());
                long brokerCpu = ProcCpu.nanos(brokerPid);
                Map<String, Map<String, Double>> byTask = readMetrics(metrics, attributes);
                List<Long> perTask = new ArrayList<>();
                long sent = 0;
                for (Map<String, Double> values : byTask.values()) {
                    perTask.add(values.get("sink-record-read-total").longValue());
                    sent += values.get("sink-record-send-total").longValue();
                }
                long read = perTask.stream().mapToLong(Long::longValue).sum();
                readTotal = read;
                sentTotal = sent;
                if (read > skip && read < records && perTask.size() == tasks) {
                    Sample s = new Sample(now, read, perTask, workerCpu, brokerCpu);
                    if (first == null) {
                        first = s;
                    }
                    last = s;
                } else if (read >= records && perTask.size() == tasks) {
                    done = new Sample(now, read, perTask, workerCpu, brokerCpu);
                }
            }
            long committed = committed(name);
            if (committed > 0 && offsetsFirstNanos == 0) {
                offsetsFirstNanos = System.nanoTime();
                offsetsFirst = committed;
            }
            if (committed >= records && offsetsDoneNanos == 0) {
                offsetsDoneNanos = System.nanoTime();
            }
        }
        double commitSeconds = Double.NaN;
        if (table != null) {
            commitSeconds = awaitCommitted(name, table, records, done != null ? done.nanos : System.nanoTime());
        }
        // The send counter may lag the read counter by one batch: read both once more. Into Iceberg the tasks read
        // again what a rebalance took from them uncommitted, so the read counter first reaches the topic's size before
        // they have read it all; once the table holds every row, the counters hold every read.
        Map<String, Map<String, Double>> end = readMetrics(metrics, attributes);
        if (end.size() == tasks) {
            sentTotal = 0;
            long read = 0;
            for (Map<String, Double> values : end.values()) {
                sentTotal += values.get("sink-record-send-total").longValue();
                read += values.get("sink-record-read-total").longValue();
            }
            readTotal = Math.max(readTotal, read);
        }
        worker.rest().expect("DELETE", "connectors/" + ConnectRest.segment(name), null);
        Waits.until(() -> rest.status(name) == null && readMetrics(metrics, attributes).isEmpty(), Duration.ofSeconds(60),
                200, () -> name + " was not deleted");
        // Too few records for two samples inside the pass: the whole pass, start-up included, marked not steady.
        boolean steady = first != null && last != first;
        if (!steady) {
            first = created;
            last = done;
        }
        double seconds = (last.nanos - first.nanos) / 1e9;
        double delta = last.read - first.read;
        List<Double> taskRates = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            taskRates.add((last.perTask.get(t) - first.perTask.get(t)) / seconds);
        }
        double offsetSeconds = (offsetsDoneNanos - offsetsFirstNanos) / 1e9;
        double offsetRate = offsetSeconds > 0 ? (records - offsetsFirst) / offsetSeconds : Double.NaN;
        return new Measurement(sink, format, chain, round, delta / seconds, taskRates, offsetRate,
                (last.workerCpu - first.workerCpu) / delta, (last.brokerCpu - first.brokerCpu) / delta, readTotal,
                sentTotal, seconds, steady, table, commitSeconds, null);
    }

    /**
     * Waits until the Iceberg table's last commit holds {@code records} rows (the connector is deleted only then: a
     * coordinator deleted before its last commit would lose rows); returns the seconds since the tasks had read the
     * last record. The sink's committed offsets cannot tell: its tasks commit them when they hand their files to the
     * coordinator, before the coordinator commits the table.
     */
    private double awaitCommitted(String name, String table, long records, long readDoneNanos) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMillis(3 * commitIntervalMs).plusSeconds(180).toNanos();
        long committed;
        while ((committed = iceberg.committedRecords(table)) < records) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": " + table + " holds " + committed + " of " + records
                        + " rows well after the tasks read them all; status " + worker.rest().status(name));
            }
            failIfFailed(worker.rest(), name);
            Thread.sleep(200);
        }
        if (committed > records) {
            throw new IllegalStateException(table + " holds " + committed + " rows of " + records + " records");
        }
        return (System.nanoTime() - readDoneNanos) / 1e9;
    }

    private Map<String, Map<String, Double>> readMetrics(String pattern, List<String> attributes) throws Exception {
        return readMetrics(worker, pattern, attributes);
    }

    /** The worker's MBeans matching {@code pattern}, by name; empty when one went away while being read. */
    static Map<String, Map<String, Double>> readMetrics(ForkedConnectWorker worker, String pattern,
            List<String> attributes) throws Exception {
        try {
            return worker.metrics(pattern, attributes);
        } catch (javax.management.InstanceNotFoundException e) {
            // A task's MBean went away between the query and the read: this sample counts nothing.
            return Map.of();
        }
    }

    private long committed(String connector) throws Exception {
        Map<?, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("connect-" + connector)
                .partitionsToOffsetAndMetadata().get();
        long sum = 0;
        for (OffsetAndMetadata o : offsets.values()) {
            if (o != null) {
                sum += o.offset();
            }
        }
        return sum;
    }

    static void failIfFailed(ConnectRest rest, String name) throws Exception {
        JsonNode status = rest.status(name);
        if (status == null) {
            return;
        }
        for (JsonNode task : status.path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                throw new IllegalStateException(name + " task " + task.path("id").asText() + " failed: "
                        + task.path("trace").asText());
            }
        }
    }
}
