package dev.truthline.connect.benchmarks.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.truthline.connect.harness.ConnectRest;

/**
 * The pipeline benchmark still runs: a tiny pass (a forked broker and worker, the packaged plugin on plugin.path)
 * of the JSON-converter baseline and the reference chain over the reference wire format (JSON with schemas; the
 * schemaless writer is proven by {@link OrderChangesTest}). Only the shape of the output and
 * that every configuration read every record are asserted, never a rate.
 */
class PipelineBenchmarkSmokeTest {

    private static final long RECORDS = 20_000;

    @Test
    void everyConfigurationReadsEveryRecordAndTheReportHasItsShape() throws Exception {
        PipelineBenchmark.Options options = new PipelineBenchmark.Options();
        options.records = RECORDS;
        options.repo = Path.of("..");
        options.work = Path.of("target/pipeline-smoke");
        options.chains = List.of(Chain.CONVERTER, Chain.CHAIN);
        options.formats = List.of(WireFormat.JSON_SCHEMAS);
        options.warmupRounds = 0;
        options.workerHeap = "512m";
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        PipelineReport report = PipelineBenchmark.run(options, new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(report.measurements()).hasSize(2);
        for (Measurement m : report.measurements()) {
            assertThat(m.recordsRead()).as("%s %s read", m.format(), m.chain()).isEqualTo(RECORDS);
            // Every change is valid and none is a duplicate: all of them reach the sink.
            assertThat(m.recordsSent()).as("%s %s sent", m.format(), m.chain()).isEqualTo(RECORDS);
            assertThat(m.readRate()).isPositive();
            assertThat(m.taskRates()).hasSize(options.tasks);
            assertThat(m.workerCpuNanos()).isPositive();
        }
        JsonNode json = ConnectRest.JSON.readTree(Files.readString(options.json()));
        assertThat(json.path("records").asLong()).isEqualTo(RECORDS);
        assertThat(json.path("measurements")).hasSize(2);
        assertThat(json.path("summary")).hasSize(2);
        for (JsonNode s : json.path("summary")) {
            assertThat(s.path("recordsPerSecond").asDouble()).isPositive();
            assertThat(s.path("workerCpuNanosPerRecord").asDouble()).isPositive();
            assertThat(s.has("cpuShareVsConverter")).isTrue();
        }
        assertThat(json.path("valueBytes").path("json-schemas").asInt()).isPositive();
        assertThat(report.table()).contains("json-schemas", "converter", "chain", "records/s");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("filled orders.events.json-schemas");
    }
}
