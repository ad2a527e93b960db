package dev.truthline.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code truthline audit}: where every captured event of a running pipeline went. The audit runs in a JVM of its own
 * on the audit module's class path ({@code audit/target/truthline-audit.jar} and {@code audit/target/lib/}), so the
 * command line carries no Iceberg, Hadoop, PostgreSQL or DuckDB: this class turns the options into the audit's
 * {@code name=value} settings and passes its output and exit code through.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Gives every event a pipeline captured (its change topic and source quarantine) exactly one fate: "
                + "landed (table, row), quarantined (rules), dead_lettered (connector, reason), duplicate (of the landed "
                + "copy, same change identity as Deduplicate's) or unexplained (topic/partition/offset and key).",
                "Discovers the pipeline from Connect's REST API or connector files. Exit code 0 when everything is "
                        + "explained, 1 when anything is not, 2 when it cannot judge."})
final class AuditCommand implements Callable<Integer> {

    static final String AUDIT_MAIN = "dev.truthline.audit.AuditMain";

    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--since", paramLabel = "TIME", description = "First record time: ISO-8601 instant or epoch ms.")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Record time to stop before (default: the topics' ends).")
    String until;

    @Option(names = "--since-offsets", paramLabel = "TOPIC:P=OFFSET[,P=OFFSET…]",
            description = "First offset per partition (inclusive); repeat per topic; or a checkpoint file's path. "
                    + "Partitions not named start at their start.")
    List<String> sinceOffsets = new ArrayList<>();

    @Option(names = "--until-offsets", paramLabel = "TOPIC:P=OFFSET[,P=OFFSET…]",
            description = "Offset per partition to stop before; repeat per topic; or a checkpoint file's path. "
                    + "Partitions not named end at their end now.")
    List<String> untilOffsets = new ArrayList<>();

    @Option(names = "--since-snapshot", paramLabel = "ID",
            description = "Only events after this snapshot of the landing table: an event belongs to the first "
                    + "snapshot that holds a row at or after its offset in its partition (see docs/proving.md).")
    String sinceSnapshot;

    @Option(names = "--until-snapshot", paramLabel = "ID",
            description = "Only events up to this snapshot of the landing table (inclusive); the tables are read as "
                    + "of it.")
    String untilSnapshot;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "Start where the last fully explained audit stopped; advanced when this one explains everything.")
    Path checkpoint;

    @Option(names = "--format", defaultValue = "console",
            description = "console, json or html (the page on standard output) (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--json-output", paramLabel = "FILE", description = "Also write the JSON report here.")
    Path jsonOutput;

    @Option(names = "--html-output", paramLabel = "FILE",
            description = "Also write the report as one self-contained HTML page here (also when the audit cannot judge).")
    Path htmlOutput;

    @Option(names = "--memory-limit", defaultValue = "512MB",
            description = "Working memory of the embedded engine; beyond it, it spills to --work-dir (default ${DEFAULT-VALUE}).")
    String memoryLimit;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Spill files (default: target/audit).")
    Path workDir;

    @Option(names = "--reconcile", description = "Also reconcile the source table with the current table by key "
            + "(equal, stale, absent, extra, unexplained); implied by any --source-*/--current-* table option. What is "
            + "not given is discovered: the current table from the JDBC sink of the change topic, the source table "
            + "from the Debezium PostgreSQL source.")
    boolean reconcile;

    @Option(names = "--source-jdbc", paramLabel = "URL", description = "JDBC URL of the source database.")
    String sourceJdbc;

    @Option(names = "--source-table", paramLabel = "SCHEMA.TABLE", description = "The captured table.")
    String sourceTable;

    @Option(names = "--source-user", paramLabel = "USER", description = "Source database user (or $${env:NAME}).")
    String sourceUser;

    @Option(names = "--source-password", paramLabel = "$${env:NAME}",
            description = "Source database password: give a $${env:NAME} reference, not the secret itself.")
    String sourcePassword;

    @Option(names = "--current-jdbc", paramLabel = "URL", description = "JDBC URL of the current table's database.")
    String currentJdbc;

    @Option(names = "--current-table", paramLabel = "[SCHEMA.]TABLE", description = "The current-state table.")
    String currentTable;

    @Option(names = "--current-user", paramLabel = "USER", description = "Its database user (or $${env:NAME}).")
    String currentUser;

    @Option(names = "--current-password", paramLabel = "$${env:NAME}",
            description = "Its password: give a $${env:NAME} reference, not the secret itself.")
    String currentPassword;

    @Option(names = "--lsn-column", paramLabel = "COLUMN",
            description = "The current table's source-position column (default: __source_lsn).")
    String lsnColumn;

    @Spec
    CommandSpec spec;

    /** The options as the audit's {@code name=value} settings. */
    List<String> settingsArguments() {
        List<String> a = new ArrayList<>(pipeline.settingsArguments());
        add(a, "since", since);
        add(a, "until", until);
        add(a, "sinceOffsets", sinceOffsets.isEmpty() ? null : String.join(";", sinceOffsets));
        add(a, "untilOffsets", untilOffsets.isEmpty() ? null : String.join(";", untilOffsets));
        add(a, "sinceSnapshot", sinceSnapshot);
        add(a, "untilSnapshot", untilSnapshot);
        add(a, "checkpoint", checkpoint == null ? null : checkpoint.toAbsolutePath().toString());
        add(a, "format", format);
        add(a, "jsonOutput", jsonOutput == null ? null : jsonOutput.toAbsolutePath().toString());
        add(a, "htmlOutput", htmlOutput == null ? null : htmlOutput.toAbsolutePath().toString());
        add(a, "memoryLimit", memoryLimit);
        add(a, "workDir", workDir == null ? null : workDir.toAbsolutePath().toString());
        if (reconcile) {
            a.add("reconcile=true");
        }
        add(a, "sourceJdbc", sourceJdbc);
        add(a, "sourceTable", sourceTable);
        add(a, "sourceUser", sourceUser);
        add(a, "sourcePassword", sourcePassword);
        add(a, "currentJdbc", currentJdbc);
        add(a, "currentTable", currentTable);
        add(a, "currentUser", currentUser);
        add(a, "currentPassword", currentPassword);
        add(a, "lsnColumn", lsnColumn);
        a.addAll(pipeline.envArguments());
        return a;
    }

    private static void add(List<String> a, String name, String value) {
        PipelineOptions.add(a, name, value);
    }

    @Override
    public Integer call() throws Exception {
        return ChildJvm.runModule("audit", "audit", AUDIT_MAIN, settingsArguments(), Map.of(), spec.commandLine());
    }
}
