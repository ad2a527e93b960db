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

    /**
     * The Iceberg variant still runs: one small pass of the reference chain into the real Iceberg sink (its plugin
     * folder on plugin.path, a JdbcCatalog on embedded PostgreSQL), on the other Struct format; the table read back
     * holds every record once.
     */
    @Test
    void theIcebergSinkCommitsEveryRecordOnceAndTheReportSaysSo() throws Exception {
        long records = 2_000;
        PipelineBenchmark.Options options = new PipelineBenchmark.Options();
        options.records = records;
        options.repo = Path.of("..");
        options.work = Path.of("target/pipeline-smoke-iceberg");
        options.sink = Sink.ICEBERG;
        options.commitIntervalMs = 1_000;
        options.tasks = 1;
        options.chains = List.of(Chain.CHAIN);
        options.formats = List.of(WireFormat.JSON_SCHEMA_CONTENT);
        options.warmupRounds = 0;
        options.workerHeap = "512m";

        PipelineReport report = PipelineBenchmark.run(options, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));

        assertThat(report.measurements()).hasSize(1);
        Measurement m = report.measurements().get(0);
        assertThat(m.iceberg().rows()).isEqualTo(records);
        assertThat(m.iceberg().distinctOffsets()).isEqualTo(records);
        assertThat(m.iceberg().commits()).isPositive();
        assertThat(m.iceberg().dataFiles()).isPositive();
        assertThat(m.iceberg().fileBytes()).isPositive();
        assertThat(m.commitSeconds()).isNotNegative();
        JsonNode json = ConnectRest.JSON.readTree(Files.readString(options.json()));
        assertThat(json.path("sink").asText()).isEqualTo("iceberg");
        assertThat(json.path("commitIntervalMs").asLong()).isEqualTo(1_000);
        assertThat(json.path("summary").get(0).path("iceberg").path("rows").asLong()).isEqualTo(records);
        assertThat(json.path("measurements").get(0).path("iceberg").path("dataFiles").asLong()).isPositive();
        assertThat(report.table()).contains("sink: iceberg", "commit interval 1,000 ms", "data files");
    }
}
