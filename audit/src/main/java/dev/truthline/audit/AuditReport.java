package dev.truthline.audit;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** An audit's outcome as text for a console and as JSON. */
public final class AuditReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditReport() {
    }

    public static void console(AuditPlan plan, PipelineAudit.Outcome o, PrintWriter out) {
        AuditResult r = o.result();
        out.printf("truthline audit: %s%s -> %s%s%n", plan.changeTopic(),
                plan.quarantineTopic() == null ? "" : " + " + plan.quarantineTopic(), plan.landing().table(),
                plan.quarantine() == null ? "" : ", " + plan.quarantine().table());
        out.printf("  captured       %,12d events%n", r.captured());
        out.printf("  landed         %,12d in %s%n", r.count(Fate.LANDED), plan.landing().table());
        out.printf("  quarantined    %,12d%s%n", r.count(Fate.QUARANTINED),
                plan.quarantine() == null ? "" : " in " + plan.quarantine().table());
        r.quarantinedPerRule().forEach((rule, n) -> out.printf("      %,10d  %s%n", n, rule));
        out.printf("  dead_lettered  %,12d%n", r.count(Fate.DEAD_LETTERED));
        r.deadLetteredPerReason().forEach((reason, n) -> out.printf("      %,10d  %s%n", n, reason));
        out.printf("  duplicate      %,12d (the same change landed at another position)%n", r.count(Fate.DUPLICATE));
        if (r.replayed() > 0) {
            out.printf("  replayed       %,12d of these events met their fate through truthline replay (counted once)%n",
                    r.replayed());
            r.replays().forEach(x -> out.printf("      %s/%d/%d %s: %s%n", x.topic(), x.partition(), x.offset(),
                    x.fate().label(), x.history()));
        }
        out.printf("  unexplained    %,12d%n", r.count(Fate.UNEXPLAINED));
        for (AuditResult.Unexplained u : r.unexplained()) {
            out.printf("      %s/%d/%d %s key %s%n", u.topic(), u.partition(), u.offset(), u.kind(), u.key());
        }
        if (r.extraRows() > 0) {
            out.printf("  rows of %s with no captured event: %,d%n", plan.landing().table(), r.extraRows());
            r.extra().forEach(x -> out.printf("      %s/%d/%d at %s%n", x.topic(), x.partition(), x.offset(),
                    x.rowPosition()));
        }
        if (r.rowsLandedTwice() > 0) {
            out.printf("  positions landed more than once in %s: %,d%n", plan.landing().table(), r.rowsLandedTwice());
            r.landedTwice().forEach(x -> out.printf("      %s/%d/%d at %s%n", x.topic(), x.partition(), x.offset(),
                    x.rowPosition()));
        }
        if (o.deadLettersWithoutContext() > 0) {
            out.printf("  dead letters without context headers (tied to no event): %,d%n", o.deadLettersWithoutContext());
        }
        out.printf("%s (exit %d). %,d events in %.1f s (%,.0f events/s), %d data files.%n",
                r.exitCode() == AuditResult.EXPLAINED ? "Every event explained" : "NOT everything explained",
                r.exitCode(), o.capturedEvents(), o.millis() / 1000.0,
                o.millis() == 0 ? 0.0 : o.capturedEvents() * 1000.0 / o.millis(), o.dataFiles());
        out.flush();
    }

    public static ObjectNode json(AuditPlan plan, PipelineAudit.Outcome o) {
        AuditResult r = o.result();
        ObjectNode root = JSON.createObjectNode();
        root.put("change_topic", plan.changeTopic());
        root.put("quarantine_topic", plan.quarantineTopic());
        root.put("landing_table", plan.landing().table());
        root.put("quarantine_table", plan.quarantine() == null ? null : plan.quarantine().table());
        root.put("captured", r.captured());
        ObjectNode fates = root.putObject("fates");
        r.fates().forEach((f, n) -> fates.put(f.label(), n));
        counts(root.putObject("quarantined_per_rule"), r.quarantinedPerRule());
        counts(root.putObject("dead_lettered_per_reason"), r.deadLetteredPerReason());
        ArrayNode unexplained = root.putArray("unexplained");
        for (AuditResult.Unexplained u : r.unexplained()) {
            unexplained.addObject().put("topic", u.topic()).put("partition", u.partition()).put("offset", u.offset())
                    .put("kind", u.kind()).put("key", u.key());
        }
        root.put("replayed", r.replayed());
        ArrayNode replays = root.putArray("replay_histories");
        r.replays().forEach(x -> replays.addObject().put("topic", x.topic()).put("partition", x.partition())
                .put("offset", x.offset()).put("kind", x.kind()).put("fate", x.fate().label())
                .put("history", x.history()));
        root.put("extra_rows", r.extraRows());
        ArrayNode extra = root.putArray("extra");
        r.extra().forEach(x -> extra.addObject().put("topic", x.topic()).put("partition", x.partition())
                .put("offset", x.offset()).put("row", x.rowPosition()));
        root.put("rows_landed_twice", r.rowsLandedTwice());
        root.put("dead_letters_without_context", o.deadLettersWithoutContext());
        ObjectNode ranges = root.putObject("ranges");
        o.ranges().forEach((p, range) -> ranges.putObject(p.topic() + "/" + p.partition())
                .put("from", range.from()).put("until", range.until()));
        root.put("millis", o.millis());
        root.put("exit_code", r.exitCode());
        return root;
    }

    public static void writeJson(ObjectNode report, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), report);
    }

    public static String jsonText(ObjectNode report) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report);
    }

    private static void counts(ObjectNode node, Map<String, Long> counts) {
        counts.forEach(node::put);
    }
}
