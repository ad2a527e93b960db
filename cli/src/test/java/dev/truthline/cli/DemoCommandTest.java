package dev.truthline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.truthline.demo.DemoSettings;
import picocli.CommandLine;

/**
 * The demo's options and how they become the pipeline's settings. The pipeline itself runs end to end in
 * demo/'s DemoPipelineIT (a broker, a worker and PostgreSQL are too much for a unit test).
 */
class DemoCommandTest {

    private static DemoCommand parse(String... args) {
        CommandLine cli = Truthline.commandLine();
        CommandLine.ParseResult result = cli.parseArgs(args);
        return (DemoCommand) result.subcommand().commandSpec().userObject();
    }

    @Test
    void theDefaultsAreTheIssuesDemo() {
        DemoSettings s = parse("demo").settings();
        assertThat(s.changes).isEqualTo(100_000);
        assertThat(s.rate).isEqualTo(1_000);
        assertThat(s.invalidShare).isEqualTo(0.05);
        assertThat(s.duplicateShare).isEqualTo(0.03);
        assertThat(s.killWorker).isFalse();
        assertThat(s.keepRunning).isFalse();
        Path home = DemoCommand.home();
        assertThat(s.workDir).isEqualTo(home.resolve("target/demo"));
        assertThat(s.kafkaLibs).isEqualTo(home.resolve("demo-kafka/target/libs"));
        assertThat(s.pluginPath).contains(home.resolve("demo/target/plugins"));
        assertThat(s.connectors).isEqualTo(DemoSettings.defaultConnectors(home));
    }

    @Test
    void optionsBecomeSettings() {
        DemoSettings s = parse("demo", "--changes", "2000", "--rate", "500", "--invalid-share", "0.1",
                "--duplicate-share", "0.05", "--seed", "7", "--kill-worker", "--keep-running", "--connectors", "cfg",
                "--work-dir", "w", "--pg-url", "jdbc:postgresql://db:5432/shop", "--pg-user", "u", "--pg-password", "p",
                "--env", "TRUTHLINE_TASKS=2", "--plugin-path", "a,b", "--kafka-libs", "libs").settings();
        assertThat(s.changes).isEqualTo(2_000);
        assertThat(s.rate).isEqualTo(500);
        assertThat(s.invalidShare).isEqualTo(0.1);
        assertThat(s.duplicateShare).isEqualTo(0.05);
        assertThat(s.seed).isEqualTo(7);
        assertThat(s.killWorker).isTrue();
        assertThat(s.keepRunning).isTrue();
        assertThat(s.connectors).isEqualTo(Path.of("cfg"));
        assertThat(s.workDir).isEqualTo(Path.of("w"));
        assertThat(s.pgUrl).isEqualTo("jdbc:postgresql://db:5432/shop");
        assertThat(s.pgUser).isEqualTo("u");
        assertThat(s.pgPassword).isEqualTo("p");
        assertThat(s.env).containsEntry("TRUTHLINE_TASKS", "2");
        assertThat(s.pluginPath).isEqualTo(List.of(Path.of("a"), Path.of("b")));
        assertThat(s.kafkaLibs).isEqualTo(Path.of("libs"));
    }

    @Test
    void anExistingConnectClusterNeedsItsKafkaAndCannotBeKilled() {
        CliRun noKafka = CliRun.of("demo", "--connect-url", "http://connect:8083");
        assertThat(noKafka.exit()).as(noKafka.toString()).isEqualTo(2);
        assertThat(noKafka.err()).contains("--connect-url needs --bootstrap-servers");

        CliRun kill = CliRun.of("demo", "--connect-url", "http://connect:8083", "--bootstrap-servers", "kafka:9092",
                "--kill-worker");
        assertThat(kill.exit()).as(kill.toString()).isEqualTo(2);
        assertThat(kill.err()).contains("--kill-worker needs the demo's own Connect worker");
    }

    @Test
    void sharesOutOfRangeAreRefusedBeforeAnythingStarts() {
        CliRun run = CliRun.of("demo", "--duplicate-share", "0.9");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--duplicate-share within [0, 0.5]");
        assertThat(run.out()).doesNotContain("PostgreSQL");
    }
}
