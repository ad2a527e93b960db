package dev.truthline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * The demo's options and how they become the settings of the demo's own JVM; refusals come from that JVM (these
 * tests start it, so the demo module must be packaged). The pipeline itself runs end to end in demo/'s
 * DemoPipelineIT (a broker, a worker and PostgreSQL are too much for a unit test).
 */
class DemoCommandTest {

    private static DemoCommand parse(String... args) {
        CommandLine cli = Truthline.commandLine();
        CommandLine.ParseResult result = cli.parseArgs(args);
        return (DemoCommand) result.subcommand().commandSpec().userObject();
    }

    @Test
    void theDefaultsAreTheIssuesDemo() {
        assertThat(parse("demo").settingsArguments()).containsExactly("changes=100000", "rate=1000",
                "invalidShare=0.05", "duplicateShare=0.03", "seed=42", "killWorker=false", "killAfterRewind=false",
                "brokers=1", "killBroker=false", "keepRunning=false", "observe=false", "pgUser=postgres");
    }

    @Test
    void optionsBecomeTheDemosSettings() {
        DemoCommand demo = parse("demo", "--changes", "2000", "--rate", "500", "--invalid-share", "0.1",
                "--duplicate-share", "0.05", "--seed", "7", "--kill-worker", "--kill-after-rewind", "--keep-running",
                "--connectors", "cfg",
                "--work-dir", "w", "--pg-url", "jdbc:postgresql://db:5432/shop", "--pg-user", "u", "--pg-password", "p",
                "--env", "TRUTHLINE_TASKS=2", "--plugin-path", "a,b", "--kafka-libs", "libs", "--observe",
                "--prometheus", "/usr/bin/prometheus", "--brokers", "3", "--kill-broker");
        assertThat(demo.settingsArguments()).containsExactly("changes=2000", "rate=500", "invalidShare=0.1",
                "duplicateShare=0.05", "seed=7", "killWorker=true", "killAfterRewind=true", "brokers=3", "killBroker=true",
                "keepRunning=true",
                "observe=true", "prometheus=/usr/bin/prometheus", "pgUser=u", "connectors=cfg",
                "workDir=w", "pluginPath=a,b", "kafkaLibs=libs", "pgUrl=jdbc:postgresql://db:5432/shop",
                "env.TRUTHLINE_TASKS=2");
        assertThat(demo.settingsArguments()).as("the password travels in the environment, not the command line")
                .noneMatch(a -> a.startsWith("pgPassword"));
    }

    @Test
    void theDemoRunsOnItsOwnClassPathAndTheCommandLineCarriesNoIceberg() {
        assertThat(DemoCommand.demoClassPath(Path.of("/r"))).isEqualTo("/r/demo/target/truthline-demo.jar"
                + java.io.File.pathSeparator + "/r/demo/target/lib/*");
        for (String absent : List.of("org.apache.iceberg.Table", "org.apache.hadoop.conf.Configuration",
                "io.zonky.test.db.postgres.embedded.EmbeddedPostgres", "dev.truthline.demo.DemoPipeline")) {
            assertThatThrownBy(() -> Class.forName(absent)).as(absent).isInstanceOf(ClassNotFoundException.class);
        }
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

        CliRun kill = CliRun.of("demo", "--kill-broker");
        assertThat(kill.exit()).as(kill.toString()).isEqualTo(2);
        assertThat(kill.err()).contains("--kill-broker needs --brokers 3 or more");
        assertThat(kill.out()).doesNotContain("PostgreSQL");
    }
}
