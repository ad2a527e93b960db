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
 * The source benchmark runs for real, small: PostgreSQL, the broker, a worker with Debezium and the packaged plugin,
 * the baseline and the reference source, 1,000 changes each. Every change must be written once; no rate is asserted.
 */
class SourceBenchmarkSmokeTest {

    private static final long CHANGES = 1_000;

    @Test
    void theBaselineAndTheReferenceSourceWriteEveryChangeAndTheReportHasItsShape() throws Exception {
        SourceBenchmark.Options options = new SourceBenchmark.Options();
        options.changes = CHANGES;
        options.repo = Path.of("..");
        options.work = Path.of("target/source-smoke");
        options.chains = List.of(SourceChain.DEBEZIUM, SourceChain.REFERENCE);
        options.warmupRounds = 0;
        options.workerHeap = "512m";
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        List<SourceBenchmark.Pass> passes = SourceBenchmark.run(options, new PrintStream(progress, true,
                StandardCharsets.UTF_8));

        assertThat(passes).extracting(SourceBenchmark.Pass::chain).containsExactly(SourceChain.DEBEZIUM,
                SourceChain.REFERENCE);
        for (SourceBenchmark.Pass p : passes) {
            assertThat(p.written()).as("%s written", p.chain()).isEqualTo(CHANGES);
            assertThat(p.walSenderCpuNanos()).as("%s WAL sender", p.chain()).isNotNegative();
        }
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("wrote 1,000 changes of public.orders");
        assertThat(SourceBenchmark.table(options, passes)).contains("debezium").contains("reference");
        JsonNode json = ConnectRest.JSON.readTree(Files.readString(options.json()));
        assertThat(json.path("changes").asLong()).isEqualTo(CHANGES);
        assertThat(json.path("passes")).hasSize(2);
        for (JsonNode p : json.path("passes")) {
            assertThat(p.path("written").asLong()).isEqualTo(CHANGES);
        }
    }
}
