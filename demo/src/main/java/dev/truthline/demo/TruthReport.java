package dev.truthline.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What the pipeline did, every number read from a store: the change topic, the quarantine and
 * dead-letter topics, the Iceberg tables, the warehouse table, the SMTs' metrics. The accounting
 * equation: {@code events captured = landed in silver + quarantined + dead-lettered + dropped as duplicate}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TruthReport(Run run, Captured captured, Landed landed, long quarantined, long deadLettered, Dropped dropped,
        Equation equation, Latency latency, Throughput throughput, TimeTravel timeTravel, List<String> notes) {

    /**
     * What was asked for and what the workload wrote (the only numbers not read from a store); {@code brokers}: nodes
     * of the demo's Kafka cluster (1 on the user's own), {@code brokerKilled}: the node killed hard, if one was.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Run(String connectors, int changesRequested, long changesWritten, Map<String, Integer> writtenByKind,
            double invalidShare, double duplicateShare, int rewinds, boolean workerKilled, int brokers,
            BrokerKill brokerKilled, long seed, int rate, double workloadSeconds, double pipelineSeconds) {
    }

    /**
     * A Kafka node killed hard (SIGKILL) and started again: what it was ({@code role}: the partitions it led, the
     * active controller), the changes written and captured when it died ({@code midStream}: the workload still
     * writing or capture behind it), seconds from the kill until the cluster had fenced it and until it was back in
     * the ISR of all {@code partitions}.
     */
    public record BrokerKill(int node, String role, long changesWritten, long changesCaptured, boolean midStream,
            double fencedSeconds, double inSyncSeconds, int partitions) {
    }

    /**
     * Change events captured: records in the change topic (tombstones aside) plus records the source routed to
     * the quarantine topic; {@code reEmitted}: records in either whose change (key, op, LSN, sequence, txId) was
     * already in the topic at an earlier offset.
     */
    public record Captured(long total, long changeTopic, long quarantineTopic, long tombstones, long reEmitted) {
    }

    /**
     * Rows per store; null where the pipeline has no such store. {@code silverCopies}: silver rows repeating a change
     * already in silver (same LSN, op and key); null when silver does not carry those fields.
     */
    public record Landed(Long bronze, long silver, Long silverCopies, Long quarantineTable, Long warehouse,
            long sourceTableRows) {
    }

    /**
     * Duplicates the silver sink dropped: {@code metrics} from the Deduplicate SMT over JMX (counting since the
     * worker last started), {@code fromTopic} the re-emitted copies in the change topic that did not go to the
     * dead-letter queue; {@code counted} the one the equation uses.
     */
    public record Dropped(Long metrics, long fromTopic, long counted, String source) {
    }

    public record Equation(long captured, long silver, long quarantined, long deadLettered, long dropped, long difference,
            boolean balanced) {

        static Equation of(long captured, long silver, long quarantined, long deadLettered, long dropped) {
            long difference = captured - (silver + quarantined + deadLettered + dropped);
            return new Equation(captured, silver, quarantined, deadLettered, dropped, difference, difference == 0);
        }
    }

    /** PostgreSQL commit ({@code source.ts_ms}) to the commit of the Iceberg snapshot that first holds the row. */
    public record Latency(String table, long rows, long p50Ms, long p99Ms, long maxMs) {

        static Latency of(String table, long[] delaysMs) {
            if (delaysMs.length == 0) {
                return new Latency(table, 0, -1, -1, -1);
            }
            long[] sorted = delaysMs.clone();
            Arrays.sort(sorted);
            return new Latency(table, sorted.length, percentile(sorted, 50), percentile(sorted, 99),
                    sorted[sorted.length - 1]);
        }

        /** Nearest-rank percentile of sorted values. */
        static long percentile(long[] sorted, double p) {
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }
    }

    /**
     * Change events per second: captured over the time from the first PostgreSQL commit to the last silver
     * snapshot; and the workload's own write rate.
     */
    public record Throughput(double eventsPerSecond, double secondsFirstCommitToLastSnapshot, double writesPerSecond) {

        static Throughput of(long events, long firstCommitMs, long lastSnapshotMs, long written, double writeSeconds) {
            double seconds = Math.max(0.001, (lastSnapshotMs - firstCommitMs) / 1000.0);
            return new Throughput(round(events / seconds), round(seconds), round(written / Math.max(0.001, writeSeconds)));
        }
    }

    /** The silver table as of an earlier snapshot, read with that snapshot id. */
    public record TimeTravel(long snapshotId, long committedAtMs, long rowsThen, long rowsNow, int snapshotNumber, int snapshots) {
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static ObjectMapper json() {
        return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    void writeJson(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        json().writeValue(file.toFile(), this);
    }

    void print(PrintWriter out) {
        out.println();
        out.println("Truth report (every number read from the stores)");
        out.printf("  connectors: %s%n", run.connectors());
        out.printf("  workload: %,d changes written %s in %.1f s; invalid share %.3f, duplicate share %.3f, "
                        + "%d rewind(s), worker killed: %s%n", run.changesWritten(), run.writtenByKind(),
                run.workloadSeconds(), run.invalidShare(), run.duplicateShare(), run.rewinds(),
                run.workerKilled() ? "yes" : "no");
        if (run.brokers() > 1 || run.brokerKilled() != null) {
            BrokerKill k = run.brokerKilled();
            out.printf("  Kafka: %d nodes; node killed: %s%n", run.brokers(), k == null ? "none" : String.format(
                    "%d (%s) with %,d changes written, back in the ISR %.1f s later", k.node(), k.role(),
                    k.changesWritten(), k.inSyncSeconds()));
        }
        out.println();
        line(out, "events captured", captured.total(), String.format("%,d in the change topic + %,d quarantined at the source",
                captured.changeTopic(), captured.quarantineTopic()));
        line(out, "  of them re-emitted copies", captured.reEmitted(), "same change at a later offset");
        if (captured.tombstones() > 0) {
            line(out, "  tombstones (not change events)", captured.tombstones(), null);
        }
        if (landed.bronze() != null) {
            line(out, "rows in bronze (Iceberg)", landed.bronze(), null);
        }
        line(out, "rows in silver (Iceberg)", landed.silver(), landed.silverCopies() == null ? null
                : String.format("%,d of them copies of a change already in silver", landed.silverCopies()));
        if (landed.quarantineTable() != null) {
            line(out, "rows in the quarantine table (Iceberg)", landed.quarantineTable(), null);
        }
        if (landed.warehouse() != null) {
            line(out, "rows in the warehouse (JDBC, current state)", landed.warehouse(),
                    String.format("source table holds %,d", landed.sourceTableRows()));
        }
        line(out, "quarantined (quarantine topic)", quarantined, null);
        line(out, "dead-lettered (DLQ topic, silver)", deadLettered, "distinct source positions");
        line(out, "dropped as duplicate", dropped.counted(), String.format("%s; Deduplicate metrics (JMX): %s, from the topic: %,d",
                dropped.source(), dropped.metrics() == null ? "n/a" : String.format("%,d", dropped.metrics()),
                dropped.fromTopic()));
        out.println();
        out.printf("  captured = silver + quarantined + dead-lettered + dropped: %,d = %,d + %,d + %,d + %,d  %s%n",
                equation.captured(), equation.silver(), equation.quarantined(), equation.deadLettered(),
                equation.dropped(), equation.balanced() ? "BALANCED" : "OFF BY " + equation.difference());
        if (latency != null && latency.rows() > 0) {
            out.printf("  latency, PostgreSQL commit -> Iceberg snapshot (%s, %,d rows): p50 %,d ms, p99 %,d ms, max %,d ms%n",
                    latency.table(), latency.rows(), latency.p50Ms(), latency.p99Ms(), latency.maxMs());
        }
        if (throughput != null) {
            out.printf("  throughput: %,.0f events/s captured to silver (%.1f s from the first commit to the last "
                    + "snapshot); workload wrote %,.0f changes/s%n", throughput.eventsPerSecond(),
                    throughput.secondsFirstCommitToLastSnapshot(), throughput.writesPerSecond());
        }
        if (timeTravel != null) {
            out.printf("  time travel: silver as of snapshot %d (%s, %d of %d snapshots): %,d rows; now %,d rows%n",
                    timeTravel.snapshotId(), java.time.Instant.ofEpochMilli(timeTravel.committedAtMs()),
                    timeTravel.snapshotNumber(), timeTravel.snapshots(), timeTravel.rowsThen(), timeTravel.rowsNow());
        }
        for (String note : notes) {
            out.println("  note: " + note);
        }
        out.flush();
    }

    private static void line(PrintWriter out, String label, long value, String detail) {
        out.printf("  %-44s %,10d%s%n", label, value, detail == null ? "" : "   (" + detail + ")");
    }
}
