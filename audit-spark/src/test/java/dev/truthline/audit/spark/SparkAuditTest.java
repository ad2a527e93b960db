package dev.truthline.audit.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.truthline.audit.AuditResult;
import dev.truthline.audit.AuditSettings;
import dev.truthline.audit.OptionException;

/** What the Spark audit takes of the one-machine audit's settings, read by the same {@code AuditMain.run}. */
class SparkAuditTest {

    @Test
    void refusesWhatOnlyTheOneMachineAuditDoesNamingTheOption() {
        Map<List<String>, String> refused = Map.of(
                List.of("since=2026-12-04T16:00:00Z"), "--since",
                List.of("untilOffsets=orders.events.v1:0=5"), "--until-offsets",
                List.of("sinceSnapshot=7"), "--since-snapshot",
                List.of("checkpoint=/tmp/audit.checkpoint"), "--checkpoint",
                List.of("htmlOutput=/tmp/audit.html"), "--html-output",
                List.of("format=html"), "--format");
        refused.forEach((args, option) -> {
            List<String> all = new java.util.ArrayList<>(List.of("connectors=c"));
            all.addAll(args);
            assertThatThrownBy(() -> new SparkAudit().refuse(AuditSettings.fromArguments(all))).as("%s", args)
                    .isInstanceOfSatisfying(OptionException.class, e -> {
                        assertThat(e.option()).isEqualTo(option);
                        assertThat(e.key()).isEqualTo(option);
                        assertThat(e.problem()).contains("one-machine audit");
                    });
        });
    }

    @Test
    void takesTheReconciliationsOptions() {
        assertThatCode(() -> new SparkAudit().refuse(AuditSettings.fromArguments(List.of("connectors=c",
                "sourceTable=public.orders", "currentTable=orders", "format=json")))).doesNotThrowAnyException();
    }

    @Test
    void aRefusalIsExitCodeTwoWithTheOptionOnStandardError() {
        StringWriter err = new StringWriter();
        int exit = SparkAudit.run(List.of("connectors=c", "checkpoint=/tmp/x"), new PrintWriter(new StringWriter()),
                new PrintWriter(err, true));
        assertThat(exit).isEqualTo(AuditResult.CANNOT_JUDGE);
        assertThat(err.toString()).startsWith("truthline audit (spark): --checkpoint: ");
    }
}
