package dev.truthline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * The replay's options and how they become the settings of the replay's own JVM; the refusal below comes from that
 * JVM (the replay module must be packaged).
 */
class ReplayCommandTest {

    private static ReplayCommand parse(String... args) {
        CommandLine.ParseResult result = Truthline.commandLine().parseArgs(args);
        return (ReplayCommand) result.subcommand().commandSpec().userObject();
    }

    @Test
    void optionsBecomeTheReplaysSettings() {
        ReplayCommand replay = parse("replay", "--connect-url", "http://connect:8083", "--cause", "q-0123456789",
                "--cause", "d-abcdef0123", "--position", "orders.events.dlq/0/5-9", "--key", "42", "--since",
                "2026-12-01T00:00:00Z", "--dry-run", "--again", "--beyond-window", "--replay-id", "fix-status",
                "--operator", "ana", "--json", "--env", "TRUTHLINE_TASKS=2", "--bootstrap-servers", "kafka:9092",
                "--landing", "orders-silver");
        assertThat(replay.settingsArguments()).containsExactly("connectUrl=http://connect:8083",
                "landing=orders-silver", "bootstrapServers=kafka:9092", "cause=q-0123456789", "cause=d-abcdef0123",
                "position=orders.events.dlq/0/5-9", "key=42", "since=2026-12-01T00:00:00Z", "again=true",
                "dryRun=true", "beyondWindow=true", "replayId=fix-status", "operator=ana", "format=json",
                "env.TRUTHLINE_TASKS=2");
        assertThat(parse("replay", "--connectors", "cfg", "--all", "--json-output", "out/r.json").settingsArguments())
                .containsExactly("connectors=" + Path.of("cfg").toAbsolutePath(), "all=true",
                        "jsonOutput=" + Path.of("out/r.json").toAbsolutePath());
    }

    @Test
    void theHelpNamesEveryOption() {
        CliRun help = CliRun.of("replay", "--help");
        assertThat(help.exit()).as(help.toString()).isZero();
        for (String option : new String[] {"--connect-url", "--connectors", "--env-file", "--landing", "--cause",
                "--position", "--key", "--since", "--all", "--again", "--dry-run", "--beyond-window", "--replay-id",
                "--operator", "--json", "--json-output"}) {
            assertThat(help.out()).contains(option);
        }
    }

    @Test
    void withoutASelectorTheReplayRefusesNamingAll() {
        CliRun run = CliRun.of("replay", "--connectors", Path.of(System.getProperty("truthline.home"),
                "connector-configs", "orders").toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--all").contains("at least one selector");
    }
}
