package dev.truthline.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.truthline.demo.PipelineFiles.Connector;

/**
 * Waiting for the sinks to be through after the workload: every sink's committed offsets at the end of its
 * topics (for the Iceberg sinks: committed to the table), or — since a sink commits no offset past records its
 * transforms dropped until it writes a later one — nothing in the stores and the SMT counters has changed for
 * 20 s, and (after a kill) the restarted worker or Kafka node has been back for 45 s.
 */
final class Settling {

    private final PipelineRuntime runtime;
    private final Console console;

    Settling(PipelineRuntime runtime, Console console) {
        this.runtime = runtime;
        this.console = console;
    }

    /** Returns once the sinks are through, or after the settle timeout (a note in the report then). */
    void await(WorkloadDriver driver) throws Exception {
        DemoSettings settings = runtime.settings();
        console.step("sinks catching up");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.settleTimeoutSeconds);
        long nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.progressSeconds);
        List<Long> last = List.of();
        long unchangedSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            runtime.restartFailedTasks();
            Map<String, Long> lags = sinkLag();
            long lag = lags.values().stream().mapToLong(Long::longValue).sum();
            List<Long> now = storeCounts();
            if (!now.equals(last)) {
                unchangedSince = System.nanoTime();
                last = now;
            }
            long unchanged = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - unchangedSince);
            // After a kill (worker or Kafka node) the sinks recover (group rebalances, Iceberg commit recovery) before
            // they move again: a quiet spell counts once the restarted component has been back for 45 s. With lag
            // left, the spell must be longer: under load an Iceberg sink restarted by a worker kill was seen to read
            // again yet commit nothing for 35 s (the audit then found its events unexplained); a lag metric that
            // stays behind after the sinks are through still ends the wait, a minute later.
            boolean quiet = lag == 0 ? unchanged >= 20 && driver.secondsSinceRecovery() >= 45 || unchanged >= 45
                    : unchanged >= 60 && driver.secondsSinceRecovery() >= 45;
            if ((lag == 0 && unchanged >= 3) || quiet) {
                console.done(lag == 0 ? "no lag" : "nothing changed for " + unchanged + " s");
                return;
            }
            if (System.nanoTime() >= nextProgress) {
                driver.progress();
                console.printf("        sink lag %s%n", lags);
                nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.progressSeconds);
            }
            Thread.sleep(1000);
        }
        console.note("the sinks had not caught up after " + settings.settleTimeoutSeconds + " s (lag " + sinkLag() + ")");
        console.done("timed out");
    }

    /** What moves while the sinks work: table rows, topic sizes, and the Deduplicate SMTs' record counters. */
    private List<Long> storeCounts() {
        PipelineFiles files = runtime.files();
        Map<String, String> env = runtime.env();
        Topics topics = runtime.topics();
        List<Long> counts = new ArrayList<>();
        for (Connector c : files.connectors()) {
            if (c.connectorClass().equals(PipelineFiles.ICEBERG_SINK)) {
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
        for (Connector c : runtime.files().connectors()) {
            if (c.connectorClass().equals(PipelineFiles.POSTGRES_SOURCE)) {
                continue;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("connect-" + c.name())
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
