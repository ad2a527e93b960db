package dev.truthline.demo;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import dev.truthline.connect.harness.ConnectRest;
import dev.truthline.connect.harness.Waits;
import dev.truthline.demo.PipelineFiles.Connector;
import dev.truthline.demo.Workload.Change;

/**
 * Drives the workload through the running pipeline: writes the planned changes to PostgreSQL while following
 * capture, makes Debezium emit changes again by rewinding the source's offsets (KIP-875), kills the worker or a
 * Kafka node when asked, and returns once every change written has been captured and a killed node is back in sync.
 */
final class WorkloadDriver implements AutoCloseable {

    private final PipelineRuntime runtime;
    private final DemoSettings settings;
    private final Console console;
    private final WorkloadWriter writer = new WorkloadWriter();
    private List<Change> plan = List.of();
    private CaptureTracker tracker;
    private int rewindsDone;
    private int plannedRewinds;
    private boolean workerKilled;
    private boolean killedMidStream;
    private long judgedBeforeKill = -1;
    /** The killed Kafka node's way back (fenced, restarted, in sync), running beside the workload; null before. */
    private CompletableFuture<TruthReport.BrokerKill> brokerBack;
    private volatile TruthReport.BrokerKill brokerKilled;
    /** When the last killed component was back (a restarted worker RUNNING, a Kafka node in the ISR); 0: none. */
    private volatile long recoveredAt;

    WorkloadDriver(PipelineRuntime runtime, Console console) {
        this.runtime = runtime;
        this.settings = runtime.settings();
        this.console = console;
    }

