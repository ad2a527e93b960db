package dev.truthline.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What the pipeline did: the audit's fates of every captured event ({@code truthline audit} of the run: every number
 * of the equation comes from it), checked against what the workload wrote and the Deduplicate SMT's own counter, with
 * the figures only the demo shows (bronze, the warehouse, throughput, time travel). The accounting equation:
 * {@code events captured = rows in silver + quarantined + dead-lettered + dropped as duplicate}, with nothing
 * unexplained.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TruthReport(Run run, Captured captured, Landed landed, long quarantined, long deadLettered, Dropped dropped,
        Equation equation, List<Check> checks, Latency latency, Throughput throughput, TimeTravel timeTravel,
        int auditExitCode, List<String> notes) {

    /**
     * Whether the run proved what it should: the equation balances with nothing unexplained, every check of the
     * workload against the audit holds, and the audit (with its current-state reconciliation) exits 0.
     */
    @JsonProperty("holds")
    public boolean holds() {
        return equation.balanced() && checks.stream().allMatch(Check::holds) && auditExitCode == 0;
    }

    /**
     * What was asked for and what the workload wrote (the only numbers not read from a store); {@code invalidWritten}:
     * changes written that break the contract, by where the pipeline catches them ({@code source}: quarantine,
     * {@code silver}: its DLQ); {@code brokers}: nodes of the demo's Kafka cluster (1 on the user's own),
     * {@code brokerKilled}: the node killed hard, if one was.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Run(String connectors, int changesRequested, long changesWritten, Map<String, Integer> writtenByKind,
            Map<String, Integer> invalidWritten, double invalidShare, double duplicateShare, int rewinds,
            boolean workerKilled, int brokers, BrokerKill brokerKilled, long seed, int rate, double workloadSeconds,
            double pipelineSeconds) {
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
     * Change events captured, as the audit read them: records in the change topic (tombstones aside) plus records the
     * source routed to the quarantine topic; {@code reEmitted}: records in either whose change (by
     * {@code ChangeIdentity}: key, op, LSN, sequence, txId) the audit counted at another position too.
     */
    public record Captured(long total, long changeTopic, long quarantineTopic, long tombstones, long reEmitted) {
    }

    /**
     * Rows per store; null where the pipeline has no such store. {@code silver} and {@code quarantineTable}: the rows
     * the audit read; {@code silverCopies}: landed events whose change landed at another position too (a copy silver
     * kept); {@code bronze}: from its current snapshot's summary; {@code warehouse}, {@code sourceTableRows}: counted
     * in PostgreSQL.
     */
    public record Landed(Long bronze, long silver, Long silverCopies, Long quarantineTable, Long warehouse,
            long sourceTableRows) {
    }

    /**
     * Duplicates the silver sink dropped: {@code counted}, the audit's (events whose change landed at another
     * position); {@code metrics}, the Deduplicate SMT's own count over JMX (duplicates and stale versions, since the
     * worker last started: comparable when {@code metricsCoverRun}, i.e. the worker never restarted).
     */
    public record Dropped(long counted, Long metrics, boolean metricsCoverRun) {
    }

    /**
     * {@code captured = silver + quarantined + dead-lettered + dropped}; {@code unexplained}: captured events the audit
     * gave no fate, {@code unexplainedRows}: silver rows naming no captured event or a position already landed.
     * Balanced when the difference is 0 and nothing is unexplained.
     */
    public record Equation(long captured, long silver, long quarantined, long deadLettered, long dropped,
            long unexplained, long unexplainedRows, long difference, boolean balanced) {

        static Equation of(long captured, long silver, long quarantined, long deadLettered, long dropped,
                long unexplained, long unexplainedRows) {
            long difference = captured - (silver + quarantined + deadLettered + dropped);
            return new Equation(captured, silver, quarantined, deadLettered, dropped, unexplained, unexplainedRows,
                    difference, difference == 0 && unexplained == 0 && unexplainedRows == 0);
        }
    }

    /** What the workload (or an SMT's own counter) says against what the audit found. */
    public record Check(String what, long expected, long found, boolean holds) {

        static Check of(String what, long expected, long found) {
            return new Check(what, expected, found, expected == found);
        }
    }

    /**
     * The audit's latency of landed events: PostgreSQL commit ({@code source.ts_ms}) to the commit of the Iceberg
     * snapshot that added the silver data file holding the row; {@code rows}: landed events measured.
     */
    public record Latency(String table, long rows, long p50Ms, long p95Ms, long maxMs) {
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
        out.println("Truth report (the audit's fates of every captured event, checked against what the workload wrote)");
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
        line(out, "  of them re-emitted copies", captured.reEmitted(), "the same change at another position");
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
        line(out, "quarantined (rows of the quarantine table)", quarantined, null);
        line(out, "dead-lettered (named by a DLQ record)", deadLettered, null);
        line(out, "dropped as duplicate", dropped.counted(), String.format("the same change landed at another position; "
                + "Deduplicate metrics (JMX): %s", dropped.metrics() == null ? "n/a" : String.format("%,d%s",
                dropped.metrics(), dropped.metricsCoverRun() ? "" : ", counted since the worker restarted")));
        out.println();
        out.printf("  captured = silver + quarantined + dead-lettered + dropped: %,d = %,d + %,d + %,d + %,d  %s%n",
                equation.captured(), equation.silver(), equation.quarantined(), equation.deadLettered(),
                equation.dropped(), equation.balanced() ? "BALANCED" : equation.difference() != 0
                        ? "OFF BY " + equation.difference() : "NOT BALANCED");
        if (equation.unexplained() > 0 || equation.unexplainedRows() > 0) {
            out.printf("  UNEXPLAINED: %,d captured events with no fate, %,d silver rows naming no captured event or "
                    + "landed twice (listed in audit-report.json)%n", equation.unexplained(), equation.unexplainedRows());
        }
        for (Check c : checks) {
            out.printf("  %-60s %,10d = %,d  %s%n", c.what(), c.expected(), c.found(), c.holds() ? "ok" : "DIFFERS");
        }
        if (latency != null && latency.rows() > 0) {
            out.printf("  latency, PostgreSQL commit -> Iceberg snapshot (%s, %,d rows): p50 %,d ms, p95 %,d ms, max %,d ms%n",
                    latency.table(), latency.rows(), latency.p50Ms(), latency.p95Ms(), latency.maxMs());
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
        out.printf("  %s%n", holds() ? "Every captured event is in exactly one place, as the workload intended."
                : "NOT PROVEN: see the lines above and the notes (audit exit code " + auditExitCode + ").");
        out.flush();
    }

    private static void line(PrintWriter out, String label, long value, String detail) {
        out.printf("  %-44s %,10d%s%n", label, value, detail == null ? "" : "   (" + detail + ")");
    }
}
