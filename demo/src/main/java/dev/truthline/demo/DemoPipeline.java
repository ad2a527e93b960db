package dev.truthline.demo;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.truthline.audit.AuditPlan;
import dev.truthline.audit.AuditReport;
import dev.truthline.audit.ConfigValues;
import dev.truthline.audit.ConnectorConfigs;
import dev.truthline.audit.ConnectorDiscovery;
import dev.truthline.audit.CurrentStateDiscovery;
import dev.truthline.audit.HtmlReport;
import dev.truthline.audit.PipelineAudit;
import dev.truthline.audit.ReconcilePlan;
import dev.truthline.audit.ReconciliationReport;

/**
 * The reference pipeline on one machine, and the run that proves it: the {@link PipelineRuntime} (PostgreSQL,
 * a KRaft broker and a Connect worker or the user's own, topics and connectors from a folder of pipeline files),
 * the {@link WorkloadDriver} (changes through PostgreSQL, duplicates produced for real by rewinding the source,
 * optionally a worker killed hard), the {@link Settling} of the sinks, and the truth report: {@code truthline audit}
 * of the run, with what only the demo reads ({@link StoreReader}), judged against the workload by {@link ReportJudge}.
 *
 * <p>Usable step by step ({@link #start}, {@link #runWorkload}, {@link #settle}, {@link #report}) by an
 * integration test, or all at once by {@link #run}.
 */
public final class DemoPipeline implements AutoCloseable {

    private final DemoSettings settings;
    private final Console console;
    private final PipelineRuntime runtime;
    private final WorkloadDriver driver;
    private Thread shutdownHook;
    private volatile boolean closed;
    private PiiSearch.Result privacy;

    public DemoPipeline(DemoSettings settings, PrintWriter out) {
        settings.check();
        this.settings = settings;
        this.console = new Console(out);
        this.runtime = new PipelineRuntime(settings, console);
        this.driver = new WorkloadDriver(runtime, console);
    }

    /**
     * Starts everything, runs the workload, waits for the sinks, audits the run, writes and returns the report.
     */
    public TruthReport run() throws Exception {
        start();
        runWorkload();
        settle();
        TruthReport report = report();
        report.print(console.out());
        Path json = settings.workDir.resolve("truth-report.json");
        report.writeJson(json);
        console.printf("%nReport written to %s%n", json);
        searchPii().print(console.out());
        if (runtime.observation() != null) {
            runtime.observation().print(observed(), console.out());
        }
        return report;
    }

    /** What {@code --observe} saw so far: alerts fired and resolved, lineage events and their spec check. */
    Observation.Findings observed() throws Exception {
        return runtime.observation().findings();
    }

    /**
     * Searches every topic and every table downstream of the source table for the clear values the workload
     * planted and for the token keyset's key material; writes {@code pii-report.json}. A hit fails the run.
     */
    PiiSearch.Result searchPii() throws Exception {
        console.step("searching every topic and table for the planted clear values");
        Map<String, String> planted = new java.util.LinkedHashMap<>(driver.planted());
        String keyset = runtime.env().get(DemoKeys.TOKEN_KEYSET);
        if (keyset != null) {
            DemoKeys.keyMaterial(keyset).forEach(k -> planted.put(k, "keyset"));
        }
        PiiSearch.Result result = searchFor(planted);
        result.writeJson(settings.workDir.resolve("pii-report.json"));
        privacy = result;
        console.done(String.format("%,d records, %,d rows", result.records(), result.rows()));
        return result;
    }

    /** Every topic, every Iceberg table, every table of the demo's databases but the source table, for these values. */
    PiiSearch.Result searchFor(Map<String, String> planted) throws Exception {
        Database db = runtime.database();
        return new PiiSearch(planted).search(runtime.bootstrapServers(), runtime.topics().admin(), runtime.iceberg(), db,
                java.util.List.of(db.sourceDb(), Database.CATALOG_DB, Database.WAREHOUSE_DB), db.sourceDb(),
                PipelineFiles.resolve(runtime.files().source().config().getOrDefault("table.include.list", "public.orders"),
                        runtime.env()));
    }

    /** The last PII search of this run; null before it ran. */
    PiiSearch.Result privacy() {
        return privacy;
    }

    /** An audit of the run: what it read and what it found. */
    record Audit(AuditPlan plan, PipelineAudit.Outcome outcome) {
    }

