package dev.truthline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * Triage's options and how they become the settings of its own JVM (the audit's class path); the refusal below comes
 * from that JVM (the audit module must be packaged). Triage of a real pipeline runs in the reference pipeline's IT.
 */
class TriageCommandTest {

    private static TriageCommand parse(String... args) {
        CommandLine.ParseResult result = Truthline.commandLine().parseArgs(args);
        return (TriageCommand) result.subcommand().commandSpec().userObject();
    }

    @Test
    void optionsBecomeTriagesSettings() {
        TriageCommand triage = parse("triage", "--connect-url", "http://connect:8083", "--landing", "orders-silver",
                "--bootstrap-servers", "kafka:9092", "--since", "7d", "--json", "--env", "TRUTHLINE_TASKS=2");
        assertThat(triage.settingsArguments()).containsExactly("connectUrl=http://connect:8083",
                "landing=orders-silver", "bootstrapServers=kafka:9092", "since=7d", "format=json",
                "env.TRUTHLINE_TASKS=2");
    }

    @Test
    void filesAreGivenToTheChildAsAbsolutePaths() {
        TriageCommand triage = parse("triage", "--connectors", "cfg", "--env-file", "prod.env", "--html",
                "out/defects.html", "--json-output", "out/defects.json");
        assertThat(triage.settingsArguments()).containsExactly("connectors=" + Path.of("cfg").toAbsolutePath(),
                "envFile=" + Path.of("prod.env").toAbsolutePath(),
                "jsonOutput=" + Path.of("out/defects.json").toAbsolutePath(),
                "htmlOutput=" + Path.of("out/defects.html").toAbsolutePath());
    }

    @Test
    void helpShowsEnvReferencesAsWrittenNotAsThisProcesssEnvironment() {
        // picocli would read ${env:NAME} as its own variable: the audit's help failed on the null it gave.
        for (String command : new String[] {"triage", "audit"}) {
            CliRun help = CliRun.of(command, "--help");
            assertThat(help.exit()).as(help.toString()).isZero();
            assertThat(help.out()).contains("One ${env:NAME} value.").doesNotContain("null");
        }
        assertThat(CliRun.of("audit", "--help").out()).contains("--source-password=${env:NAME}");
    }

    @Test
    void connectAndFilesExcludeEachOther() {
        CliRun both = CliRun.of("triage", "--connect-url", "http://c:8083", "--connectors", "x");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        assertThat(CliRun.of("triage").exit()).isEqualTo(2);
    }

    @Test
    void triageRunsInTheAuditsJvmAndAValueTheOperatorDidNotGiveMeansCannotJudge() {
        CliRun run = CliRun.of("triage", "--connectors", Path.of(System.getProperty("truthline.home"),
                "connector-configs", "orders").toString(), "--since", "7d");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("truthline triage: cannot judge: ")
                .contains("${env:TRUTHLINE_KAFKA_BOOTSTRAP}");
    }

    @Test
    void aBadSinceIsRefusedByName() {
        CliRun run = CliRun.of("triage", "--connectors", "x", "--since", "last week");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--since: a duration (7d, 24h, PT1H)");
    }
}
