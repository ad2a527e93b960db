package dev.truthline.audit.spark;

import java.io.PrintWriter;
import java.util.List;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.truthline.audit.AuditPlan;
import dev.truthline.audit.AuditReport;
import dev.truthline.audit.AuditResult;
import dev.truthline.audit.AuditSettings;
import dev.truthline.audit.CannotJudgeException;
import dev.truthline.audit.ConfigValues;
import dev.truthline.audit.ConnectorDiscovery;
import dev.truthline.audit.FateAssignment;
import dev.truthline.audit.PipelineAudit;

/**
 * {@code truthline audit} on Spark SQL, for volumes beyond one machine: the same settings ({@code name=value}, as
 * {@link AuditSettings}), the same discovery, the same change identity and the same classification SQL
 * ({@link FateAssignment#FATES_QUERY}) as the one-machine audit, over the same stores read by Spark
 * ({@link SparkStores}); the same report (console or JSON, plus {@code "engine": "spark"}). Exit code 0 when every
 * captured event has a fate, 1 when anything is unexplained, 2 when it cannot judge.
 *
 * <p>Runs under {@code spark-submit} (the cluster's master) or as {@code java -cp 'target/libs/*'} (Spark in local mode
 * when no {@code spark.master} is set). The range options, the checkpoint, the reconciliation and the HTML page are
 * the one-machine audit's only.
 */
public final class SparkAudit {

    private SparkAudit() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int run(List<String> args, PrintWriter out, PrintWriter err) {
        AuditSettings settings;
        try {
            settings = AuditSettings.fromArguments(args);
            if (!settings.range().whole() || settings.checkpoint != null
                    || settings.reconcile || settings.htmlOutput != null || "html".equals(settings.format)) {
                throw new IllegalArgumentException("ranges, the checkpoint, the reconciliation and the HTML page "
                        + "are the one-machine audit's (truthline audit); on Spark the whole topics are audited");
            }
        } catch (IllegalArgumentException e) {
            err.println("truthline audit (spark): " + e.getMessage());
            return AuditResult.CANNOT_JUDGE;
        }
        try {
            AuditPlan plan = ConnectorDiscovery.discover(settings.connectorConfigs(),
                    new ConfigValues(settings.operatorValues()),
                    settings.landing, settings.bootstrapServers, settings.memoryLimit, settings.workDir);
            PipelineAudit.Outcome outcome;
            String version;
            try (SparkSession spark = session(plan)) {
                version = spark.version();
                outcome = audit(spark, plan, settings.listLimit);
            }
            ObjectNode json = AuditReport.json(plan, outcome);
            json.put("engine", "spark " + version);
            if ("json".equals(settings.format)) {
                out.println(AuditReport.jsonText(json));
            } else {
                AuditReport.console(plan, outcome, out);
            }
            if (settings.jsonOutput != null) {
                AuditReport.writeJson(json, settings.jsonOutput);
            }
            out.flush();
            return outcome.exitCode();
        } catch (CannotJudgeException e) {
            err.println("truthline audit (spark): cannot judge: " + e.getMessage());
            return AuditResult.CANNOT_JUDGE;
        } catch (Exception e) {
            err.println("truthline audit (spark): cannot judge: " + e);
            return AuditResult.CANNOT_JUDGE;
        }
    }

    /** Reads the stores and assigns the fates on {@code spark}; the time counts both. */
    static PipelineAudit.Outcome audit(SparkSession spark, AuditPlan plan, int listLimit) throws Exception {
        long start = System.nanoTime();
        SparkStores.Read read = new SparkStores(spark, plan).read();
        AuditResult result = FateAssignment.assign(new SparkFateSql(spark), listLimit);
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new PipelineAudit.Outcome(result, read.ranges(), read.captured(), read.deadLetters(),
                read.deadLettersWithoutContext(), read.dataFiles(), millis, null);
    }

    /**
     * The session: the master spark-submit gives, else local mode; the shared SQL's double-quoted identifiers; the
     * pipeline's Iceberg catalog as a Spark catalog of the same name with the landing sink's {@code iceberg.catalog.*}
     * properties (its {@code catalog-impl}: the JDBC catalog of the reference pipeline).
     */
    static SparkSession session(AuditPlan plan) {
        SparkConf conf = conf();
        String catalog = "spark.sql.catalog." + plan.catalogName();
        conf.set(catalog, "org.apache.iceberg.spark.SparkCatalog");
        plan.catalogProperties().forEach((k, v) -> conf.set(catalog + "." + k, v));
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        if (spark.sparkContext().isLocal()) {
            // Each Kafka consumer prints its whole configuration at INFO: the report would drown.
            spark.sparkContext().setLogLevel("WARN");
        }
        return spark;
    }

    /** The master spark-submit gives, else local mode (no UI, few shuffle partitions); the shared SQL's dialect. */
    static SparkConf conf() {
        SparkConf conf = new SparkConf().setAppName("truthline-audit");
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
            conf.setIfMissing("spark.ui.enabled", "false");
            // A few hundred tasks per shuffle is for a cluster; on one machine each task is start-up time.
            conf.setIfMissing("spark.sql.shuffle.partitions",
                    String.valueOf(Runtime.getRuntime().availableProcessors()));
        }
        conf.set("spark.sql.ansi.enabled", "true");
        conf.set("spark.sql.ansi.doubleQuotedIdentifiers", "true");
        return conf;
    }
}