    /**
     * {@code truthline audit} of this run, as an operator would run it on any pipeline: discovered from the same
     * connector files with the worker's values, every captured event given its fate from the stores alone; and, with
     * a warehouse sink, the reconciliation of the source table with the current table (stale and absent rows with the
     * rejected change that explains each), beside what the warehouse's stale-row view marks.
     * Prints it, writes {@code audit-report.json} and the page {@code audit-report.html}.
     */
    Audit audit() throws Exception {
        console.step("auditing the run (truthline audit)");
        Path work = settings.workDir.toAbsolutePath().resolve("audit");
        Files.createDirectories(work);
        Map<String, Map<String, String>> connectors = ConnectorConfigs.fromFiles(runtime.files().dir());
        ConfigValues values = new ConfigValues(runtime.env());
        AuditPlan plan = ConnectorDiscovery.discover(connectors, values, null, runtime.bootstrapServers(), "256MB",
                Files.createTempDirectory(work, "spill"));
        ReconcilePlan reconcile = null;
        Map<String, Long> viewStale = Map.of();
        if (runtime.files().warehouse().isPresent()) {
            reconcile = CurrentStateDiscovery.discover(connectors, values, plan.changeTopic(),
                    new CurrentStateDiscovery.Given(null, null, null, null, null, null, null, null, null));
            viewStale = runtime.warehouseViewsStale();
        }
        PipelineAudit.Outcome outcome = PipelineAudit.run(plan, Map.of(), null, null, 20, reconcile);
        console.done(String.format("%,d events in %.1f s", outcome.capturedEvents(), outcome.millis() / 1000.0));
        AuditReport.console(plan, outcome, console.out());
        ObjectNode json = AuditReport.json(plan, outcome);
        if (outcome.reconciliation() != null) {
            ReconciliationReport.console(reconcile, outcome.reconciliation(), outcome.reconciliationMillis(),
                    console.out());
            long audited = outcome.reconciliation().count("stale");
            viewStale.forEach((view, n) -> console.printf("  %s marks %,d rows stale with plain SQL (%s)%n", view, n,
                    n == audited ? "the same count as the audit" : "the audit counts " + audited));
            ObjectNode r = ReconciliationReport.json(reconcile, outcome.reconciliation(),
                    outcome.reconciliationMillis());
            if (!viewStale.isEmpty()) {
                ObjectNode views = r.putObject("views_stale");
                viewStale.forEach(views::put);
            }
            json.set("reconciliation", r);
            json.put("exit_code", outcome.exitCode());
        }
        AuditReport.writeJson(json, settings.workDir.resolve("audit-report.json"));
        Path page = settings.workDir.resolve("audit-report.html");
        HtmlReport.write(HtmlReport.page(plan, outcome, reconcile, java.time.Instant.now()), page);
        console.printf("Audit written to %s; its page: %s%n", settings.workDir.resolve("audit-report.json"), page);
        return new Audit(plan, outcome);
    }

    /** PostgreSQL, broker, worker, topics, table and connectors; returns once every connector runs. */
    public void start() throws Exception {
        shutdownHook = new Thread(this::closeQuietly, "truthline-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        runtime.start();
    }

    /**
     * Writes the workload while following capture; rewinds the source for duplicates and kills the worker when
     * asked; returns once every change written has been captured.
     */
    public void runWorkload() throws Exception {
        driver.run();
    }

    /** SIGKILL to the worker mid-stream and a new worker JVM in its place. */
    public void killAndRestartWorker() throws Exception {
        driver.killAndRestartWorker();
    }

    /** Waits until the sinks are through (see {@link Settling}). */
    public void settle() throws Exception {
        new Settling(runtime, console).await(driver);
    }

    /**
     * The truth report: the audit of the run (printed and written as it is), and what only the demo reads beside it,
     * judged against what the workload wrote.
     */
    public TruthReport report() throws Exception {
        String rebuild = driver.rebuildAfterKill();
        if (rebuild != null) {
            console.note(rebuild);
        }
        String tombstones = driver.staleTombstones();
        if (tombstones != null) {
            console.note(tombstones);
        }
        Audit audit = audit();
        console.step("reading bronze, snapshots, JMX");
        StoreReadings stores = new StoreReader(runtime).read();
        TruthReport report = ReportJudge.judge(audit.plan(), audit.outcome(), stores,
                driver.facts(runtime.files().dir().toString(), console.exactSeconds()), driver.writeSeconds(),
                console.notes());
        console.done(String.format("%,d silver rows, %d snapshots", report.landed().silver(),
                stores.silverSnapshots().size()));
        return report;
    }

    /** The REST URL of the Connect cluster the pipeline runs on. */
    public URI connectUrl() {
        return runtime.rest().url();
    }

    /** The pipeline's PostgreSQL (source, catalog and warehouse databases). */
    Database database() {
        return runtime.database();
    }

    public String bootstrapServers() {
        return runtime.bootstrapServers();
    }

    /** The connector files the pipeline was deployed from. */
    Path connectorFiles() {
        return runtime.files().dir();
    }

    /** The values of the connector files' {@code ${env:…}} references, as the worker resolves them. */
    Map<String, String> env() {
        return runtime.env();
    }

    /** Blocks until the JVM is asked to stop (Ctrl-C); the shutdown hook then stops everything. */
    public void awaitShutdown() throws InterruptedException {
        console.printf("%nEverything is up. Connect REST API: %s  Kafka: %s  PostgreSQL: %s%nCtrl-C stops it all.%n",
                runtime.rest().url(), runtime.bootstrapServers(),
                runtime.database().jdbcUrl(runtime.database().sourceDb()));
        while (!closed) {
            Thread.sleep(1000);
        }
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
        driver.close();
        runtime.close();
    }
}
