package dev.truthline.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.TopicPartition;

/**
 * An audit's outcome as one self-contained HTML page: inline CSS and inline SVG, no script, no external resource, so
 * it can be mailed, archived or opened from a CI artifact. It shows the verdict, the flow from the captured events to
 * each fate, the landing latency, the quarantine per rule and the dead letters per reason, and the unexplained events
 * and rows one by one. Every text that comes from the stores (keys, rules, reasons, topic names) is escaped; as in the
 * console report, no payload value beyond the key is shown.
 *
 * <p>The page is well-formed XML as well as HTML (polyglot markup), so a plain XML parser can check it.
 */
public final class HtmlReport {

    /** The fates' colours, in the flow, the table and the screenshot test. */
    public static final Map<Fate, String> COLOURS = colours();

    static final String CAPTURED_COLOUR = "#52606d";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final int RANGE_PARTITIONS_LISTED = 6;

    private HtmlReport() {
    }

    /**
     * What the page is about.
     *
     * @param pipeline        what the audit was run on: the captured topics and the tables
     * @param landingTable    the landing table's name
     * @param quarantineTable the quarantine table's name, or null
     * @param range           the range audited, in words
     * @param generated       when the audit ran
     */
    public record Heading(String pipeline, String landingTable, String quarantineTable, String range,
            Instant generated) {
    }

    /** The page of a finished audit; {@code reconcile} is the reconciliation's plan when it ran, else null. */
    public static String page(AuditPlan plan, PipelineAudit.Outcome outcome, ReconcilePlan reconcile,
            Instant generated) {
        Heading h = new Heading(pipeline(plan), plan.landing().table(),
                plan.quarantine() == null ? null : plan.quarantine().table(), range(outcome.ranges()), generated);
        return page(h, outcome.result(), outcome.latency(), outcome.deadLettersWithoutContext(),
                outcome.reconciliation() == null ? null : reconcile, outcome.reconciliation());
    }

    /** {@code orders.events.v1 + orders.events.v1.quarantine → silver.orders, quarantine.orders}. */
    static String pipeline(AuditPlan plan) {
        return plan.changeTopic() + (plan.quarantineTopic() == null ? "" : " + " + plan.quarantineTopic()) + " → "
                + plan.landing().table() + (plan.quarantine() == null ? "" : ", " + plan.quarantine().table());
    }

    /** The page of an audit's result. */
    public static String page(Heading h, AuditResult r, LandingLatency.Histogram latency, long deadLettersWithoutContext) {
        return page(h, r, latency, deadLettersWithoutContext, null, null);
    }

    /**
     * The page of an audit's result and, when {@code reconcile} and {@code reconciled} are given, of the current-state
     * reconciliation that ran with it (its section follows the fates'; its unexplained and extra keys count in the
     * verdict).
     */
    public static String page(Heading h, AuditResult r, LandingLatency.Histogram latency, long deadLettersWithoutContext,
            ReconcilePlan reconcile, Reconciliation.Result reconciled) {
        StringBuilder b = new StringBuilder(16_384);
        open(b, h);
        verdict(b, r, reconcile == null || reconciled == null ? List.of()
                : ReconciliationHtml.unexplained(reconciled, reconcile.current().table()));
        b.append("<h2>Where every captured event went</h2>\n");
        b.append("<p class=\"note\">").append(esc(String.format(Locale.ROOT, "%,d", r.captured())))
                .append(" captured events (change topic and source quarantine), each with exactly one fate.</p>\n");
        FlowChart.svg(b, r);
        fateTable(b, h, r);
        b.append("<h2>Landing latency</h2>\n");
        LatencyChart.svg(b, latency == null ? LandingLatency.Histogram.empty(0) : latency);
        counts(b, "Quarantined per rule", "rule", r.quarantinedPerRule(),
                "No event was quarantined.");
        counts(b, "Dead-lettered per reason", "connector: reason", r.deadLetteredPerReason(),
                "No event was dead-lettered.");
        if (deadLettersWithoutContext > 0) {
            b.append("<p class=\"note\">").append(String.format(Locale.ROOT, "%,d", deadLettersWithoutContext))
                    .append(" dead letters carry no context headers and name no event.</p>\n");
        }
        unexplained(b, r);
        replayed(b, r);
        rows(b, "Rows of " + h.landingTable() + " that name no captured event", r.extraRows(), r.extra());
        rows(b, "Positions landed more than once in " + h.landingTable(), r.rowsLandedTwice(), r.landedTwice());
        if (reconcile != null && reconciled != null) {
            ReconciliationHtml.section(b, reconcile, reconciled);
        }
        close(b);
        return b.toString();
    }

