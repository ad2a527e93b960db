package dev.truthline.audit.spark;

import java.io.PrintWriter;
import java.util.List;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.truthline.audit.AuditMain;
import dev.truthline.audit.AuditPlan;
import dev.truthline.audit.AuditRange;
import dev.truthline.audit.AuditResult;
import dev.truthline.audit.AuditSettings;
import dev.truthline.audit.FateAssignment;
import dev.truthline.audit.OptionException;
import dev.truthline.audit.PipelineAudit;
import dev.truthline.audit.ReconcilePlan;
import dev.truthline.audit.Reconciliation;

/**
 * {@code truthline audit} on Spark SQL, for volumes beyond one machine: the same settings ({@code name=value}, as
 * {@link AuditSettings}, read by {@link AuditMain#run(List, PrintWriter, PrintWriter, AuditMain.Engine)} for both
 * engines), the same discovery, the same change identity and the same classification SQL
 * ({@link FateAssignment#FATES_QUERY}, {@link Reconciliation#QUERY}) as the one-machine audit, over the same stores read
 * by Spark ({@link SparkStores}); the same report (console or JSON, plus {@code "engine": "spark …"}). Exit code 0 when
 * everything is explained, 1 when anything is not, 2 when it cannot judge.
 *
 * <p>Runs under {@code spark-submit} (the cluster's master) or as {@code java -cp 'target/libs/*'} (Spark in local mode
 * when no {@code spark.master} is set). The range options, the checkpoint and the HTML page are the one-machine
 * audit's only.
 */
public final class SparkAudit implements AuditMain.Engine {

    private String version = "?";

    SparkAudit() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int run(List<String> args, PrintWriter out, PrintWriter err) {
        return AuditMain.run(args, out, err, new SparkAudit());
    }

    @Override
    public String command() {
        return "truthline audit (spark)";
    }

    @Override
    public void refuse(AuditSettings settings) {
        String why = "the one-machine audit's (truthline audit) only; on Spark the whole topics are audited";
        AuditRange range = settings.range();
        if (!range.since().none()) {
            throw new OptionException(range.since().option(), why);
        }
        if (!range.until().none()) {
            throw new OptionException(range.until().option(), why);
        }
        if (settings.checkpoint != null) {
            throw new OptionException("--checkpoint", why);
        }
        if (settings.htmlOutput != null) {
            throw new OptionException("--html-output", "the HTML page is " + why);
        }
        if ("html".equals(settings.format)) {
            throw new OptionException("--format", "html is " + why);
        }
    }

    @Override
    public PipelineAudit.Outcome audit(AuditSettings settings, AuditPlan plan, ReconcilePlan reconcile)
            throws Exception {
        try (SparkSession spark = session(plan)) {
            version = spark.version();
            return audit(spark, plan, reconcile, settings.listLimit);
        }
    }

    @Override
    public void describe(ObjectNode json) {
        json.put("engine", "spark " + version);
    }

    /**
     * Reads the stores and assigns the fates on {@code spark} (the time counts both); then, when {@code reconcile} is
     * given, reads both tables through Spark's JDBC source and reconciles them (timed on its own).
     */
    static PipelineAudit.Outcome audit(SparkSession spark, AuditPlan plan, ReconcilePlan reconcile, int listLimit)
            throws Exception {
        long start = System.nanoTime();
        SparkStores stores = new SparkStores(spark, plan);
        SparkStores.Read read = stores.read();
        SparkFateSql engine = new SparkFateSql(spark);
        AuditResult result = FateAssignment.assign(engine, listLimit);
        long audited = System.nanoTime();
        Reconciliation.Result reconciliation = null;
        if (reconcile != null) {
            stores.readCurrentState(reconcile);
            reconciliation = Reconciliation.run(engine, listLimit);
        }
        long end = System.nanoTime();
        return new PipelineAudit.Outcome(result, read.ranges(), read.captured(), read.deadLetters(),
                read.deadLettersWithoutContext(), read.dataFiles(), (audited - start) / 1_000_000, null,
                reconciliation, (end - audited) / 1_000_000);
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

    /**
     * The master spark-submit gives, else local mode (no UI, few shuffle partitions); the shared SQL's dialect; no
     * runtime Bloom filters.
     */
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
        // The audit's joins pair nearly every row (each event with its row, dead letter or identity): a runtime Bloom
        // filter prunes nothing there, yet costs an aggregate job per filter and puts its bit array (megabytes) in the
        // binary of every task of the joins: 18-21 MiB task binaries on the demo's few thousand events, none without.
        conf.setIfMissing("spark.sql.optimizer.runtime.bloomFilter.enabled", "false");
        return conf;
    }
}
