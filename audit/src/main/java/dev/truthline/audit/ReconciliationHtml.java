package dev.truthline.audit;

import static dev.truthline.audit.HtmlReport.esc;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The current-state reconciliation on the audit's HTML page: the two tables, the columns left out of the comparison,
 * a count per state with what it means, and the first keys of each state that is not {@code equal}, each with the
 * rejected change that explains it (its Kafka position, source position and rules or reason). Keys are data, escaped
 * as everything else on the page; no other value of a row is shown.
 */
final class ReconciliationHtml {

    /** The states' colours: the swatches of the count table. */
    static final Map<String, String> COLOURS = Map.of("equal", "#2e7d32", "stale", "#ef6c00", "absent", "#6d4c41",
            "extra", "#ad1457", "unexplained", "#d32f2f");

    private ReconciliationHtml() {
    }

    /** Whatever keys make the reconciliation exit 1, in words for the verdict; empty when every difference is explained. */
    static List<String> unexplained(Reconciliation.Result r, String currentTable) {
        List<String> what = new java.util.ArrayList<>();
        if (r.count("unexplained") > 0) {
            what.add(String.format(Locale.ROOT, "%,d unexplained %s in %s", r.count("unexplained"),
                    r.count("unexplained") == 1 ? "key" : "keys", currentTable));
        }
        if (r.count("extra") > 0) {
            what.add(String.format(Locale.ROOT, "%,d extra %s in %s", r.count("extra"),
                    r.count("extra") == 1 ? "key" : "keys", currentTable));
        }
        return what;
    }

    static void section(StringBuilder b, ReconcilePlan plan, Reconciliation.Result r) {
        b.append("<h2 id=\"reconciliation\">Current state: ").append(esc(plan.current().table()))
                .append(" against ").append(esc(plan.source().table())).append(", by key</h2>\n");
        b.append("<p class=\"note\">").append(String.format(Locale.ROOT, "%,d source rows, %,d current rows (written by ",
                r.sourceRows(), r.currentRows())).append(esc(plan.currentConnector()))
                .append("). A difference is explained by a change of its key the pipeline rejected.</p>\n");
        if (!plan.notCompared().isEmpty()) {
            b.append("<p class=\"note\">Not compared: <span class=\"cols\">")
                    .append(esc(String.join(", ", plan.notCompared())))
                    .append("</span> (protected at the source: the current table holds tokens).</p>\n");
        }
        long keys = r.counts().values().stream().mapToLong(Long::longValue).sum();
        b.append("<table class=\"reconciliation\">\n<tr><th>state</th><th class=\"n\">keys</th><th class=\"n\">share"
                + "</th><th>meaning</th></tr>\n");
        for (String state : Reconciliation.STATES) {
            b.append("<tr><td><span class=\"swatch\" style=\"background:").append(COLOURS.get(state))
                    .append("\"></span>").append(state).append("</td><td class=\"n\">")
                    .append(String.format(Locale.ROOT, "%,d", r.count(state))).append("</td><td class=\"n\">")
                    .append(esc(HtmlReport.percent(r.count(state), keys))).append("</td><td>")
                    .append(esc(ReconciliationReport.meaning(state))).append("</td></tr>\n");
        }
        b.append("</table>\n");
        for (String state : Reconciliation.STATES.subList(1, Reconciliation.STATES.size())) {
            keys(b, state, r.count(state), r.examples().getOrDefault(state, List.of()));
        }
    }

    private static void keys(StringBuilder b, String state, long total, List<Reconciliation.Key> listed) {
        if (total == 0) {
            return;
        }
        boolean explained = !"extra".equals(state) && !"unexplained".equals(state);
        b.append("<h3>").append(state).append(" keys</h3>\n<p class=\"note\">")
                .append(listed.size() == total ? String.format(Locale.ROOT, "All %,d listed.", total)
                        : String.format(Locale.ROOT, "%,d of %,d listed (--list-limit).", listed.size(), total))
                .append("</p>\n<table class=\"keys ").append(state).append("\">\n<tr><th>key</th>"
                        + "<th class=\"n\">row at LSN</th>");
        if (explained) {
            b.append("<th>rejected change (topic/partition/offset)</th><th class=\"n\">its LSN</th>"
                    + "<th>rules or reason</th>");
        }
        b.append("</tr>\n");
        for (Reconciliation.Key k : listed) {
            b.append("<tr><td class=\"key\">").append(k.entity() == null ? "<i>(no key)</i>" : esc(k.entity()))
                    .append("</td><td class=\"n\">").append(k.rowLsn() == null ? "–" : String.valueOf(k.rowLsn()))
                    .append("</td>");
            if (explained) {
                b.append("<td class=\"pos\">").append(esc(k.rejectedAt())).append("</td><td class=\"n\">")
                        .append(k.rejectedLsn() == null ? "–" : String.valueOf(k.rejectedLsn())).append("</td><td>")
                        .append(esc(k.reason())).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
    }
}
