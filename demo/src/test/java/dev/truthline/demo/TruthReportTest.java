package dev.truthline.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.truthline.demo.TruthReport.Equation;
import dev.truthline.demo.TruthReport.Latency;
import dev.truthline.demo.TruthReport.Throughput;

import dev.truthline.connect.harness.ConnectRest;

class TruthReportTest {

    @Test
    void theEquationBalancesWhenEveryEventIsInExactlyOnePlace() {
        Equation e = Equation.of(105_023, 95_033, 1_338, 3_886, 4_766, 0, 0);
        assertThat(e.balanced()).isTrue();
        assertThat(e.difference()).isZero();
        assertThat(Equation.of(105_023, 95_033, 1_338, 3_886, 4_766, 1, 0).balanced()).as("an event unexplained")
                .isFalse();
        assertThat(Equation.of(105_023, 95_033, 1_338, 3_886, 4_766, 0, 1).balanced()).as("a silver row unexplained")
                .isFalse();
    }

    @Test
    void theEquationNamesHowFarItIsOff() {
        Equation missing = Equation.of(1_000, 900, 10, 40, 45, 5, 0);
        assertThat(missing.balanced()).isFalse();
        assertThat(missing.difference()).isEqualTo(5); // five events are nowhere
        Equation twice = Equation.of(1_000, 910, 10, 40, 45, 0, 5);
        assertThat(twice.difference()).isEqualTo(-5); // five landed more than once
    }

    @Test
    void throughputIsEventsOverTheTimeFromFirstCommitToLastSnapshot() {
        Throughput t = Throughput.of(10_000, 1_000_000, 1_010_000, 8_000, 4.0);
        assertThat(t.eventsPerSecond()).isEqualTo(1_000.0);
        assertThat(t.secondsFirstCommitToLastSnapshot()).isEqualTo(10.0);
        assertThat(t.writesPerSecond()).isEqualTo(2_000.0);
    }

    @Test
    void theJsonReportHasSnakeCaseKeysAndTheEquation(@TempDir Path dir) throws Exception {
        TruthReport report = new TruthReport(
                new TruthReport.Run("orders", 100, 100, Map.of("inserts", 100), Map.of("source", 3, "silver", 2), 0.05,
                        0.03, 2, false, 3,
                        new TruthReport.BrokerKill(2, "leader of orders.events.v1 partitions [0, 3]", 50, 20, true, 3.1,
                                14.2, 40), 42, 0, 1.0, 60.0),
                new TruthReport.Captured(110, 108, 2, 0, 10),
                new TruthReport.Landed(108L, 95, 0L, 2L, 60L, 63),
                2, 5, new TruthReport.Dropped(8, 8L, true), Equation.of(110, 95, 2, 5, 8, 0, 0),
                List.of(new TruthReport.Check("changes written = distinct changes captured", 100, 100, true)),
                new Latency("silver.orders", 95, 2, 3, 3), Throughput.of(110, 0, 10_000, 100, 1.0),
                new TruthReport.TimeTravel(1L, 2L, 50, 95, 2, 4), 0, List.of());
        Path file = dir.resolve("truth-report.json");
        report.writeJson(file);
        JsonNode json = ConnectRest.JSON.readTree(Files.readString(file));
        assertThat(json.path("equation").path("balanced").asBoolean()).isTrue();
        assertThat(json.path("captured").path("change_topic").asLong()).isEqualTo(108);
        assertThat(json.path("dead_lettered").asLong()).isEqualTo(5);
        assertThat(json.path("holds").asBoolean()).isTrue();
        assertThat(json.path("checks").get(0).path("holds").asBoolean()).isTrue();
        assertThat(json.path("run").path("invalid_written").path("source").asInt()).isEqualTo(3);
        assertThat(json.path("latency").path("p95_ms").asLong()).isEqualTo(3);
        assertThat(json.path("time_travel").path("rows_then").asLong()).isEqualTo(50);
        assertThat(json.path("run").path("brokers").asInt()).isEqualTo(3);
        assertThat(json.path("run").path("broker_killed").path("node").asInt()).isEqualTo(2);
        assertThat(json.path("run").path("broker_killed").path("mid_stream").asBoolean()).isTrue();
        assertThat(json.path("run").path("broker_killed").path("in_sync_seconds").asDouble()).isEqualTo(14.2);
    }
}
