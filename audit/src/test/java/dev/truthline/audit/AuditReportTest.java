package dev.truthline.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The console and JSON reports of an audit whose events met their fates through a replay. */
class AuditReportTest {

    private static final AuditPlan PLAN = new AuditPlan("localhost:9092", SampleAudit.TOPIC,
            SampleAudit.TOPIC + ".quarantine", "dq.rules", false, false, "lake", Map.of(),
            new AuditPlan.SinkTable("orders-silver", "silver.orders"),
            new AuditPlan.SinkTable("orders-quarantine", "quarantine.orders"), Map.of(), "512MB", Path.of("."));

    private static PipelineAudit.Outcome outcome(AuditResult r) {
        return new PipelineAudit.Outcome(r, Map.of(), r.captured(), 0, 0, 1, 10, null);
    }

    @Test
    void theJsonReportCountsTheReplayedEventsAndListsTheirHistories() {
        JsonNode json = AuditReport.json(PLAN, outcome(SampleAudit.replayed()));

        assertThat(json.path("replayed").asLong()).isEqualTo(3);
        assertThat(json.path("replay_histories")).hasSize(2);
        JsonNode first = json.path("replay_histories").get(0);
        assertThat(first.path("topic").asText()).isEqualTo(SampleAudit.TOPIC + ".quarantine");
        assertThat(first.path("partition").asInt()).isZero();
        assertThat(first.path("offset").asLong()).isEqualTo(7);
        assertThat(first.path("kind").asText()).isEqualTo("quarantine");
        assertThat(first.path("fate").asText()).isEqualTo("landed");
        assertThat(first.path("history").asText()).startsWith("quarantined (status_known) → replayed ");
        // Counted once: the replayed events are among the fates, not beside them.
        assertThat(json.path("captured").asLong()).isEqualTo(7);

        JsonNode none = AuditReport.json(PLAN, outcome(SampleAudit.explained()));
        assertThat(none.path("replayed").asLong()).isZero();
        assertThat(none.path("replay_histories")).isEmpty();
    }

    @Test
    void theConsoleReportShowsTheReplayedEventsOnlyWhenThereAreAny() {
        StringWriter text = new StringWriter();
        AuditReport.console(PLAN, outcome(SampleAudit.replayed()), new PrintWriter(text));
        assertThat(text.toString()).contains("replayed                  3 of these events met their fate through "
                + "truthline replay").contains(SampleAudit.TOPIC + ".quarantine/0/7 landed: quarantined (status_known)");

        StringWriter plain = new StringWriter();
        AuditReport.console(PLAN, outcome(SampleAudit.explained()), new PrintWriter(plain));
        assertThat(plain.toString()).doesNotContain("replayed");
    }
}
