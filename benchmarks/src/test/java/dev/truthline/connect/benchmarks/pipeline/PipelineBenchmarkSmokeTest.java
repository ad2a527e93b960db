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
 * schemaless writer is proven by {@link OrderChangesTest}) into the discarding sink and, in the same run (one broker
 * and worker), of the chain into the real Iceberg sink (its plugin folder on plugin.path, a JdbcCatalog on embedded
 * PostgreSQL).
 * Only the shape of the output, that every configuration read every record and that every Iceberg table holds every
 * record once are asserted, never a rate.
 */
class PipelineBenchmarkSmokeTest {

    private static final long RECORDS = 10_000;

    @Test
    void everyConfigurationReadsEveryRecordEveryTableHoldsThemAndTheReportHasItsShape() throws Exception {
        PipelineBenchmark.Options options = new PipelineBenchmark.Options();
        options.records = RECORDS;
        options.repo = Path.of("..");
        options.work = Path.of("target/pipeline-smoke");
        options.chains = List.of(Chain.CONVERTER, Chain.CHAIN);
        options.formats = List.of(WireFormat.JSON_SCHEMAS);
        options.sinks = List.of(Sink.DISCARD, Sink.ICEBERG);
        options.icebergChains = List.of(Chain.CHAIN);
        options.commitIntervalMs = 1_000;
        // One task: no second consumer joining, so the Iceberg sink's coordinator never moves at a connector's start
        // (Iceberg 1.12 can lose the files of a commit in flight when it does: see benchmarks/README.md).
        options.tasks = 1;
        options.warmupRounds = 0;
        options.workerHeap = "512m";
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        PipelineReport report = PipelineBenchmark.run(options, new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(report.measurements()).hasSize(3);
        for (Measurement m : report.measurements()) {
            String pass = m.sink() + " " + m.format() + " " + m.chain();
            // Every change is valid and none is a duplicate: all of them reach the sink. The Iceberg sink's tasks read
            // again what they had not committed when a rebalance took their partitions: at least every record there.
            if (m.sink() == Sink.DISCARD) {
                assertThat(m.recordsRead()).as("%s read", pass).isEqualTo(RECORDS);
                assertThat(m.recordsSent()).as("%s sent", pass).isEqualTo(RECORDS);
                assertThat(m.iceberg()).isNull();
            } else {
                assertThat(m.recordsRead()).as("%s read", pass).isGreaterThanOrEqualTo(RECORDS);
                assertThat(m.iceberg().rows()).as("%s rows", pass).isEqualTo(RECORDS);
                assertThat(m.iceberg().distinctOffsets()).as("%s distinct offsets", pass).isEqualTo(RECORDS);
                assertThat(m.iceberg().commits()).isPositive();
                assertThat(m.iceberg().dataFiles()).isPositive();
                assertThat(m.iceberg().fileBytes()).isPositive();
                assertThat(m.commitSeconds()).isNotNegative();
            }
            assertThat(m.readRate()).isPositive();
            assertThat(m.taskRates()).hasSize(options.tasks);
            assertThat(m.workerCpuNanos()).isPositive();
        }
        JsonNode json = ConnectRest.JSON.readTree(Files.readString(options.json()));
        assertThat(json.path("records").asLong()).isEqualTo(RECORDS);
        assertThat(json.path("sinks").toString()).isEqualTo("[\"discard\",\"iceberg\"]");
        assertThat(json.path("commitIntervalMs").asLong()).isEqualTo(1_000);
        assertThat(json.path("measurements")).hasSize(3);
        assertThat(json.path("summary")).hasSize(3);
        for (JsonNode s : json.path("summary")) {
            assertThat(s.path("recordsPerSecond").asDouble()).isPositive();
            assertThat(s.path("workerCpuNanosPerRecord").asDouble()).isPositive();
            assertThat(s.has("cpuShareVsConverter")).isTrue();
            assertThat(s.path("iceberg").path("rows").asLong()).isEqualTo(s.path("sink").asText().equals("iceberg")
                    ? RECORDS : 0);
        }
        assertThat(json.path("valueBytes").path("json-schemas").asInt()).isPositive();
        assertThat(report.table()).contains("json-schemas into discard", "json-schemas into iceberg", "converter",
                "chain", "records/s", "commit interval 1,000 ms", "data files");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("filled orders.events.json-schemas");
    }
}