    /** Writes the workload, rewinding and killing as asked; returns once every change written is captured. */
    void run() throws Exception {
        plan = Workload.plan(settings.changes, settings.invalidShare, settings.seed);
        Workload.Summary summary = Workload.summarize(plan);
        console.printf("%nWorkload: %,d changes (%,d inserts, %,d updates, %,d deletes; %,d break the source contract, "
                        + "%,d silver's rules), %s%n", summary.total(), summary.inserts(), summary.updates(),
                summary.deletes(), summary.faulty(Workload.Stage.SOURCE), summary.faulty(Workload.Stage.SILVER),
                settings.rate == 0 ? "as fast as PostgreSQL takes them" : settings.rate + " changes/s");
        PipelineFiles files = runtime.files();
        tracker = new CaptureTracker(runtime.topics(), List.of(files.changeTopic(), files.quarantineTopic(runtime.env())),
                CaptureTracker.decoderFor(files.silver().config()));
        SourceOffsets offsets = new SourceOffsets(runtime.rest(), files.source().name());
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try (Connection c = runtime.database().source()) {
                writer.write(c, plan, settings.rate, settings.batch);
            } catch (Exception e) {
                throw new IllegalStateException("The workload failed: " + e.getMessage(), e);
            }
        });
        long duplicatesWanted = Math.round(settings.changes * settings.duplicateShare);
        int rewinds = duplicatesWanted == 0 ? 0 : Math.max(1, settings.rewinds);
        plannedRewinds = rewinds;
        long nextProgress = System.nanoTime();
        while (!writing.isDone()) {
            offsets.poll();
            double progress = settings.changes == 0 ? 1 : writer.written() / (double) settings.changes;
            // A quarter in, so the node is down while the rewinds and the worker kill happen; before a rewind, which
            // blocks this loop for seconds, can let the workload end first.
            if (settings.killBroker && brokerBack == null && progress >= 0.25) {
                killBroker();
            }
            if (rewindsDone < rewinds && progress >= (rewindsDone + 1.0) / (rewinds + 1)) {
                rewind(offsets, duplicatesWanted / rewinds, false);
            }
            if (settings.killWorker && !killedMidStream && progress >= 0.5) {
                killAndRestartWorker();
            }
            if (System.nanoTime() >= nextProgress) {
                runtime.restartFailedTasks();
                progress();
                nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.progressSeconds);
            }
            Thread.sleep(200);
        }
        writing.join();
        // A rewind that blocked the loop past half the workload (a loaded machine) moves the kills here: capture is
        // still behind the workload then, so they still land mid-stream for the pipeline.
        if (settings.killBroker && brokerBack == null) {
            killBroker();
        }
        if (settings.killWorker && !killedMidStream) {
            killAndRestartWorker();
        }
        console.printf("Workload written: %,d changes in %.1f s (%,.0f changes/s)%n", writer.written(), writer.seconds(),
                writer.written() / Math.max(0.001, writer.seconds()));
        // Rewinds the workload outran (a small run) happen now.
        if (rewindsDone < rewinds) {
            nextProgress = awaitCaptured(nextProgress, offsets);
            // The source commits its offsets once a second: the rewind point is chosen once a commit covers every
            // change captured (or after 5 s, from the commits seen).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            do {
                Thread.sleep(100);
                offsets.poll();
            } while (!offsets.covers(tracker::capturedAfter) && System.nanoTime() < deadline);
            long remaining = duplicatesWanted / rewinds * (rewinds - rewindsDone);
            rewind(offsets, remaining, true);
        }
        awaitCaptured(nextProgress, offsets);
        awaitBrokerBack();
    }

    /**
     * {@code --kill-broker}: SIGKILL to a Kafka node ({@link PipelineRuntime#killBroker}); the workload goes on while,
     * beside it, the cluster fences the node and the node is started again and catches up.
     */
    private void killBroker() throws Exception {
        long written = writer.written();
        long captured = tracker.distinctChanges();
        // Mid-stream: the workload is still writing, or capture is still behind it.
        boolean midStream = written < settings.changes || captured < written;
        long killedAt = System.nanoTime();
        PipelineRuntime.KilledBroker killed = runtime.killBroker();
        console.printf("  killing Kafka node %d (SIGKILL), %s, with %,d changes written%n", killed.node(),
                killed.role(), written);
        double[] fenced = {-1};
        brokerBack = CompletableFuture.supplyAsync(() -> {
            try {
                int partitions = runtime.restartBroker(killed, () -> fenced[0] = secondsSince(killedAt));
                TruthReport.BrokerKill kill = new TruthReport.BrokerKill(killed.node(), killed.role(), written, captured,
                        midStream, fenced[0], secondsSince(killedAt), partitions);
                String note = String.format("Kafka node %d (%s) killed hard (SIGKILL) %s, with %,d of %,d changes "
                        + "written and %,d captured; fenced by the cluster %.1f s later, started again on the same "
                        + "ports and log directory, back in the ISR of all %d partitions %.1f s after the kill",
                        kill.node(), kill.role(), midStream ? "mid-stream" : "after the pipeline had caught up",
                        written, settings.changes, captured, kill.fencedSeconds(), kill.partitions(),
                        kill.inSyncSeconds());
                console.note(note);
                console.printf("  %s%n", note);
                brokerKilled = kill;
                recoveredAt = System.nanoTime();
                return kill;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, task -> {
            Thread thread = new Thread(task, "truthline-kafka-node-restart");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** Nothing is judged before a killed Kafka node is back in the ISR of every partition. */
    private void awaitBrokerBack() throws Exception {
        if (brokerBack == null) {
            return;
        }
        try {
            brokerBack.get(settings.settleTimeoutSeconds + 300L, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
            throw cause instanceof Exception x ? x : new IllegalStateException(cause);
        }
    }

    private static double secondsSince(long nanos) {
        return TruthReport.round((System.nanoTime() - nanos) / 1e9);
    }

    /** Waits until every change written is in the topics; returns when the next progress line is due. */
    private long awaitCaptured(long nextProgress, SourceOffsets offsets) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.settleTimeoutSeconds);
        while (tracker.distinctChanges() < writer.written()) {
            if (tracker.failure() != null) {
                throw tracker.failure();
            }
            if (System.nanoTime() > deadline) {
                console.note(String.format("capture did not catch up within %d s: %,d of %,d changes in the topics",
                        settings.settleTimeoutSeconds, tracker.distinctChanges(), writer.written()));
                break;
            }
            offsets.poll();
            if (System.nanoTime() >= nextProgress) {
                progress();
                nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.progressSeconds);
            }
            Thread.sleep(250);
        }
        return nextProgress;
    }

    /**
     * Makes Debezium emit about the last {@code events} changes again: the source is stopped, its offsets set
     * back (KIP-875) to an offset it had committed before those changes, and resumed.
     */
    private void rewind(SourceOffsets offsets, long events, boolean last) throws Exception {
        Optional<SourceOffsets.Committed> point = offsets.before(events, tracker::capturedAfter);
        // Offsets are committed once a second: while the workload runs, wait for one that re-emits at most
        // three times the changes wanted.
        if (!last && (point.isEmpty() || tracker.capturedAfter(point.get().lsn()) > 3 * events)) {
            return;
        }
        rewindsDone++;
        if (point.isEmpty()) {
            console.note("rewind " + rewindsDone + " skipped: no committed source offset before the last " + events
                    + " changes");
            return;
        }
        ConnectRest rest = runtime.rest();
        String source = runtime.files().source().name();
        rest.expect("PUT", "connectors/" + ConnectRest.segment(source) + "/stop", null);
        Waits.until(() -> {
            JsonNode status = rest.status(source);
            return status != null && status.path("connector").path("state").asText().equals("STOPPED");
        }, Duration.ofSeconds(60), 250, () -> source + " did not stop");
        // At the last rewind (the one after the workload, when the workload outran the rewinds), so a --kill-worker
        // kill at half the workload comes first, mid-stream.
        if (settings.killAfterRewind && judgedBeforeKill < 0 && (last || rewindsDone == plannedRewinds)) {
            killWithTheSourceStopped(source);
        }
        rest.expect("PATCH", "connectors/" + ConnectRest.segment(source) + "/offsets", point.get().body());
        rest.expect("PUT", "connectors/" + ConnectRest.segment(source) + "/resume", null);
        runtime.awaitRunning(source);
        console.printf("  rewind %d: %s stopped, offsets set back to LSN %d (committed %s, %,d changes captured since), "
                + "resumed%n", rewindsDone, source, point.get().lsn(), point.get().at(),
                tracker.capturedAfter(point.get().lsn()));
    }

    /**
     * {@code --kill-after-rewind}: with the source stopped (the change topic no longer grows), waits until silver's
     * consumers have read every record of the change topic and its Deduplicate has been still for 2 s, so the originals
     * of the copies the rewind will bring were judged by the task about to die; then SIGKILL and a new worker. The new
     * silver task starts with an empty window: it catches the copies only by rebuilding it from the log
     * (rebuild.bootstrap.servers).
     */
    private void killWithTheSourceStopped(String source) throws Exception {
        Connector silver = runtime.files().silver();
        String changeTopic = runtime.files().changeTopic();
        long[] last = {-2};
        long[] stillSince = {System.nanoTime()};
        Waits.until(() -> {
            long judged = Counts.orMinusOne(() -> runtime.dedupeCounter(silver, List.of(PipelineRuntime.DEDUPE_RECORDS)));
            if (judged != last[0]) {
                last[0] = judged;
                stillSince[0] = System.nanoTime();
                return false;
            }
            return runtime.sinkHasReadAll(silver, changeTopic)
                    && System.nanoTime() - stillSince[0] > TimeUnit.SECONDS.toNanos(2);
        }, Duration.ofSeconds(settings.settleTimeoutSeconds), 500,
                () -> "silver's consumers did not read the change topic to its end with the source stopped");
        judgedBeforeKill = last[0];
        workerKilled = true;
        console.printf("  killing the Connect worker (SIGKILL) right after rewind %d: %s stopped, silver's consumers "
                + "have read the change topic to its end (its Deduplicate judged %,d)%n", rewindsDone, source,
                judgedBeforeKill);
        runtime.killAndRestartWorker(Set.of(source));
        recoveredAt = System.nanoTime();
        console.printf("  Connect worker restarted; %s stays stopped until its offsets are set back%n", source);
    }

    /**
     * What silver's Deduplicate did after a {@code --kill-after-rewind}: the new task's rebuilds and the records
     * they read (its counters start at zero with the task); null when the worker was not killed after a rewind.
     */
    String rebuildAfterKill() throws Exception {
        if (!settings.killAfterRewind || judgedBeforeKill < 0) {
            return null;
        }
        Connector silver = runtime.files().silver();
        Long rebuilds = runtime.dedupeCounter(silver, List.of("rebuilds-total"));
        Long read = runtime.dedupeCounter(silver, List.of("rebuild-records-read-total"));
        return String.format("kill after rewind: silver's new task rebuilt its window %d time(s) from the log, reading "
                + "%,d records (the dead task had judged %,d)", rebuilds, read, judgedBeforeKill);
    }

    /**
     * What the connectors' Deduplicate did with the tombstones the rewinds re-emitted: those right behind a delete it
     * dropped as a copy, dropped with it (else the warehouse would delete a key created again since), per connector,
     * from JMX; the counters start again with a worker. Null without JMX or without a Deduplicate.
     */
    String staleTombstones() {
        List<String> parts = new ArrayList<>();
        long total = 0;
        try {
            for (Connector c : runtime.files().connectors()) {
                if (c.transformsOfType(PipelineFiles.DEDUPLICATE).isEmpty()) {
                    continue;
                }
                Long n = runtime.dedupeCounter(c, List.of("stale-tombstones-total"));
                if (n == null) {
                    return null;
                }
                parts.add(String.format("%s %,d", c.name(), n));
                total += n;
            }
        } catch (Exception noJmx) {
            return null;
        }
        return parts.isEmpty() ? null : String.format("tombstones dropped with their delete's copy (Deduplicate, "
                + "JMX%s): %,d (%s)", workerKilled ? ", since the worker's last start" : "", total,
                String.join(", ", parts));
    }

    /** SIGKILL to the worker mid-stream and a new worker JVM in its place. */
    void killAndRestartWorker() throws Exception {
        workerKilled = true;
        killedMidStream = true;
        console.printf("  killing the Connect worker (SIGKILL) with %,d changes written%n", writer.written());
        runtime.killAndRestartWorker();
        recoveredAt = System.nanoTime();
        console.printf("  Connect worker restarted; all connectors RUNNING again with %,d changes written%n",
                writer.written());
    }

    void progress() {
        PipelineFiles files = runtime.files();
        long silver = Counts.orMinusOne(() -> runtime.icebergRowsNow(files.silver()));
        long warehouse = files.warehouse().isPresent() ? Counts.orMinusOne(runtime::warehouseRows) : -1;
        console.printf("[%4ds] written %,d/%,d | captured %,d | silver %,d%s%n", console.seconds(), writer.written(),
                settings.changes, tracker == null ? 0 : tracker.records(), silver,
                warehouse < 0 ? "" : String.format(" | warehouse %,d", warehouse));
    }

    /** What the run did, for the report: the only figures not read from a store. */
    TruthReport.Run facts(String connectors, double pipelineSeconds) {
        Workload.Summary summary = Workload.summarize(plan.subList(0, (int) Math.min(plan.size(), writer.written())));
        Map<String, Integer> invalid = new LinkedHashMap<>();
        invalid.put("source", summary.faulty(Workload.Stage.SOURCE));
        invalid.put("silver", summary.faulty(Workload.Stage.SILVER));
        return new TruthReport.Run(connectors, settings.changes, writer.written(), summary.byKind(), invalid,
                settings.invalidShare, settings.duplicateShare, rewindsDone, workerKilled,
                settings.bootstrapServers == null ? settings.brokers : 1, brokerKilled, settings.seed, settings.rate,
                TruthReport.round(writer.seconds()), TruthReport.round(pipelineSeconds));
    }

    long written() {
        return writer.written();
    }

    /** The clear personal values the workload wrote (empty before it ran), with their kinds. */
    Map<String, String> planted() {
        return Workload.planted(plan);
    }

    double writeSeconds() {
        return writer.seconds();
    }

    /**
     * Seconds since the last killed component was back (a restarted worker with its connectors RUNNING, a Kafka node
     * in the ISR); {@link Long#MAX_VALUE} when nothing was killed.
     */
    long secondsSinceRecovery() {
        long at = recoveredAt;
        return at == 0 ? Long.MAX_VALUE : TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - at);
    }

    @Override
    public void close() throws InterruptedException {
        if (tracker != null) {
            tracker.close();
        }
    }
}
