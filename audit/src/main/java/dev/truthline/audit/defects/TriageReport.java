package dev.truthline.audit.defects;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A triage as a console table (causes by count, with a one-line trend) and as JSON. Positions, names and counts only:
 * no payload value, no key.
 */
public final class TriageReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final char[] SPARKS = "▁▂▃▄▅▆▇█".toCharArray();

    private TriageReport() {
    }

    /** What was read, in words: the quarantine topic and the dead-letter queues with their sinks. */
    public static String topics(DefectPlan plan) {
        StringBuilder b = new StringBuilder();
        if (plan.quarantineTopic() != null) {
            b.append(plan.quarantineTopic()).append(" (").append(plan.sourceConnector()).append(')');
        }
        plan.deadLetterQueues().forEach((dlq, connector) -> b.append(b.length() > 0 ? ", " : "").append(dlq)
                .append(" (").append(connector).append(')'));
        return b.length() == 0 ? "no quarantine topic and no dead-letter queue" : b.toString();
    }

    /** The window in words: {@code since 2026-11-28 00:00 UTC (7 days, per day)}. */
    static String window(Triage.Result r) {
        String from = r.since() == null ? "everything the topics hold" : "since " + MINUTE.format(r.since()) + " UTC";
        long hours = java.time.Duration.between(r.start(), r.until()).toHours();
        String span = hours < 48 ? hours + (hours == 1 ? " hour" : " hours") : hours / 24 + " days";
        return from + " (" + span + ", per " + r.granularity().label() + ")";
    }

    public static void console(DefectPlan plan, Triage.Result r, PrintWriter out) {
        Triage.Totals t = r.totals();
        out.println("Defects of " + plan.changeTopic() + ": " + window(r));
        out.println("Read: " + topics(plan));
        out.printf(Locale.ROOT, "%,d defect records (%,d quarantined, %,d dead-lettered) of %,d captured events, "
                + "%,d %s%n", t.records(), t.quarantined(), t.deadLettered(), t.events(), t.causes(),
                t.causes() == 1 ? "cause" : "causes");
        if (t.withoutEvent() > 0) {
            out.printf(Locale.ROOT, "%,d dead letters carry no context headers and name no event%n", t.withoutEvent());
        }
        if (r.causes().isEmpty()) {
            out.println("No defects.");
            return;
        }
        out.println();
        int trendWidth = r.causes().get(0).trend().size();
        String header = String.format(Locale.ROOT, "%-12s  %-13s  %9s  %9s  %-16s  %-16s  %-" + Math.max(5,
                Math.min(trendWidth, 48)) + "s  %s", "cause", "kind", "records", "events", "first seen (UTC)",
                "last seen (UTC)", "trend", "what");
        out.println(header);
        for (Triage.CauseSummary c : r.causes()) {
            out.printf(Locale.ROOT, "%-12s  %-13s  %,9d  %,9d  %-16s  %-16s  %-" + Math.max(5, Math.min(trendWidth, 48))
                    + "s  %s%n", c.id(), kind(c.cause().kind()), c.records(), c.events(), MINUTE.format(c.firstSeen()),
                    MINUTE.format(c.lastSeen()), sparkline(c.trend(), 48), c.cause().describe());
            out.println("              " + String.join("; ", c.connectors())
                    + (c.sourceTables().isEmpty() ? "" : " · " + String.join(", ", c.sourceTables()))
                    + " · e.g. " + String.join(", ", c.examples().stream().map(TriageReport::example).toList()));
        }
        out.flush();
    }

    static String kind(Defect.Kind k) {
        return k == Defect.Kind.QUARANTINED ? "quarantined" : "dead_lettered";
    }

    static String example(Triage.Example e) {
        return e.replayOf() == null || e.replayOf().equals(e.position()) ? e.position()
                : e.position() + " (of " + e.replayOf() + ")";
    }

    /** The trend as block characters, its last {@code width} buckets; the tallest is the highest count. */
    static String sparkline(Map<Instant, Long> trend, int width) {
        List<Long> counts = List.copyOf(trend.values());
        List<Long> shown = counts.subList(Math.max(0, counts.size() - width), counts.size());
        long max = shown.stream().mapToLong(Long::longValue).max().orElse(0);
        StringBuilder b = new StringBuilder(shown.size());
        for (long n : shown) {
            b.append(n == 0 ? ' ' : SPARKS[(int) Math.min(SPARKS.length - 1, (n * SPARKS.length - 1) / Math.max(1, max))]);
        }
        return b.toString();
    }

    public static ObjectNode json(DefectPlan plan, Triage.Result r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("change_topic", plan.changeTopic());
        if (plan.quarantineTopic() != null) {
            root.putObject("quarantine").put("topic", plan.quarantineTopic()).put("connector", plan.sourceConnector());
        }
        ObjectNode dlqs = root.putObject("dead_letter_queues");
        plan.deadLetterQueues().forEach(dlqs::put);
        root.put("since", r.since() == null ? null : r.since().toString());
        root.put("start", r.start().toString());
        root.put("until", r.until().toString());
        root.put("granularity", r.granularity().label());
        Triage.Totals t = r.totals();
        root.putObject("totals").put("records", t.records()).put("events", t.events())
                .put("quarantined", t.quarantined()).put("dead_lettered", t.deadLettered()).put("causes", t.causes())
                .put("without_event", t.withoutEvent());
        ArrayNode causes = root.putArray("causes");
        for (Triage.CauseSummary c : r.causes()) {
            ObjectNode n = causes.addObject();
            DefectCause k = c.cause();
            n.put("id", c.id());
            n.put("kind", kind(k.kind()));
            if (k.kind() == Defect.Kind.QUARANTINED) {
                n.put("contract", k.contract()).put("rule", k.rule()).put("field", k.field());
            } else {
                n.put("connector", k.connector()).put("stage", k.stage()).put("class", k.className())
                        .put("exception", k.exceptionClass()).put("message", k.message());
            }
            n.put("description", k.describe());
            n.put("records", c.records());
            n.put("events", c.events());
            n.put("first_seen", c.firstSeen().toString());
            n.put("last_seen", c.lastSeen().toString());
            c.connectors().forEach(n.putArray("connectors")::add);
            c.sourceTables().forEach(n.putArray("source_tables")::add);
            ArrayNode trend = n.putArray("trend");
            c.trend().forEach((bucket, count) -> trend.addObject().put("start", bucket.toString()).put("records", count));
            ArrayNode examples = n.putArray("examples");
            for (Triage.Example e : c.examples()) {
                examples.addObject().put("position", e.position()).put("replay_of", e.replayOf());
            }
        }
        return root;
    }

    public static String jsonText(ObjectNode report) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always writes", e);
        }
    }
}
