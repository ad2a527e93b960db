package dev.truthline.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.truthline.audit.AuditMain;
import dev.truthline.audit.AuditPlan;
import dev.truthline.audit.ConfigValues;
import dev.truthline.audit.ConnectorConfigs;
import dev.truthline.audit.ConnectorDiscovery;
import dev.truthline.connect.harness.ConnectRest;

/**
 * The audit on Spark ({@code audit-spark}'s {@code SparkAudit}, in a JVM of its own on {@code audit-spark/target/libs},
 * Spark in local mode) against the one-machine audit (DuckDB), on the demo's own stores with a lie planted (a data file
 * removed from silver by a commit, rolled back afterwards): the same count of every fate, the same unexplained events
 * by position, the same quarantine per rule and dead letters per reason; and the same current-state reconciliation of
 * the source table against the warehouse (every state's count, the stale and absent keys with the change that explains
 * each).
 */
final class SparkAuditAgreement {

    /**
     * The JIT and collector of a JVM that lives a minute or two on a few thousand events (this Spark audit, and
     * DemoPipelineIT's Kafka nodes and worker): C1 alone and the serial collector spend about half the CPU C2 and G1
     * do there (the same results); a long run keeps the defaults.
     */
    static final List<String> SHORT_RUN = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final DemoPipeline pipeline;
    private final Path root;
    private final Path work;

    SparkAuditAgreement(DemoPipeline pipeline, Path root, Path work) {
        this.pipeline = pipeline;
        this.root = root;
        this.work = work;
    }

    /**
     * Both engines on the demo's stores with one silver data file removed by a commit (rolled back afterwards): one
     * Spark run (its local start-up is most of its time) that compares every fate and names the lie's events.
     */
    void check() throws Exception {
        Path env = work.resolve("spark-audit.env");
        List<String> lines = new ArrayList<>();
        pipeline.env().forEach((k, v) -> lines.add(k + "=" + v));
        Files.write(env, lines);
        List<String> settings = List.of("connectors=" + pipeline.connectorFiles(), "envFile=" + env,
                "bootstrapServers=" + pipeline.bootstrapServers(), "listLimit=1000", "format=json",
                "reconcile=true");
        AuditPlan plan = ConnectorDiscovery.discover(ConnectorConfigs.fromFiles(pipeline.connectorFiles()),
                new ConfigValues(pipeline.env()), null, pipeline.bootstrapServers(), "64MB", work);
        try (IcebergTables iceberg = new IcebergTables(plan.catalogName(), plan.catalogProperties())) {
            Table silver = iceberg.load(plan.landing().table());
            long before = silver.currentSnapshot().snapshotId();
            // The run's own audit counted the landed events before the lie.
            long landedBefore = ConnectRest.JSON.readTree(work.resolve("audit-report.json").toFile())
                    .path("fates").path("landed").asLong();
            // The smallest data file, so other rows stay when there are several; a slow run can land all in one
            // commit, one file: then nothing stays landed.
            List<DataFile> files = new ArrayList<>();
            try (CloseableIterable<FileScanTask> tasks = silver.newScan().planFiles()) {
                tasks.forEach(t -> files.add(t.file()));
            }
            DataFile removed = files.stream().min(Comparator.comparingLong(DataFile::recordCount))
                    .orElseThrow(() -> new AssertionError("silver has no data file"));
            silver.newDelete().deleteFile(removed).commit();
            try {
                // Spark's JVM starts first and works while the one-machine audit runs in this one.
                SparkRun run = spark(settings);
                JsonNode duck;
                try {
                    duck = duckDb(settings);
                } catch (Exception | AssertionError e) {
                    run.process().destroyForcibly();
                    throw e;
                }
                JsonNode spark = run.report();
                assertSame(duck, spark);
                // The removed rows' events, and the copies of them that were duplicates of a landed event; every
                // other landed event still landed.
                String lie = String.format(Locale.ROOT, "%s (%,d rows) removed of %d data files; fates %s",
                        removed.location(), removed.recordCount(), files.size(), spark.path("fates"));
                assertThat(spark.path("fates").path("unexplained").asLong()).as(lie)
                        .isGreaterThanOrEqualTo(removed.recordCount()).isPositive();
                assertThat(spark.path("fates").path("landed").asLong()).as(lie)
                        .isEqualTo(landedBefore - removed.recordCount());
                assertSameReconciliation(duck.path("reconciliation"), spark.path("reconciliation"));
            } finally {
                silver.manageSnapshots().rollbackTo(before).commit();
            }
        }
    }

    private static void assertSame(JsonNode duck, JsonNode spark) {
        for (String field : List.of("captured", "fates", "unexplained", "extra_rows", "rows_landed_twice",
                "quarantined_per_rule", "dead_lettered_per_reason", "dead_letters_without_context", "exit_code")) {
            assertThat(spark.path(field)).as("%s: Spark %s, DuckDB %s", field, spark.path(field), duck.path(field))
                    .isEqualTo(duck.path(field));
        }
    }

