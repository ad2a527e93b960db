package dev.truthline.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import javax.management.JMException;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.truthline.connect.harness.ForkedConnectWorker;
import dev.truthline.demo.PipelineFiles.Connector;

/**
 * Waiting for the sinks to be through after the workload. Exact where the demo can read its worker (JMX) and the
 * groups' offsets: a sink is through once its consumers' position has reached the end of its topics and it has since
 * committed what it read ({@link SinkThrough}: the JDBC sinks' tasks completed an offset commit, the Iceberg sinks'
 * coordinator completed three table commits). Where a signal cannot be read (the user's own Connect cluster, no JMX),
 * the former guess: every sink's committed offsets at the end of its topics, or — since a sink commits no offset past
 * records its transforms dropped until it writes a later one — nothing in the stores and the SMT counters has changed
 * for 20 s (60 s with lag left), and (after a kill) the restarted worker or Kafka node has been back for 45 s.
 */
final class Settling {

    /** Iceberg: table commits after the position reached the end (see {@link SinkThrough}). */
    static final int ICEBERG_COMMITS = 3;

    private final PipelineRuntime runtime;
    private final Console console;
    private final Map<String, SinkThrough> exact = new TreeMap<>();
    /** Why the last round had no exact signal (for the progress line). */
    private String unread = "";

    Settling(PipelineRuntime runtime, Console console) {
        this.runtime = runtime;
        this.console = console;
        for (Connector c : runtime.files().sinks()) {
            exact.put(c.name(), new SinkThrough(isIceberg(c) ? ICEBERG_COMMITS : 1));
        }
    }

