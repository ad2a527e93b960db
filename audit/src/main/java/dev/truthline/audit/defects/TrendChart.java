package dev.truthline.audit.defects;

import static dev.truthline.audit.HtmlReport.esc;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * A cause's trend as a small inline SVG: one column per bucket (day or hour), as tall as its count against the
 * cause's busiest bucket, a baseline, and each column's bucket and count as its {@code <title>}.
 */
final class TrendChart {

    static final int WIDTH = 160;
    static final int HEIGHT = 40;
    private static final int BASE = HEIGHT - 4;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private TrendChart() {
    }

    static void svg(StringBuilder b, Map<Instant, Long> trend, String colour, Triage.Granularity g) {
        long max = Math.max(1, trend.values().stream().mapToLong(Long::longValue).max().orElse(1));
        int n = Math.max(1, trend.size());
        double slot = (double) WIDTH / n;
        double bar = Math.max(1, slot - (slot > 4 ? 1.5 : 0));
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trend\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\" aria-label=\"records per ").append(g.label()).append("\">\n");
        b.append("<line x1=\"0\" y1=\"").append(BASE).append("\" x2=\"").append(WIDTH).append("\" y2=\"").append(BASE)
                .append("\" stroke=\"#9aa5b1\" stroke-width=\"1\"/>\n");
        int i = 0;
        for (Map.Entry<Instant, Long> e : trend.entrySet()) {
            long count = e.getValue();
            if (count > 0) {
                double h = Math.max(2, (BASE - 2) * (double) count / max);
                String label = (g == Triage.Granularity.DAY ? DAY : HOUR).format(e.getKey()) + ": "
                        + String.format(Locale.ROOT, "%,d", count);
                b.append("<rect class=\"bar\" data-name=\"").append(esc(label)).append("\" x=\"").append(n(i * slot))
                        .append("\" y=\"").append(n(BASE - h)).append("\" width=\"").append(n(bar))
                        .append("\" height=\"").append(n(h)).append("\" fill=\"").append(colour).append("\"><title>")
                        .append(esc(label)).append("</title></rect>\n");
            }
            i++;
        }
        b.append("</svg>\n");
    }

    /** A coordinate with at most one decimal. */
    static String n(double v) {
        long tenths = Math.round(v * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
    }
}
