package dev.truthline.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.truthline.connect.harness.ConnectRest;

/**
 * The whole pipeline on this machine, small: PostgreSQL, a forked KRaft broker and Connect worker, the
 * connector files of connector-configs/orders/, 2,000 order changes with
 * contract violations and re-emitted duplicates. The equation must balance from the stores.
 */
class DemoPipelineIT {

    @Test
    void everyCapturedEventIsInSilverTheQuarantineTheDlqOrDroppedAsDuplicate() throws Exception {
        run(false, "target/it-demo", 2_000);
    }

    /**
     * The same pipeline with the Connect worker killed hard (SIGKILL) mid-stream and started again: Debezium
     * re-emits what it had not committed, sink tasks redeliver, and still every event is in exactly one place
     * and silver holds each change once.
     */
    @Test
    void theEquationHoldsWhenTheWorkerIsKilledHardMidStream() throws Exception {
        run(true, "target/it-demo-kill", 6_000);
    }

    private static TruthReport run(boolean killWorker, String workDir, int changes) throws Exception {
        Path root = Path.of(System.getProperty("truthline.root", "..")).toAbsolutePath().normalize();
        DemoSettings settings = DemoSettings.forRepository(root);
        settings.workDir = Path.of(workDir).toAbsolutePath();
        settings.killWorker = killWorker;
        // The kill comes once half the changes are written: 6,000 changes at 500/s take 12 s, so it lands mid-stream.
        settings.changes = changes;
        settings.rate = 500;
        settings.invalidShare = 0.1;
        settings.duplicateShare = 0.05;
        settings.progressSeconds = 2;
        settings.settleTimeoutSeconds = 90;
        PrintWriter out = new PrintWriter(System.out, true);
        TruthReport report;
        try (DemoPipeline pipeline = new DemoPipeline(settings, out)) {
            report = pipeline.run();
        }

        assertThat(report.equation().balanced()).as("the equation: %s", report.equation()).isTrue();
        assertThat(report.captured().total() - report.captured().reEmitted())
                .as("distinct changes captured: every change written").isEqualTo(changes);
        assertThat(report.quarantined()).isPositive();
        assertThat(report.deadLettered()).isPositive();
        assertThat(report.captured().reEmitted()).as("re-emitted by the rewinds").isPositive();
        assertThat(report.dropped().counted()).isPositive();
        if (!killWorker) {
            // A killed worker takes its tasks' counters with it; then the report counts drops from the topic.
            assertThat(report.dropped().metrics()).as("JMX agrees with the topic").isEqualTo(report.dropped().fromTopic());
        }
        assertThat(report.landed().bronze()).as("bronze holds every event of the change topic")
                .isEqualTo(report.captured().changeTopic());
        assertThat(report.latency().rows()).isEqualTo(report.landed().silver());
        assertThat(report.landed().silverCopies()).as("changes in silver more than once").isZero();
        JsonNode json = ConnectRest.JSON.readTree(Files.readString(settings.workDir.resolve("truth-report.json")));
        assertThat(json.path("equation").path("balanced").asBoolean()).isTrue();
        assertThat(json.path("run").path("worker_killed").asBoolean()).isEqualTo(killWorker);
        // The audit of the run, as JSON and as its page, with the same verdict.
        JsonNode audit = ConnectRest.JSON.readTree(Files.readString(settings.workDir.resolve("audit-report.json")));
        assertThat(Files.readString(settings.workDir.resolve("audit-report.html")))
                .contains(audit.path("exit_code").asInt() == 0 ? "class=\"verdict explained\""
                        : "class=\"verdict unexplained\"")
                .contains(String.format(java.util.Locale.ROOT, "%,d captured events", audit.path("captured").asLong()));
        return report;
    }
}