    /** Returns once the sinks are through, or after the settle timeout (a note in the report then). */
    void await(WorkloadDriver driver) throws Exception {
        DemoSettings settings = runtime.settings();
        console.step("sinks catching up");
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(settings.settleTimeoutSeconds);
        long nextProgress = started + TimeUnit.SECONDS.toNanos(settings.progressSeconds);
        List<Long> last = List.of();
        long unchangedSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            runtime.restartFailedTasks();
            Map<String, Boolean> through = throughNow();
            if (through != null && !through.containsValue(false)) {
                console.done(String.format("every sink read to the end and committed, in %.1f s",
                        (System.nanoTime() - started) / 1e9));
                return;
            }
            Map<String, Long> lags = null;
            if (through == null) {
                lags = sinkLag();
                long lag = lags.values().stream().mapToLong(Long::longValue).sum();
                // A signal could not be read this round: the former guess decides.
                List<Long> now = storeCounts();
                if (!now.equals(last)) {
                    unchangedSince = System.nanoTime();
                    last = now;
                }
                long unchanged = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - unchangedSince);
                // After a kill (worker or Kafka node) the sinks recover (group rebalances, Iceberg commit recovery)
                // before they move again: a quiet spell counts once the restarted component has been back for 45 s.
                // With lag left, the spell must be longer: under load an Iceberg sink restarted by a worker kill was
                // seen to read again yet commit nothing for 35 s.
                boolean quiet = lag == 0 ? unchanged >= 20 && driver.secondsSinceRecovery() >= 45 || unchanged >= 45
                        : unchanged >= 60 && driver.secondsSinceRecovery() >= 45;
                if ((lag == 0 && unchanged >= 3) || quiet) {
                    console.done(lag == 0 ? "no lag" : "nothing changed for " + unchanged + " s");
                    return;
                }
            } else {
                unchangedSince = System.nanoTime();
                last = List.of();
            }
            if (System.nanoTime() >= nextProgress) {
                driver.progress();
                console.printf("        sink lag %s%s%n", lags == null ? sinkLag() : lags, through == null
                        ? " (no exact signal, " + unread + ": waiting for a quiet spell)" : ", through " + through);
                nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.progressSeconds);
            }
            Thread.sleep(500);
        }
        console.note("the sinks had not caught up after " + settings.settleTimeoutSeconds + " s (lag " + sinkLag() + ")");
        console.done("timed out");
    }

    /** Each sink connector: through or not; null when the signal of one cannot be read this round. */
    private Map<String, Boolean> throughNow() {
        Map<String, Boolean> through = new TreeMap<>();
        for (Connector c : runtime.files().sinks()) {
            SinkThrough.Reading reading;
            try {
                reading = read(c);
            } catch (Exception e) {
                // A broker or worker away (a kill), a task's MBean gone between query and read: no reading this round.
                unread = c.name() + ": " + e;
                return null;
            }
            if (reading == null) {
                unread = c.name() + (runtime.worker() == null ? ": not the demo's worker (no JMX)"
                        : ": its coordinator has committed nothing yet");
                return null;
            }
            through.put(c.name(), exact.get(c.name()).through(reading));
        }
        return through;
    }

    /**
     * What can be read of a sink now: its topics' ends, its consumers' positions (JMX {@code records-lead} of each
     * partition, or the group's committed offset), and its commit markers. Null without the demo's own worker, or
     * when an Iceberg sink's coordinator has committed nothing yet (its group named otherwise than expected?).
     */
    private SinkThrough.Reading read(Connector c) throws Exception {
        ForkedConnectWorker worker = runtime.worker();
        if (worker == null) {
            return null;
        }
        Admin admin = runtime.topics().admin();
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new LinkedHashMap<>();
        Map<TopicPartition, Double> leads = new HashMap<>();
        for (String topic : c.list("topics")) {
            for (var p : admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()) {
                latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
            }
            Map<String, Map<String, Double>> fetched;
            try {
                fetched = worker.metrics("kafka.consumer:type=consumer-fetch-manager-metrics,client-id="
                        + "connector-consumer-" + c.name() + "-*,topic=" + topic + ",partition=*", List.of("records-lead"));
            } catch (JMException e) {
                // A restarted task's consumer registers a partition's bean before its lead: no lead known this round,
                // the committed offsets stand for the position.
                fetched = Map.of();
            }
            fetched.forEach((name, values) -> {
                TopicPartition tp = new TopicPartition(topic, Integer.parseInt(property(name, "partition")));
                // Two tasks reporting a partition (a rebalance under way): the one behind counts.
                leads.merge(tp, values.get("records-lead"), Math::min);
            });
        }
        Map<TopicPartition, Long> end = offsets(admin.listOffsets(latest).all().get());
        Map<TopicPartition, Long> start = offsets(admin.listOffsets(earliest).all().get());
        Map<TopicPartition, Long> committed = committed(admin, c.consumerGroup());
        Map<TopicPartition, Long> position = new HashMap<>();
        for (TopicPartition tp : end.keySet()) {
            Long p = SinkThrough.position(start.get(tp), end.get(tp), leads.get(tp), committed.get(tp));
            if (p != null) {
                position.put(tp, p);
            }
        }
        Map<String, Long> markers = new TreeMap<>();
        if (isIceberg(c)) {
            String group = PipelineFiles.resolve(c.config().getOrDefault("iceberg.connect.group-id",
                    c.consumerGroup()), runtime.env());
            Map<TopicPartition, Long> coordinator = committed(admin, group + "-coord");
            if (coordinator.isEmpty()) {
                return null;
            }
            markers.put("coordinator", coordinator.values().stream().mapToLong(Long::longValue).sum());
        } else {
            // A task with no partitions commits nothing: only the tasks that read count.
            worker.metrics("kafka.connect:type=sink-task-metrics,connector=" + c.name() + ",task=*",
                    List.of("offset-commit-completion-total", "partition-count")).forEach((name, values) -> {
                        if (values.get("partition-count") > 0) {
                            markers.put(property(name, "task"), values.get("offset-commit-completion-total").longValue());
                        }
                    });
        }
        return new SinkThrough.Reading(end, position, markers);
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((tp, o) -> {
            if (o != null) {
                out.put(tp, o.offset());
            }
        });
        return out;
    }

    private static Map<TopicPartition, Long> offsets(Map<TopicPartition, ListOffsetsResultInfo> infos) {
        Map<TopicPartition, Long> out = new HashMap<>();
        infos.forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static String property(String objectName, String key) {
        try {
            return new ObjectName(objectName).getKeyProperty(key);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(objectName, e);
        }
    }

    private static boolean isIceberg(Connector c) {
        return c.connectorClass().equals(PipelineFiles.ICEBERG_SINK);
    }

    /** What moves while the sinks work: table rows, topic sizes, and the Deduplicate SMTs' record counters. */
    private List<Long> storeCounts() {
        PipelineFiles files = runtime.files();
        Map<String, String> env = runtime.env();
        Topics topics = runtime.topics();
        List<Long> counts = new ArrayList<>();
        for (Connector c : files.connectors()) {
            if (isIceberg(c)) {
                counts.add(Counts.orMinusOne(() -> runtime.icebergRowsNow(c)));
            }
            if (!c.transformsOfType(PipelineFiles.DEDUPLICATE).isEmpty()) {
                counts.add(Counts.orMinusOne(() -> runtime.dedupeCounter(c, List.of(PipelineRuntime.DEDUPE_RECORDS))));
            }
        }
        counts.add(Counts.orMinusOne(runtime::warehouseRows));
        counts.add(Counts.orMinusOne(() -> topics.size(files.changeTopic())));
        counts.add(Counts.orMinusOne(() -> topics.size(files.quarantineTopic(env))));
        files.silverDeadLetterTopic(env).ifPresent(t -> counts.add(Counts.orMinusOne(() -> topics.size(t))));
        return counts;
    }

    /** Records not yet committed by each sink connector's consumer group, over all its topics. */
    private Map<String, Long> sinkLag() throws Exception {
        Admin admin = runtime.topics().admin();
        Map<String, Long> lags = new TreeMap<>();
        for (Connector c : runtime.files().sinks()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(c.consumerGroup())
                    .partitionsToOffsetAndMetadata().get();
            for (String topic : c.list("topics")) {
                Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
                for (var p : admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()) {
                    request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                }
                Map<TopicPartition, ListOffsetsResultInfo> end = admin.listOffsets(request).all().get();
                for (var e : end.entrySet()) {
                    OffsetAndMetadata at = committed.get(e.getKey());
                    lags.merge(c.name(), e.getValue().offset() - (at == null ? 0 : at.offset()), Long::sum);
                }
            }
        }
        return lags;
    }
}
