package dev.truthline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * The audit's options and how they become the settings of the audit's own JVM; the refusal below comes from that JVM
 * (the audit module must be packaged). The audit of a real pipeline runs in iceberg-sink-config's OrdersPipelineIT.
 */
class AuditCommandTest {

    private static AuditCommand parse(String... args) {
        CommandLine.ParseResult result = Truthline.commandLine().parseArgs(args);
        return (AuditCommand) result.subcommand().commandSpec().userObject();
    }

    @Test
    void optionsBecomeTheAuditsSettings() {
        AuditCommand audit = parse("audit", "--connect-url", "http://connect:8083", "--landing", "orders-silver",
                "--bootstrap-servers", "kafka:9092", "--since", "2026-12-04T16:00:00Z", "--format", "json",
                "--memory-limit", "1GB", "--env", "TRUTHLINE_TASKS=2");
        assertThat(audit.settingsArguments()).containsExactly("connectUrl=http://connect:8083",
                "landing=orders-silver", "bootstrapServers=kafka:9092", "since=2026-12-04T16:00:00Z", "format=json",
                "memoryLimit=1GB", "env.TRUTHLINE_TASKS=2");
    }

    @Test
    void rangesByOffsetsAndSnapshotsBecomeSettings() {
        AuditCommand audit = parse("audit", "--connectors", "/p", "--since-offsets", "orders.events.v1:0=1200,1=900",
                "--since-offsets", "orders.events.v1.quarantine:0=7", "--until-snapshot", "8123");
        assertThat(audit.settingsArguments()).containsExactly("connectors=/p",
                "sinceOffsets=orders.events.v1:0=1200,1=900;orders.events.v1.quarantine:0=7", "untilSnapshot=8123",
                "format=console", "memoryLimit=512MB");
        assertThat(parse("audit", "--connectors", "/p", "--since-snapshot", "1", "--until-offsets", "t:0=5")
                .settingsArguments()).contains("sinceSnapshot=1", "untilOffsets=t:0=5");
    }

    @Test
    void reconciliationOptionsBecomeSettingsAndPasswordsStayReferences() {
        AuditCommand audit = parse("audit", "--connectors", "/p", "--current-table", "orders_current",
                "--source-jdbc", "jdbc:postgresql://db:5432/shop", "--source-password", "${env:PG_PASSWORD}",
                "--lsn-column", "lsn");
        assertThat(audit.settingsArguments()).containsExactly("connectors=/p", "format=console", "memoryLimit=512MB",
                "sourceJdbc=jdbc:postgresql://db:5432/shop", "sourcePassword=${env:PG_PASSWORD}",
                "currentTable=orders_current", "lsnColumn=lsn");
        assertThat(parse("audit", "--connectors", "/p", "--reconcile").settingsArguments())
                .containsExactly("connectors=/p", "format=console", "memoryLimit=512MB", "reconcile=true");
    }

    @Test
    void theHtmlPageGoesToStandardOutputOrToAFile() {
        AuditCommand audit = parse("audit", "--connectors", "cfg", "--format", "html", "--html-output", "out/audit.html");
        assertThat(audit.settingsArguments()).contains("format=html",
                "htmlOutput=" + Path.of("out/audit.html").toAbsolutePath());
    }

    @Test
    void connectAndFilesExcludeEachOther() {
        CliRun both = CliRun.of("audit", "--connect-url", "http://c:8083", "--connectors", "x");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        CliRun none = CliRun.of("audit");
        assertThat(none.exit()).isEqualTo(2);
    }

    @Test
    void theAuditRunsOnItsOwnClassPathAndTheCommandLineCarriesNoDuckDb() {
        assertThat(ChildJvm.classPath(Path.of("/r"), "audit", "truthline-audit.jar"))
                .isEqualTo("/r/audit/target/truthline-audit.jar" + java.io.File.pathSeparator + "/r/audit/target/lib/*");
        for (String absent : List.of("org.duckdb.DuckDBConnection", "org.apache.iceberg.Table",
                "dev.truthline.audit.AuditMain")) {
            assertThatThrownBy(() -> Class.forName(absent)).as(absent).isInstanceOf(ClassNotFoundException.class);
        }
    }

    @Test
    void aValueTheOperatorDidNotGiveMeansCannotJudge() {
        CliRun run = CliRun.of("audit", "--connectors", Path.of(System.getProperty("truthline.home"),
                "connector-configs", "orders").toString(), "--work-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "audit").toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("cannot judge").contains("${env:TRUTHLINE_ICEBERG_CATALOG_URI}");
    }
}