    /** The page of an audit that could not judge: the heading, a grey banner and why. */
    public static String cannotJudge(Heading h, String reason) {
        StringBuilder b = new StringBuilder(4_096);
        open(b, h);
        b.append("<div class=\"verdict cannot-judge\">Cannot judge (exit ").append(AuditResult.CANNOT_JUDGE)
                .append(")<span>").append(esc(reason)).append("</span></div>\n");
        close(b);
        return b.toString();
    }

    public static void write(String page, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Files.writeString(file, page, StandardCharsets.UTF_8);
    }

    private static void open(StringBuilder b, Heading h) {
        b.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n<meta name=\"generator\" content=\"truthline audit\"/>\n")
                .append("<title>Truthline audit: ").append(esc(h.pipeline())).append("</title>\n<style>\n")
                .append(css()).append("</style>\n</head>\n<body>\n<main>\n");
        b.append("<h1>Truthline audit</h1>\n");
        b.append("<p class=\"meta\"><strong>Pipeline</strong> ").append(esc(h.pipeline())).append("</p>\n");
        b.append("<p class=\"meta\"><strong>Audited</strong> ").append(esc(TIME.format(h.generated()))).append("</p>\n");
        if (h.range() != null) {
            b.append("<p class=\"meta\"><strong>Range</strong> ").append(esc(h.range())).append("</p>\n");
        }
    }

    private static void close(StringBuilder b) {
        b.append("<footer>Generated by truthline audit. Positions are Kafka's topic/partition/offset; keys as the "
                + "change topic holds them; no other payload value is shown.</footer>\n</main>\n</body>\n</html>\n");
    }

    /** @param keys the reconciliation's unexplained and extra keys in words (empty when none or not reconciled) */
    private static void verdict(StringBuilder b, AuditResult r, List<String> keys) {
        long events = r.count(Fate.UNEXPLAINED);
        if (r.exitCode() == AuditResult.EXPLAINED && keys.isEmpty()) {
            b.append("<div class=\"verdict explained\">Every captured event explained<span>")
                    .append(String.format(Locale.ROOT, "%,d events, each with exactly one fate; exit %d.", r.captured(),
                            AuditResult.EXPLAINED))
                    .append("</span></div>\n");
            return;
        }
        List<String> what = new ArrayList<>();
        if (events > 0) {
            what.add(String.format(Locale.ROOT, "%,d unexplained %s", events, events == 1 ? "event" : "events"));
        }
        if (r.extraRows() > 0) {
            what.add(String.format(Locale.ROOT, "%,d %s with no captured event", r.extraRows(),
                    r.extraRows() == 1 ? "row" : "rows"));
        }
        if (r.rowsLandedTwice() > 0) {
            what.add(String.format(Locale.ROOT, "%,d %s landed more than once", r.rowsLandedTwice(),
                    r.rowsLandedTwice() == 1 ? "position" : "positions"));
        }
        what.addAll(keys);
        b.append("<div class=\"verdict unexplained\">").append(esc(String.join(", ", what)))
                .append("<span>").append(String.format(Locale.ROOT, "of %,d captured events; exit %d.", r.captured(),
                        AuditResult.UNEXPLAINED))
                .append("</span></div>\n");
    }

    private static void fateTable(StringBuilder b, Heading h, AuditResult r) {
        b.append("<table class=\"fates\">\n<tr><th>fate</th><th class=\"n\">events</th><th class=\"n\">share</th>"
                + "<th>meaning</th></tr>\n");
        for (Fate f : Fate.values()) {
            b.append("<tr><td><span class=\"swatch\" style=\"background:").append(COLOURS.get(f)).append("\"></span>")
                    .append(f.label()).append("</td><td class=\"n\">")
                    .append(String.format(Locale.ROOT, "%,d", r.count(f))).append("</td><td class=\"n\">")
                    .append(esc(percent(r.count(f), r.captured()))).append("</td><td>").append(esc(meaning(f, h)))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    static String meaning(Fate f, Heading h) {
        return switch (f) {
            case LANDED -> "a row of " + h.landingTable() + " carries its position";
            case QUARANTINED -> "a row of " + (h.quarantineTable() == null ? "the quarantine table" : h.quarantineTable())
                    + ", with the rules it broke";
            case DEAD_LETTERED -> "a dead-letter record names it, with the connector and the reason";
            case DUPLICATE -> "the same change (same change identity) landed at another position";
            case UNEXPLAINED -> "none of the above: lost, filtered, or removed afterwards";
        };
    }

    private static void counts(StringBuilder b, String title, String what, Map<String, Long> counts, String none) {
        b.append("<h2>").append(esc(title)).append("</h2>\n");
        if (counts.isEmpty()) {
            b.append("<p class=\"none\">").append(esc(none)).append("</p>\n");
            return;
        }
        b.append("<table>\n<tr><th>").append(esc(what)).append("</th><th class=\"n\">events</th></tr>\n");
        counts.forEach((name, n) -> b.append("<tr><td>").append(esc(name)).append("</td><td class=\"n\">")
                .append(String.format(Locale.ROOT, "%,d", n)).append("</td></tr>\n"));
        b.append("</table>\n");
    }

    private static void unexplained(StringBuilder b, AuditResult r) {
        long total = r.count(Fate.UNEXPLAINED);
        b.append("<h2>Unexplained events</h2>\n");
        if (total == 0) {
            b.append("<p class=\"none\">None: every captured event has a fate.</p>\n");
            return;
        }
        b.append("<p class=\"note\">").append(listed(r.unexplained().size(), total)).append("</p>\n");
        b.append("<table class=\"unexplained\">\n<tr><th>topic</th><th class=\"n\">partition</th>"
                + "<th class=\"n\">offset</th><th>kind</th><th>key</th></tr>\n");
        for (AuditResult.Unexplained u : r.unexplained()) {
            b.append("<tr><td class=\"pos\">").append(esc(u.topic())).append("</td><td class=\"n\">").append(u.partition())
                    .append("</td><td class=\"n\">").append(u.offset()).append("</td><td>").append(esc(u.kind()))
                    .append("</td><td class=\"key\">").append(u.key() == null ? "<i>(no key)</i>" : esc(u.key()))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    /** The events whose fate came through {@code truthline replay}, with their histories; nothing when none. */
    private static void replayed(StringBuilder b, AuditResult r) {
        if (r.replayed() == 0) {
            return;
        }
        b.append("<h2>Replayed events</h2>\n<p class=\"note\">")
                .append(esc(String.format(Locale.ROOT, "%,d captured events met their fate through truthline replay; "
                        + "each counts once, with the fate its history ends in. ", r.replayed())))
                .append(listed(r.replays().size(), r.replayed())).append("</p>\n");
        b.append("<table class=\"replayed\">\n<tr><th>topic</th><th class=\"n\">partition</th>"
                + "<th class=\"n\">offset</th><th>fate</th><th>history</th></tr>\n");
        for (AuditResult.Replayed x : r.replays()) {
            b.append("<tr><td class=\"pos\">").append(esc(x.topic())).append("</td><td class=\"n\">")
                    .append(x.partition()).append("</td><td class=\"n\">").append(x.offset()).append("</td><td>")
                    .append("<span class=\"swatch\" style=\"background:").append(COLOURS.get(x.fate()))
                    .append("\"></span>").append(x.fate().label()).append("</td><td>").append(esc(x.history()))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static void rows(StringBuilder b, String title, long total, List<AuditResult.Row> rows) {
        if (total == 0) {
            return;
        }
        b.append("<h2>").append(esc(title)).append("</h2>\n<p class=\"note\">").append(listed(rows.size(), total))
                .append("</p>\n<table class=\"rows\">\n<tr><th>topic</th><th class=\"n\">partition</th>"
                        + "<th class=\"n\">offset</th><th>row (data file#row)</th></tr>\n");
        for (AuditResult.Row x : rows) {
            b.append("<tr><td class=\"pos\">").append(esc(x.topic())).append("</td><td class=\"n\">").append(x.partition())
                    .append("</td><td class=\"n\">").append(x.offset()).append("</td><td class=\"pos\">")
                    .append(esc(x.rowPosition())).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static String listed(int listed, long total) {
        return listed == total ? String.format(Locale.ROOT, "All %,d listed.", total)
                : String.format(Locale.ROOT, "%,d of %,d listed (--list-limit).", listed, total);
    }

    /** The audited ranges in words: per topic its partitions and offsets, the partitions listed up to a few. */
    static String range(Map<TopicPartition, TopicRanges.Range> ranges) {
        Map<String, Map<Integer, TopicRanges.Range>> byTopic = new TreeMap<>();
        ranges.forEach((p, r) -> byTopic.computeIfAbsent(p.topic(), t -> new TreeMap<>()).put(p.partition(), r));
        List<String> parts = new ArrayList<>();
        byTopic.forEach((topic, partitions) -> {
            long offsets = partitions.values().stream().mapToLong(TopicRanges.Range::size).sum();
            StringBuilder s = new StringBuilder(topic).append(": ")
                    .append(String.format(Locale.ROOT, "%,d offsets in %d %s", offsets, partitions.size(),
                            partitions.size() == 1 ? "partition" : "partitions"));
            List<String> each = new ArrayList<>();
            partitions.forEach((p, r) -> {
                if (r.size() > 0) {
                    each.add("p" + p + " [" + r.from() + ", " + r.until() + ")");
                }
            });
            if (!each.isEmpty() && each.size() <= RANGE_PARTITIONS_LISTED) {
                s.append(" (").append(String.join(", ", each)).append(')');
            }
            parts.add(s.toString());
        });
        return parts.isEmpty() ? "nothing captured" : String.join("; ", parts);
    }

    static String percent(long n, long total) {
        if (total == 0) {
            return "–";
        }
        double p = 100.0 * n / total;
        return n > 0 && p < 0.1 ? "<0.1%" : String.format(Locale.ROOT, "%.1f%%", p);
    }

    /**
     * Text as HTML/XML character data or attribute value: markup characters as entities, and control characters
     * (which neither XML nor HTML allows, and which a key may hold) as U+FFFD.
     */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f || c == 0xfffe || c == 0xffff
                            || Character.isSurrogate(c) && !validPair(s, i)) {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** The page's style sheet (the audit's and triage's pages share it). */
    public static String css() {
        try (InputStream in = HtmlReport.class.getResourceAsStream("audit-report.css")) {
            if (in == null) {
                throw new IllegalStateException("audit-report.css is missing from the audit's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<Fate, String> colours() {
        Map<Fate, String> c = new EnumMap<>(Fate.class);
        c.put(Fate.LANDED, "#2e7d32");
        c.put(Fate.QUARANTINED, "#f9a825");
        c.put(Fate.DEAD_LETTERED, "#8e24aa");
        c.put(Fate.DUPLICATE, "#1e88e5");
        c.put(Fate.UNEXPLAINED, "#d32f2f");
        return java.util.Collections.unmodifiableMap(c);
    }
}