    /**
     * The current-state reconciliation (the source table against the warehouse, by key) on both engines: the same
     * rows read, the same count of every state, the same keys listed with the same rejected change and reason.
     */
    private static void assertSameReconciliation(JsonNode duck, JsonNode spark) {
        System.out.printf("reconciliation: DuckDB %,d ms, Spark %,d ms (%,d + %,d rows)%n", duck.path("millis").asLong(),
                spark.path("millis").asLong(), duck.path("source_rows").asLong(), duck.path("current_rows").asLong());
        assertThat(duck.path("counts").path("equal").asLong()).as("DuckDB's reconciliation: %s", duck).isPositive();
        assertThat(duck.path("counts").path("stale").asLong() + duck.path("counts").path("absent").asLong())
                .as("rejected changes leave stale or absent rows: %s", duck.path("counts")).isPositive();
        for (String field : List.of("source_table", "current_table", "source_rows", "current_rows", "counts",
                "not_compared", "exit_code")) {
            assertThat(spark.path(field)).as("reconciliation %s: Spark %s, DuckDB %s", field, spark.path(field),
                    duck.path(field)).isEqualTo(duck.path(field));
        }
        for (String state : List.of("stale", "absent", "extra", "unexplained")) {
            assertThat(spark.path("keys").path(state)).as("reconciliation's %s keys", state)
                    .isEqualTo(duck.path("keys").path(state));
        }
    }

    private JsonNode duckDb(List<String> settings) throws Exception {
        Path json = work.resolve("duckdb-audit.json");
        List<String> args = new ArrayList<>(settings);
        args.add("jsonOutput=" + json);
        args.add("workDir=" + work.resolve("duckdb-audit"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int exit = AuditMain.run(args, new PrintWriter(out), new PrintWriter(err));
        System.out.printf("DuckDB audit (a silver file removed): exit %d in %.1f s%n", exit,
                (System.nanoTime() - start) / 1e9);
        assertThat(Files.exists(json)).as("%s", err).isTrue();
        return ConnectRest.JSON.readTree(json.toFile());
    }

    /**
     * SparkAudit in its own JVM: the class path audit-spark's build lays out, the options Spark needs on Java 17; or,
     * where {@code truthline.spark.submit} names a Spark installation's {@code spark-submit}, through it in local mode.
     */
    private SparkRun spark(List<String> settings) throws Exception {
        Path module = root.resolve("audit-spark");
        Path json = work.resolve("spark-audit.json");
        Path log = work.resolve("spark-audit.log");
        Path tmp = Files.createDirectories(work.resolve("spark-tmp"));
        String submit = System.getProperty("truthline.spark.submit");
        List<String> command = new ArrayList<>();
        if (submit == null) {
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx768m", "@" + module.resolve("spark-java.args")));
            command.addAll(SHORT_RUN);
            command.addAll(List.of("-Djava.io.tmpdir=" + tmp,
                    "-cp", module.resolve("target/truthline-audit-spark.jar") + java.io.File.pathSeparator
                            + module.resolve("target/libs") + java.io.File.separator + "*",
                    "dev.truthline.audit.spark.SparkAudit"));
        } else {
            // A Spark installation's spark-submit (-Dtruthline.spark.submit=…/bin/spark-submit), as docs/proving.md
            // shows it: the job's jar, and what the installation lacks from target/submit.
            List<String> jars = new ArrayList<>();
            try (var files = Files.list(module.resolve("target/submit"))) {
                files.map(Path::toString).filter(f -> f.endsWith(".jar")).sorted().forEach(jars::add);
            }
            command.addAll(List.of(submit, "--master", "local[2]", "--driver-memory", "768m",
                    "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=2",
                    "--conf", "spark.driver.extraJavaOptions=" + String.join(" ", SHORT_RUN) + " -Djava.io.tmpdir="
                            + tmp,
                    "--class", "dev.truthline.audit.spark.SparkAudit", "--jars", String.join(",", jars),
                    module.resolve("target/truthline-audit-spark.jar").toString()));
        }
        command.addAll(settings);
        command.add("jsonOutput=" + json);
        return new SparkRun(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start(),
                System.nanoTime(), json, log, submit);
    }

    /** A SparkAudit process started: its report once it has exited. */
    private record SparkRun(Process process, long start, Path json, Path log, String submit) {

        JsonNode report() throws Exception {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("SparkAudit did not finish in 5 minutes; its log: " + log);
            }
            System.out.printf("Spark audit (a silver file removed%s): exit %d in %.1f s (JVM start to exit)%n",
                    submit == null ? "" : ", through " + submit, process.exitValue(), (System.nanoTime() - start) / 1e9);
            assertThat(Files.exists(json)).as("SparkAudit wrote no report (exit %d); its log: %s", process.exitValue(),
                    log).isTrue();
            return ConnectRest.JSON.readTree(json.toFile());
        }
    }
}
