package dev.truthline.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.iceberg.Table;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.truthline.demo.PipelineFiles.Connector;
import dev.truthline.demo.TruthReport.Captured;
import dev.truthline.demo.TruthReport.Dropped;
import dev.truthline.demo.TruthReport.Equation;
import dev.truthline.demo.TruthReport.Landed;
import dev.truthline.demo.TruthReport.Latency;
import dev.truthline.demo.TruthReport.Run;
import dev.truthline.demo.TruthReport.Throughput;
import dev.truthline.demo.TruthReport.TimeTravel;
import dev.truthline.demo.Workload.Change;

/**
 * The reference pipeline on one machine, and the run that proves it: PostgreSQL, a KRaft broker and a
 * distributed Connect worker (or the user's own), the topics and connectors from a folder of pipeline
 * files, a workload through PostgreSQL with duplicates produced for real (the source rewound through
 * the REST offsets API) and optionally a worker killed hard, and the truth report read from the stores.
 *
 * <p>Usable step by step ({@link #start}, {@link #runWorkload}, {@link #settle}, {@link #report}) by
 * an integration test, or all at once by {@link #run}.
 */
public final class DemoPipeline implements AutoCloseable {

    private static final List<String> DEDUPE_METRICS = List.of("duplicates-total", "stale-total");

    private final DemoSettings settings;
    private final PrintWriter out;
    private final long startedNanos = System.nanoTime();
    private final List<String> notes = new ArrayList<>();
    private Map<String, String> env;
    private PipelineFiles files;
    private Database database;
    private KafkaBroker broker;
    private ConnectWorker worker;
    private ConnectRest rest;
    private Topics topics;
    private IcebergTables iceberg;
    private CaptureTracker tracker;
    private String bootstrapServers;
    private final WorkloadWriter writer = new WorkloadWriter();
    private List<Change> plan = List.of();
    private int rewindsDone;
    private boolean workerKilled;
    private Thread shutdownHook;
    private volatile boolean closed;

    public DemoPipeline(DemoSettings settings, PrintWriter out) {
        settings.check();
        this.settings = settings;
        this.out = out;
    }

    /** Starts everything, runs the workload, waits for the sinks, writes and returns the report. */
    public TruthReport run() throws Exception {
        start();
        runWorkload();
        settle();
        TruthReport report = report();
        report.print(out);
        Path json = settings.workDir.resolve("truth-report.json");
        report.writeJson(json);
        out.printf("%nReport written to %s%n", json);
        out.flush();
        return report;
    }

    // ---------------------------------------------------------------------------------------------
    // Start

