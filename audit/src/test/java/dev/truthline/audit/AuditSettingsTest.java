package dev.truthline.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit JVM's settings, the operator's values and the checkpoint. */
class AuditSettingsTest {

    @TempDir
    Path dir;

    @Test
    void settingsFromArguments() throws Exception {
        Path env = dir.resolve("pipeline.env");
        Files.writeString(env, "# the catalog\nexport TRUTHLINE_ICEBERG_CATALOG_URI=\"jdbc:postgresql://db/c\"\n"
                + "TRUTHLINE_TASKS=3\n\n");
        AuditSettings s = AuditSettings.fromArguments(List.of("connectors=cfg", "envFile=" + env,
                "since=2026-12-04T16:00:00Z", "until=1764867600000", "env.TRUTHLINE_TASKS=6", "format=json"));
        assertThat(s.connectors).isEqualTo(Path.of("cfg"));
        assertThat(s.since.timeMs()).isEqualTo(1796400000000L);
        assertThat(s.until.timeMs()).isEqualTo(1764867600000L);
        assertThat(s.operatorValues()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "TRUTHLINE_ICEBERG_CATALOG_URI", "jdbc:postgresql://db/c", "TRUTHLINE_TASKS", "6"));
    }

    @Test
    void theHtmlPageIsAFormatAndAFile() {
        AuditSettings s = AuditSettings.fromArguments(List.of("connectors=c", "format=html", "htmlOutput=out/a.html"));
        assertThat(s.format).isEqualTo("html");
        assertThat(s.htmlOutput).isEqualTo(Path.of("out/a.html"));
        assertThatThrownBy(() -> AuditSettings.fromArguments(List.of("connectors=c", "format=pdf")))
                .hasMessageContaining("format is console, json or html, not pdf");
    }

    @Test
    void anAuditThatCannotJudgeStillWritesItsPageSayingWhy() throws Exception {
        Path page = dir.resolve("out/audit.html");
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = AuditMain.run(List.of("connectors=" + Path.of("..", "connector-configs", "orders").toAbsolutePath(),
                "workDir=" + dir.resolve("work"), "htmlOutput=" + page), new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(err, true));
        assertThat(exit).as(err.toString()).isEqualTo(AuditResult.CANNOT_JUDGE);
        assertThat(Files.readString(page)).contains("verdict cannot-judge")
                .contains(HtmlReport.esc("${env:TRUTHLINE_ICEBERG_CATALOG_URI}"));
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> AuditSettings.fromArguments(List.of("format=json")))
                .hasMessageContaining("either the Connect REST URL or connector files");
        assertThatThrownBy(() -> AuditSettings.fromArguments(List.of("connectors=c", "since=yesterday")))
                .hasMessageContaining("--since: an ISO-8601 instant or epoch milliseconds, not yesterday");
        assertThatThrownBy(() -> AuditSettings.fromArguments(List.of("connectors=c", "memoryLimit=1'; DROP")))
                .hasMessageContaining("memory limit");
        assertThatThrownBy(() -> AuditSettings.fromArguments(List.of("connectors=c", "colour=red")))
                .hasMessageContaining("unknown setting colour");
    }

    @Test
    void rangesByOffsetsAndSnapshots() throws Exception {
        AuditSettings s = AuditSettings.fromArguments(List.of("connectors=c",
                "sinceOffsets=orders.events.v1:0=1200,1=900;orders.events.v1.quarantine:2=7", "untilSnapshot=-42"));
        assertThat(s.since.offsets()).containsExactlyInAnyOrderEntriesOf(Map.of(
                new TopicPartition("orders.events.v1", 0), 1200L, new TopicPartition("orders.events.v1", 1), 900L,
                new TopicPartition("orders.events.v1.quarantine", 2), 7L));
        assertThat(s.until.snapshotId()).isEqualTo(-42L);
        assertThat(s.range().whole()).isFalse();

        // A checkpoint file is a set of offsets too: the previous run's stop is this run's start.
        Path file = dir.resolve("orders.checkpoint");
        Checkpoint.write(file, Map.of(new TopicPartition("orders.events.v1", 3), new TopicRanges.Range(0, 55)));
        assertThat(AuditSettings.fromArguments(List.of("connectors=c", "untilOffsets=" + file)).until.offsets())
                .containsExactlyEntriesOf(Map.of(new TopicPartition("orders.events.v1", 3), 55L));
        assertThat(AuditSettings.fromArguments(List.of("connectors=c")).range().whole()).isTrue();
    }

    @Test
    void badRangeValuesNameTheirOption() {
        Map<List<String>, String> bad = new java.util.LinkedHashMap<>();
        bad.put(List.of("sinceOffsets=orders.events.v1:0"), "--since-offsets");
        bad.put(List.of("sinceOffsets=orders.events.v1:x=5"), "--since-offsets");
        bad.put(List.of("untilOffsets=orders.events.v1:0=-1"), "--until-offsets");
        bad.put(List.of("untilOffsets=orders.events.v1:0=1,0=2"), "--until-offsets");
        bad.put(List.of("untilOffsets=no-such-file"), "--until-offsets");
        bad.put(List.of("sinceSnapshot=latest"), "--since-snapshot");
        bad.put(List.of("untilSnapshot="), "--until-snapshot");
        bad.put(List.of("until=tomorrow"), "--until");
        bad.put(List.of("since=1", "sinceSnapshot=5"), "--since-snapshot");
        bad.put(List.of("untilOffsets=t:0=5", "until=1"), "--until");
        bad.put(List.of("sinceOffsets=t:0=9", "untilOffsets=t:0=5"), "--until-offsets");
        bad.forEach((args, option) -> {
            List<String> all = new java.util.ArrayList<>(List.of("connectors=c"));
            all.addAll(args);
            assertThatThrownBy(() -> AuditSettings.fromArguments(all)).as(args.toString())
                    .isInstanceOfSatisfying(OptionException.class, e -> assertThat(e.option()).isEqualTo(option));
        });
        assertThatThrownBy(() -> AuditSettings.fromArguments(List.of("connectors=c", "sinceSnapshot=1",
                "untilOffsets=t:0=1", "sinceOffsets=t:0=0"))).hasMessage("--since-offsets: the range starts once: "
                        + "--since-snapshot is given too");
    }

    @Test
    void anAuditWithABadRangeExitsTwoNamingTheOption() {
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = AuditMain.run(List.of("connectors=c", "untilSnapshot=yesterday"),
                new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err, true));
        assertThat(exit).isEqualTo(AuditResult.CANNOT_JUDGE);
        assertThat(err.toString()).startsWith("truthline audit: --until-snapshot: a snapshot id of the landing table");
    }

    @Test
    void theCheckpointHoldsWhereEachPartitionStopped() throws Exception {
        Path file = dir.resolve("state/orders.checkpoint");
        assertThat(Checkpoint.read(file)).isEmpty();
        Checkpoint.write(file, Map.of(new TopicPartition("orders.events.v1", 0), new TopicRanges.Range(0, 120),
                new TopicPartition("orders.events.v1.quarantine", 2), new TopicRanges.Range(5, 9)));
        assertThat(Checkpoint.read(file)).containsExactlyInAnyOrderEntriesOf(Map.of(
                new TopicPartition("orders.events.v1", 0), 120L,
                new TopicPartition("orders.events.v1.quarantine", 2), 9L));
    }
}
