package dev.truthline.audit.defects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.truthline.audit.OptionException;

/** Triage's settings: the pipeline as the audit reads it, {@code --since} as a duration or an instant, exit codes. */
class TriageSettingsTest {

    private static final Instant NOW = Instant.parse("2026-12-05T04:00:00Z");

    @Test
    void sinceIsADurationBackFromNowOrAnInstant() {
        assertThat(TriageSettings.since("7d", NOW)).isEqualTo(Instant.parse("2026-11-28T04:00:00Z"));
        assertThat(TriageSettings.since("24h", NOW)).isEqualTo(Instant.parse("2026-12-04T04:00:00Z"));
        assertThat(TriageSettings.since("90m", NOW)).isEqualTo(Instant.parse("2026-12-05T02:30:00Z"));
        assertThat(TriageSettings.since("PT1H", NOW)).isEqualTo(Instant.parse("2026-12-05T03:00:00Z"));
        assertThat(TriageSettings.since("P7D", NOW)).isEqualTo(Instant.parse("2026-11-28T04:00:00Z"));
        assertThat(TriageSettings.since("2026-12-01T00:00:00Z", NOW)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(TriageSettings.since("1796083200000", NOW)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        for (String bad : List.of("7 days", "d", "P7X", "yesterday")) {
            assertThatThrownBy(() -> TriageSettings.since(bad, NOW)).as(bad).isInstanceOf(OptionException.class)
                    .extracting(e -> ((OptionException) e).option()).isEqualTo("--since");
        }
    }

    @Test
    void thePipelineIsReadAsTheAuditReadsIt() {
        TriageSettings s = TriageSettings.fromArguments(List.of("connectors=/p", "envFile=/e.env", "env.A=1",
                "landing=orders-silver", "bootstrapServers=k:9092", "since=24h", "format=json", "htmlOutput=d.html"),
                NOW);
        assertThat(s.pipeline.connectors).isEqualTo(Path.of("/p"));
        assertThat(s.pipeline.envFile).isEqualTo(Path.of("/e.env"));
        assertThat(s.pipeline.env).containsEntry("A", "1");
        assertThat(s.pipeline.landing).isEqualTo("orders-silver");
        assertThat(s.pipeline.bootstrapServers).isEqualTo("k:9092");
        assertThat(s.since).isEqualTo(Instant.parse("2026-12-04T04:00:00Z"));
        assertThat(s.format).isEqualTo("json");
        assertThat(s.htmlOutput).isEqualTo(Path.of("d.html"));
        assertThat(TriageSettings.fromArguments(List.of("connectUrl=http://c:8083"), NOW).since).isNull();
    }

    @Test
    void whatTriageCannotTakeExitsTwo() {
        assertThat(run("connectors=/p", "format=html")).startsWith("2 truthline triage: format is console or json");
        assertThat(run("connectors=/p", "until=1")).startsWith("2 truthline triage: unknown setting until");
        assertThat(run("since=1d")).startsWith("2 truthline triage: give either the Connect REST URL or connector files");
        assertThat(run("connectors=/p", "since=soon")).startsWith("2 truthline triage: --since: a duration");
    }

    @Test
    void aValueTheOperatorDidNotGiveMeansCannotJudge() {
        assertThat(run("connectors=" + System.getProperty("truthline.orders.dir")))
                .startsWith("2 truthline triage: cannot judge: orders-silver refers to values")
                .contains("iceberg.kafka.bootstrap.servers=${env:TRUTHLINE_KAFKA_BOOTSTRAP}");
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = TriageMain.run(List.of(args), new PrintWriter(out), new PrintWriter(err));
        return exit + " " + err + out;
    }
}