    /** PostgreSQL, broker, worker, topics, table and connectors; returns once every connector runs. */
    public void start() throws Exception {
        shutdownHook = new Thread(this::closeQuietly, "truthline-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Path work = settings.workDir.toAbsolutePath();
        Files.createDirectories(work);
        stopLeftovers(work);
        for (String stale : List.of("kafka", "connect", "iceberg-warehouse", "postgres/data", "truth-report.json")) {
            deleteRecursively(work.resolve(stale));
        }
        Path log4j = work.resolve("log4j2.properties");
        Files.writeString(log4j, LOG4J);

        step("PostgreSQL");
        database = settings.pgUrl == null ? Database.embedded(work.resolve("postgres"))
                : Database.external(settings.pgUrl, settings.pgUser, settings.pgPassword);
        done(database.embeddedServer() ? "embedded, port " + database.port() : database.jdbcUrl(database.sourceDb()));

        if (settings.bootstrapServers == null) {
            step("Kafka broker (KRaft)");
            broker = KafkaBroker.start(settings.kafkaLibs, work.resolve("kafka"), log4j);
            remember(work, broker.jvm());
            bootstrapServers = broker.bootstrapServers();
            done(bootstrapServers + ", pid " + broker.jvm().pid());
        } else {
            bootstrapServers = settings.bootstrapServers;
        }
        env = environment(work);
        files = PipelineFiles.load(settings.connectors, env);
        Set<String> missing = new java.util.TreeSet<>(files.envReferences());
        missing.removeAll(env.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("The connector files use environment values the demo does not set: "
                    + missing + "; give them with --env NAME=VALUE");
        }

        step("orders table");
        try (Connection c = database.source(); Statement s = c.createStatement()) {
            s.execute(files.ddl());
        }
        done(files.dir().toString());

        topics = new Topics(bootstrapServers);
        step("topics");
        List<String> created = topics.create(files.topics());
        done(created.isEmpty() ? "all present" : String.join(", ", created));

        if (settings.connectUrl == null) {
            step("Connect worker");
            String pluginPath = settings.pluginPath.stream().map(p -> p.toAbsolutePath().toString())
                    .collect(Collectors.joining(","));
            worker = ConnectWorker.start(settings.kafkaLibs, work.resolve("connect"), log4j, bootstrapServers,
                    pluginPath, env);
            rest = worker.rest();
            remember(work, worker.jvm());
            done(rest.url() + ", log " + worker.log());
        } else {
            rest = new ConnectRest(URI.create(settings.connectUrl));
            if (!rest.answers()) {
                throw new IllegalStateException("No Connect REST API at " + settings.connectUrl);
            }
            // The user's workers resolve the connector files' ${env:…} references from their own environment.
            out.printf("  the Connect workers at %s need config.providers=env and these values:%n", settings.connectUrl);
            files.envReferences().forEach(name -> out.printf("    %s=%s%n", name,
                    name.contains("PASSWORD") ? "****" : env.get(name)));
            out.flush();
        }
        // The catalog's own tables exist before the Iceberg sinks start: their tasks would race to create them.
        String catalogName = files.silver().config().getOrDefault("iceberg.catalog", "iceberg");
        iceberg = new IcebergTables(catalogName, PipelineFiles.catalogProperties(files.silver(), env));
        deployConnectors();
    }

    /** The values of the connector files' {@code ${env:…}} references, as the worker's environment. */
    private Map<String, String> environment(Path work) {
        Map<String, String> e = new TreeMap<>();
        e.put("TRUTHLINE_PG_HOST", database.host());
        e.put("TRUTHLINE_PG_PORT", String.valueOf(database.port()));
        e.put("TRUTHLINE_PG_USER", database.user());
        e.put("TRUTHLINE_PG_PASSWORD", database.password());
        e.put("TRUTHLINE_PG_DB", database.sourceDb());
        e.put("TRUTHLINE_KAFKA_BOOTSTRAP", bootstrapServers);
        e.put("TRUTHLINE_ICEBERG_CATALOG_URI", database.jdbcUrl(Database.CATALOG_DB));
        e.put("TRUTHLINE_ICEBERG_CATALOG_USER", database.user());
        e.put("TRUTHLINE_ICEBERG_CATALOG_PASSWORD", database.password());
        e.put("TRUTHLINE_ICEBERG_WAREHOUSE", work.resolve("iceberg-warehouse").toUri().toString());
        // Quick commits, so rows are visible within seconds (production: 60000 / 30000).
        e.put("TRUTHLINE_ICEBERG_COMMIT_INTERVAL_MS", "1000");
        e.put("TRUTHLINE_ICEBERG_COMMIT_TIMEOUT_MS", "5000");
        e.put("TRUTHLINE_WAREHOUSE_JDBC_URL", database.jdbcUrl(Database.WAREHOUSE_DB));
        e.put("TRUTHLINE_WAREHOUSE_USER", database.user());
        e.put("TRUTHLINE_WAREHOUSE_PASSWORD", database.password());
        e.put("TRUTHLINE_REPLICATION_FACTOR", "1");
        e.put("TRUTHLINE_MIN_ISR", "1");
        e.put("TRUTHLINE_TASKS", "1");
        e.put("TRUTHLINE_PARTITIONS", "3");
        e.putAll(settings.env);
        return e;
    }

    private void deployConnectors() throws Exception {
        // Sinks first, so they read from the start; the source last.
        List<Connector> order = new ArrayList<>(files.connectors());
        order.sort(Comparator.comparing(c -> c.connectorClass().equals(PipelineFiles.POSTGRES_SOURCE)));
        for (Connector c : order) {
            step("connector " + c.name());
            Map<String, String> config = new LinkedHashMap<>(c.config());
            if (c.connectorClass().equals(PipelineFiles.POSTGRES_SOURCE) && settings.duplicateShare > 0) {
                // Keep every change in the replication slot, so a rewound source streams changes again (the
                // way duplicates arise after a crash that lost offset commits). A demo override, said in the report.
                config.put("lsn.flush.mode", "manual");
            }
            Map<String, String> errors = rest.validate(c.name(), config);
            if (!errors.isEmpty()) {
                throw new IllegalStateException("Connect rejects " + c.file() + ": " + errors);
            }
            rest.putConfig(c.name(), config);
            done("validated and created");
        }
        step("connectors running");
        for (Connector c : order) {
            awaitRunning(c.name());
        }
        awaitSlotActive();
        done(order.size() + " connectors");
        if (settings.duplicateShare > 0) {
            notes.add("demo override: lsn.flush.mode=manual on " + files.source().name()
                    + " (the slot keeps every change, so rewinding the source's offsets re-emits changes)");
        }
    }

    private void awaitRunning(String name) throws InterruptedException {
        Waits.until(() -> {
            JsonNode status = rest.status(name);
            if (status == null) {
                return false;
            }
            if (status.path("connector").path("state").asText().equals("FAILED")) {
                throw new Waits.Hopeless(name + " FAILED: " + status.path("connector").path("trace").asText());
            }
            for (JsonNode task : status.path("tasks")) {
                if (task.path("state").asText().equals("FAILED")) {
                    throw new Waits.Hopeless(name + " task " + task.path("id") + " FAILED: "
                            + task.path("trace").asText());
                }
            }
            return status.path("connector").path("state").asText().equals("RUNNING") && status.path("tasks").size() > 0
                    && java.util.stream.StreamSupport.stream(status.path("tasks").spliterator(), false)
                            .allMatch(t -> t.path("state").asText().equals("RUNNING"));
        }, Duration.ofSeconds(120), 500, () -> name + " did not reach RUNNING" + logHint());
    }

    /** Debezium has started streaming once its replication slot has a reader. */
    private void awaitSlotActive() throws InterruptedException {
        String slot = PipelineFiles.resolve(files.source().config().getOrDefault("slot.name", "debezium"), env);
        Waits.until(() -> {
            try (Connection c = database.source(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
                return rs.next() && rs.getBoolean(1);
            }
        }, Duration.ofSeconds(60), 250, () -> "Debezium did not start streaming from slot " + slot + logHint());
    }

    // ---------------------------------------------------------------------------------------------
    // Workload

    /**
     * Writes the workload while following capture; rewinds the source for duplicates and kills the
     * worker when asked; returns once every change written has been captured.
     */
    public void runWorkload() throws Exception {
        plan = Workload.plan(settings.changes, settings.invalidShare, settings.seed);
        Workload.Summary summary = Workload.summarize(plan);
        out.printf("%nWorkload: %,d changes (%,d inserts, %,d updates, %,d deletes; %,d break the source contract, "
                        + "%,d silver's rules), %s%n", summary.total(), summary.inserts(), summary.updates(),
                summary.deletes(), summary.faulty(Workload.Stage.SOURCE), summary.faulty(Workload.Stage.SILVER),
                settings.rate == 0 ? "as fast as PostgreSQL takes them" : settings.rate + " changes/s");
        out.flush();
        tracker = new CaptureTracker(topics, List.of(files.changeTopic(), files.quarantineTopic(env)));
        SourceOffsets offsets = new SourceOffsets(rest, files.source().name());
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try (Connection c = database.source()) {
                writer.write(c, plan, settings.rate, settings.batch);
            } catch (Exception e) {
                throw new IllegalStateException("The workload failed: " + e.getMessage(), e);
            }
        });
        long duplicatesWanted = Math.round(settings.changes * settings.duplicateShare);
        int rewinds = duplicatesWanted == 0 ? 0 : Math.max(1, settings.rewinds);
        long nextProgress = System.nanoTime();
        while (!writing.isDone()) {
            offsets.poll();
            double progress = settings.changes == 0 ? 1 : writer.written() / (double) settings.changes;
            if (rewindsDone < rewinds && progress >= (rewindsDone + 1.0) / (rewinds + 1)) {
                rewind(offsets, duplicatesWanted / rewinds, false);
            }
            if (settings.killWorker && !workerKilled && progress >= 0.5) {
                killAndRestartWorker();
            }
            if (System.nanoTime() >= nextProgress) {
                restartFailedTasks();
                progress();
                nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.progressSeconds);
            }
            Thread.sleep(200);
        }
        writing.join();
        out.printf("Workload written: %,d changes in %.1f s (%,.0f changes/s)%n", writer.written(), writer.seconds(),
                writer.written() / Math.max(0.001, writer.seconds()));
        // Rewinds the workload outran (a small run) happen now.
        if (rewindsDone < rewinds) {
            nextProgress = awaitCaptured(nextProgress, offsets);
            Thread.sleep(1500); // the source commits its offsets
            offsets.poll();
            long remaining = duplicatesWanted / rewinds * (rewinds - rewindsDone);
            rewind(offsets, remaining, true);
        }
        awaitCaptured(nextProgress, offsets);
    }

    /** Waits until every change written is in the topics; returns when the next progress line is due. */
    private long awaitCaptured(long nextProgress, SourceOffsets offsets) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.settleTimeoutSeconds);
        while (tracker.distinctChanges() < writer.written()) {
            if (tracker.failure() != null) {
                throw tracker.failure();
            }
            if (System.nanoTime() > deadline) {
                notes.add(String.format("capture did not catch up within %d s: %,d of %,d changes in the topics",
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
            notes.add("rewind " + rewindsDone + " skipped: no committed source offset before the last " + events
                    + " changes");
            return;
        }
        String source = files.source().name();
        rest.expect("PUT", "connectors/" + ConnectRest.segment(source) + "/stop", null);
        Waits.until(() -> {
            JsonNode status = rest.status(source);
            return status != null && status.path("connector").path("state").asText().equals("STOPPED");
        }, Duration.ofSeconds(60), 250, () -> source + " did not stop");
        rest.expect("PATCH", "connectors/" + ConnectRest.segment(source) + "/offsets", point.get().body());
        rest.expect("PUT", "connectors/" + ConnectRest.segment(source) + "/resume", null);
        awaitRunning(source);
        out.printf("  rewind %d: %s stopped, offsets set back to LSN %d (committed %s, %,d changes captured since), "
                + "resumed%n", rewindsDone, source, point.get().lsn(), point.get().at(),
                tracker.capturedAfter(point.get().lsn()));
        out.flush();
    }

    /**
     * SIGKILL to the worker mid-stream; once the group has noticed it is gone (its session timed out), a new
     * worker JVM with the same settings takes over. A task that fails on the way back is restarted through the
     * REST API, as an operator would, and said in the report.
     */
    public void killAndRestartWorker() throws Exception {
        workerKilled = true;
        out.printf("  killing the Connect worker (SIGKILL) with %,d changes written%n", writer.written());
        out.flush();
        worker.killHard();
        Thread.sleep(12_000); // session.timeout.ms + a heartbeat: the group has dropped the dead member
        worker.restart();
        remember(settings.workDir.toAbsolutePath(), worker.jvm());
        for (Connector c : files.connectors()) {
            awaitRunning(c.name());
        }
        out.printf("  Connect worker restarted; all connectors RUNNING again with %,d changes written%n",
                writer.written());
        out.flush();
    }

    /** Restarts the failed tasks of every connector (once); each restart is a note in the report. */
    private void restartFailedTasks() throws Exception {
        for (Connector c : files.connectors()) {
            JsonNode status = rest.status(c.name());
            if (status == null) {
                continue;
            }
            for (JsonNode task : status.path("tasks")) {
                if (task.path("state").asText().equals("FAILED")) {
                    String trace = task.path("trace").asText();
                    String cause = trace.lines().filter(l -> l.startsWith("Caused by")).reduce((a, b) -> b)
                            .orElse(trace.lines().findFirst().orElse(""));
                    notes.add(String.format("task %s-%s FAILED (%s) and was restarted through the REST API", c.name(),
                            task.path("id").asText(), cause));
                    rest.expect("POST", "connectors/" + ConnectRest.segment(c.name()) + "/tasks/"
                            + task.path("id").asText() + "/restart", null);
                    out.printf("  restarted failed task %s-%s: %s%n", c.name(), task.path("id").asText(), cause);
                    out.flush();
                }
            }
        }
    }

    private void progress() {
        long silver = safe(() -> iceberg.currentRows(PipelineFiles.icebergTable(files.silver(), env)));
        long warehouse = files.warehouse().isPresent() ? safe(this::warehouseRows) : -1;
        out.printf("[%4ds] written %,d/%,d | captured %,d | silver %,d%s%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos), writer.written(), settings.changes,
                tracker == null ? 0 : tracker.records(), silver,
                warehouse < 0 ? "" : String.format(" | warehouse %,d", warehouse));
        out.flush();
    }

    @FunctionalInterface
    private interface Count {
        long get() throws Exception;
    }

    private static long safe(Count count) {
        try {
            return count.get();
        } catch (Exception e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Settle

    /**
     * Waits until the sinks are through: every sink's committed offsets at the end of its topics (for the
     * Iceberg sinks: committed to the table), or — since a sink commits no offset past records its transforms
     * dropped until it writes a later one — nothing in the stores and the SMT counters has changed for 20 s
     * (45 s after a worker was killed).
     */
    public void settle() throws Exception {
        step("sinks catching up");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.settleTimeoutSeconds);
        long nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.progressSeconds);
        List<Long> last = List.of();
        long unchangedSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            restartFailedTasks();
            Map<String, Long> lags = sinkLag();
            long lag = lags.values().stream().mapToLong(Long::longValue).sum();
            List<Long> now = storeCounts();
            if (!now.equals(last)) {
                unchangedSince = System.nanoTime();
                last = now;
            }
            long unchanged = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - unchangedSince);
            // After a kill the sinks recover (group rebalances, Iceberg commit recovery) before they move again.
            if ((lag == 0 && unchanged >= 3) || unchanged >= (workerKilled ? 45 : 20)) {
                done(lag == 0 ? "no lag" : "nothing changed for " + unchanged + " s");
                return;
            }
            if (System.nanoTime() >= nextProgress) {
                progress();
                out.printf("        sink lag %s%n", lags);
                nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.progressSeconds);
            }
            Thread.sleep(1000);
        }
        notes.add("the sinks had not caught up after " + settings.settleTimeoutSeconds + " s (lag " + sinkLag() + ")");
        done("timed out");
    }

    /** What moves while the sinks work: table rows, topic sizes, and the Deduplicate SMTs' record counters. */
    private List<Long> storeCounts() {
        List<Long> counts = new ArrayList<>();
        for (Connector c : files.connectors()) {
            if (c.connectorClass().equals(PipelineFiles.ICEBERG_SINK)) {
                counts.add(safe(() -> iceberg.currentRows(PipelineFiles.icebergTable(c, env))));
            }
            if (worker != null) {
                for (String alias : c.transformsOfType(PipelineFiles.DEDUPLICATE)) {
                    counts.add(safe(() -> worker.metrics("kafka.connect:type=plugins,connector=" + c.name()
                            + ",task=*,transformation=" + alias, List.of("records-total")).values().stream()
                            .mapToLong(m -> m.get("records-total").longValue()).sum()));
                }
            }
        }
        counts.add(files.warehouse().isPresent() ? safe(this::warehouseRows) : 0);
        counts.add(safe(() -> topics.size(files.changeTopic())));
        counts.add(safe(() -> topics.size(files.quarantineTopic(env))));
        files.silverDeadLetterTopic(env).ifPresent(t -> counts.add(safe(() -> topics.size(t))));
        return counts;
    }

    /** Records not yet committed by each sink connector's consumer group, over all its topics. */
    private Map<String, Long> sinkLag() throws Exception {
        Map<String, Long> lags = new TreeMap<>();
        for (Connector c : files.connectors()) {
            if (c.connectorClass().equals(PipelineFiles.POSTGRES_SOURCE)) {
                continue;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = topics.admin()
                    .listConsumerGroupOffsets("connect-" + c.name()).partitionsToOffsetAndMetadata().get();
            for (String topic : c.list("topics")) {
                Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
                for (var p : topics.admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()) {
                    request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                }
                Map<TopicPartition, ListOffsetsResultInfo> end = topics.admin().listOffsets(request).all().get();
                for (var e : end.entrySet()) {
                    OffsetAndMetadata at = committed.get(e.getKey());
                    lags.merge(c.name(), e.getValue().offset() - (at == null ? 0 : at.offset()), Long::sum);
                }
            }
        }
        return lags;
    }

    // ---------------------------------------------------------------------------------------------
    // Report

    /** The truth report, from the stores. */
    public TruthReport report() throws Exception {
        step("reading the stores");
        // The change topic: events, tombstones, and copies of changes already in the topic.
        String changeTopic = files.changeTopic();
        List<ChangeEvent> events = new ArrayList<>();
        topics.readAll(changeTopic, r -> events.add(ChangeEvent.of(r)));
        Set<List<Object>> seen = new HashSet<>();
        List<ChangeEvent> copies = new ArrayList<>();
        long tombstones = 0;
        long firstCommitMs = Long.MAX_VALUE;
        for (ChangeEvent e : events) {
            if (e.tombstone()) {
                tombstones++;
            } else {
                if (!seen.add(e.identity())) {
                    copies.add(e);
                }
                if (e.sourceTsMs() > 0) {
                    firstCommitMs = Math.min(firstCommitMs, e.sourceTsMs());
                }
            }
        }
        long changeEvents = events.size() - tombstones;

        // The quarantine topic: what the source's contract routed away, copies included.
        String quarantineTopic = files.quarantineTopic(env);
        long[] quarantine = new long[2];
        Set<List<Object>> quarantineSeen = new HashSet<>();
        topics.readAll(quarantineTopic, r -> {
            if (r.value() != null) {
                quarantine[0]++;
                if (!quarantineSeen.add(ChangeEvent.of(r).identity())) {
                    quarantine[1]++;
                }
            }
        });

        // The dead-letter topic: records the silver sink failed, with the position they came from.
        Set<String> deadPositions = new HashSet<>();
        long[] dead = new long[1];
        Optional<String> dlq = files.silverDeadLetterTopic(env);
        String silverName = files.silver().name();
        if (dlq.isPresent()) {
            topics.readAll(dlq.get(), r -> {
                String connector = header(r.headers().lastHeader("__connect.errors.connector.name"));
                if (connector != null && !connector.equals(silverName)) {
                    return; // another sink's dead letter in a shared DLQ topic
                }
                dead[0]++;
                String partition = header(r.headers().lastHeader("__connect.errors.partition"));
                String offset = header(r.headers().lastHeader("__connect.errors.offset"));
                // Without context headers every dead letter counts on its own.
                deadPositions.add(partition == null || offset == null ? "dlq/" + r.partition() + "/" + r.offset()
                        : partition + "/" + offset);
            });
        }
        // A sink that restarts from its last committed offset dead-letters a record again: count positions.
        if (dead[0] > deadPositions.size()) {
            notes.add(String.format("the DLQ holds %,d records for %,d positions: %,d dead-lettered again after a restart",
                    dead[0], deadPositions.size(), dead[0] - deadPositions.size()));
        }
        long copiesDropped = copies.stream().filter(c -> !deadPositions.contains(c.partition() + "/" + c.offset())).count();

        // Iceberg.
        String silverTable = PipelineFiles.icebergTable(files.silver(), env);
        Table silver = iceberg.load(silverTable);
        long silverRows = IcebergTables.count(silver);
        long silverCopies = IcebergTables.copies(silver, "order_id");
        if (silverCopies > 0) {
            notes.add(String.format("silver holds %,d rows that repeat a change already in silver: copies that reached "
                    + "a Deduplicate window which did not hold their original (a task restarted with an empty window)",
                    silverCopies));
        }
        Long bronzeRows = files.icebergSink("bronze").map(c -> PipelineFiles.icebergTable(c, env))
                .filter(iceberg::exists).map(t -> IcebergTables.count(iceberg.load(t))).orElse(null);
        Long quarantineRows = files.icebergSink("quarantine").map(c -> PipelineFiles.icebergTable(c, env))
                .filter(iceberg::exists).map(t -> IcebergTables.count(iceberg.load(t))).orElse(null);
        long[] delays = IcebergTables.visibilityDelays(silver, IcebergTables::sourceTsMs);
        String latencyTable = silverTable;
        if (delays.length == 0 && files.icebergSink("bronze").isPresent()) {
            latencyTable = PipelineFiles.icebergTable(files.icebergSink("bronze").get(), env);
            delays = IcebergTables.visibilityDelays(iceberg.load(latencyTable), IcebergTables::sourceTsMs);
            notes.add("silver rows carry no source.ts_ms: latency measured on bronze");
        }
        List<IcebergTables.SnapshotInfo> snapshots = IcebergTables.snapshots(silver);
        TimeTravel timeTravel = null;
        if (snapshots.size() >= 2) {
            int index = (snapshots.size() - 1) / 2;
            IcebergTables.SnapshotInfo earlier = snapshots.get(index);
            timeTravel = new TimeTravel(earlier.id(), earlier.committedAtMs(), IcebergTables.countAt(silver, earlier.id()),
                    silverRows, index + 1, snapshots.size());
        }
        long lastSnapshotMs = snapshots.isEmpty() ? System.currentTimeMillis() : snapshots.get(snapshots.size() - 1).committedAtMs();

        // The warehouse and the source table.
        Long warehouseRows = files.warehouse().isPresent() ? warehouseRows() : null;
        long sourceRows;
        try (Connection c = database.source(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
            rs.next();
            sourceRows = rs.getLong(1);
        }

        // The Deduplicate SMT's own count, over JMX from the worker.
        Long metrics = dedupeMetrics(files.silver());
        boolean metricsWhole = metrics != null && worker != null && worker.starts() == 1;
        long dropped = metricsWhole ? metrics : copiesDropped;
        String droppedSource = metricsWhole ? "Deduplicate metrics over JMX"
                : metrics == null ? "from the topic (no JMX metrics)"
                : "from the topic (the worker restarted: its metrics count only since then)";
        if (metricsWhole && metrics != copiesDropped) {
            notes.add(String.format("Deduplicate metrics (%,d) and the copies in the topic that did not go to the DLQ "
                    + "(%,d) disagree", metrics, copiesDropped));
        }

        long captured = changeEvents + quarantine[0];
        Map<String, Integer> byKind = new LinkedHashMap<>();
        Workload.Summary summary = Workload.summarize(plan.subList(0, (int) Math.min(plan.size(), writer.written())));
        byKind.put("inserts", summary.inserts());
        byKind.put("updates", summary.updates());
        byKind.put("deletes", summary.deletes());
        Run run = new Run(files.dir().toString(), settings.changes, writer.written(), byKind, settings.invalidShare,
                settings.duplicateShare, rewindsDone, workerKilled, settings.seed, settings.rate,
                TruthReport.round(writer.seconds()), TruthReport.round((System.nanoTime() - startedNanos) / 1e9));
        done(String.format("%,d change events, %,d silver rows", changeEvents, silverRows));
        return new TruthReport(run,
                new Captured(captured, changeEvents, quarantine[0], tombstones, copies.size() + quarantine[1]),
                new Landed(bronzeRows, silverRows, silverCopies < 0 ? null : silverCopies, quarantineRows, warehouseRows,
                        sourceRows),
                quarantine[0], deadPositions.size(), new Dropped(metrics, copiesDropped, dropped, droppedSource),
                Equation.of(captured, silverRows, quarantine[0], deadPositions.size(), dropped),
                Latency.of(latencyTable, delays),
                Throughput.of(captured, firstCommitMs == Long.MAX_VALUE ? lastSnapshotMs : firstCommitMs, lastSnapshotMs,
                        writer.written(), writer.seconds()),
                timeTravel, List.copyOf(notes));
    }

    private long warehouseRows() throws SQLException {
        Connector warehouse = files.warehouse().orElseThrow();
        String table = PipelineFiles.resolve(warehouse.config().getOrDefault("collection.name.format",
                warehouse.config().getOrDefault("table.name.format", "orders")), env);
        try (Connection c = database.connect(Database.WAREHOUSE_DB); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0; // the sink creates the table with its first row
            }
            throw e;
        }
    }

    /** The sum of the Deduplicate transforms' drop counters over the connector's tasks; null without JMX. */
    private Long dedupeMetrics(Connector sink) {
        if (worker == null) {
            return null;
        }
        List<String> aliases = sink.transformsOfType(PipelineFiles.DEDUPLICATE);
        if (aliases.isEmpty()) {
            return 0L;
        }
        try {
            long total = 0;
            for (String alias : aliases) {
                Map<String, Map<String, Double>> beans = worker.metrics("kafka.connect:type=plugins,connector="
                        + sink.name() + ",task=*,transformation=" + alias, DEDUPE_METRICS);
                for (Map<String, Double> values : beans.values()) {
                    total += (long) (values.get("duplicates-total") + values.get("stale-total"));
                }
            }
            return total;
        } catch (Exception e) {
            notes.add("Deduplicate metrics unavailable over JMX: " + e.getMessage());
            return null;
        }
    }

    private static String header(Header h) {
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------------

    /** The REST URL of the Connect cluster the pipeline runs on. */
    public URI connectUrl() {
        return rest.url();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Blocks until the JVM is asked to stop (Ctrl-C); the shutdown hook then stops everything. */
    public void awaitShutdown() throws InterruptedException {
        out.printf("%nEverything is up. Connect REST API: %s  Kafka: %s  PostgreSQL: %s%nCtrl-C stops it all.%n",
                rest.url(), bootstrapServers, database.jdbcUrl(database.sourceDb()));
        out.flush();
        while (!closed) {
            Thread.sleep(1000);
        }
    }

    private void step(String what) {
        out.printf("  %-28s ", what + " ...");
        out.flush();
    }

    private void done(String detail) {
        out.printf("%s (%d s)%n", detail, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos));
        out.flush();
    }

    private String logHint() {
        return worker == null ? "" : "; see " + worker.log();
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception e) {
            // shutting down
        }
    }

    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        if (tracker != null) {
            tracker.close();
        }
        if (iceberg != null) {
            iceberg.close();
        }
        if (topics != null) {
            topics.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (database != null) {
            database.close();
        }
    }

    /** Notes a forked JVM in {@code <work>/pids}, so a run whose own JVM was killed leaves nothing for long. */
    private static void remember(Path work, ForkedJvm jvm) throws IOException {
        Files.writeString(work.resolve("pids"), jvm.pid() + "\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /**
     * Stops the broker and worker JVMs an earlier run in this work directory left behind (its own JVM was killed
     * before its shutdown hook ran): only processes listed in {@code <work>/pids} whose command line names this
     * work directory.
     */
    private void stopLeftovers(Path work) throws IOException {
        Path pids = work.resolve("pids");
        if (!Files.exists(pids)) {
            return;
        }
        for (String line : Files.readAllLines(pids)) {
            if (line.isBlank()) {
                continue;
            }
            ProcessHandle.of(Long.parseLong(line.trim())).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains(work.toString())).orElse(false))
                    .ifPresent(p -> {
                        out.printf("  stopping pid %d, left running by an earlier demo in %s%n", p.pid(), work);
                        p.destroyForcibly();
                    });
        }
        Files.delete(pids);
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The forked JVMs' logging: Kafka's and Connect's INFO lines into their log files. */
    static final String LOG4J = """
            status = warn
            appender.console.type = Console
            appender.console.name = console
            appender.console.layout.type = PatternLayout
            appender.console.layout.pattern = [%d] %p %m (%c)%n
            rootLogger.level = INFO
            rootLogger.appenderRef.console.ref = console
            logger.reflections.name = org.reflections
            logger.reflections.level = ERROR
            logger.kafka.name = kafka
            logger.kafka.level = WARN
            logger.kafkaserver.name = org.apache.kafka
            logger.kafkaserver.level = WARN
            logger.connect.name = org.apache.kafka.connect
            logger.connect.level = INFO
            logger.clients.name = org.apache.kafka.clients
            logger.clients.level = WARN
            """;
}
