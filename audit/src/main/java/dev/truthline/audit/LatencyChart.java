package dev.truthline.audit;

import static dev.truthline.audit.FlowChart.rect;
import static dev.truthline.audit.FlowChart.text;
import static dev.truthline.audit.HtmlReport.esc;

import java.util.List;
import java.util.Locale;

/** The landing latency histogram as inline SVG: one column per bucket, its count above it, its bound below. */
final class LatencyChart {

    static final String COLOUR = "#3e7cb1";
    private static final int HEIGHT = 230;
    private static final int PLOT_TOP = 24;
    private static final int PLOT_BOTTOM = 190;
    private static final int LEFT = 20;
    /** Buckets shown at least: a narrow spread still shows the scale. */
    private static final int MIN_BUCKETS = 6;

    private LatencyChart() {
    }

    static void svg(StringBuilder b, LandingLatency.Histogram h) {
        b.append("<p class=\"note\">").append(esc("From " + LandingLatency.MEASURE + ", per landed event."));
        if (h.measured() > 0) {
            b.append(esc(String.format(Locale.ROOT, " Median %s, 95th percentile %s, slowest %s over %,d events.",
                    LandingLatency.duration(h.p50Ms()), LandingLatency.duration(h.p95Ms()),
                    LandingLatency.duration(h.maxMs()), h.measured())));
        }
        if (h.unmeasured() > 0) {
            b.append(esc(String.format(Locale.ROOT, " %,d landed events without a source time or a known commit.",
                    h.unmeasured())));
        }
        b.append("</p>\n");
        if (h.measured() == 0) {
            b.append("<p class=\"none\">No landed event could be measured.</p>\n");
            return;
        }
        List<LandingLatency.Bucket> buckets = h.buckets();
        // The buckets that hold events, an empty one either side, at least MIN_BUCKETS: the scale around the data.
        int first = -1;
        int last = -1;
        long max = 1;
        for (int i = 0; i < buckets.size(); i++) {
            if (buckets.get(i).count() > 0) {
                first = first < 0 ? i : first;
                last = i;
                max = Math.max(max, buckets.get(i).count());
            }
        }
        first = Math.max(0, first - 1);
        last = Math.min(buckets.size() - 1, last + 1);
        while (last - first + 1 < Math.min(MIN_BUCKETS, buckets.size())) {
            if (last < buckets.size() - 1) {
                last++;
            } else {
                first--;
            }
        }
        int shown = last - first + 1;
        double slot = (double) (FlowChart.WIDTH - 2 * LEFT) / shown;
        double bar = slot - 10;
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"latency\" width=\"").append(FlowChart.WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(FlowChart.WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\" aria-label=\"landing latency histogram\">\n");
        b.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(PLOT_BOTTOM).append("\" x2=\"")
                .append(FlowChart.WIDTH - LEFT).append("\" y2=\"").append(PLOT_BOTTOM)
                .append("\" stroke=\"#9aa5b1\" stroke-width=\"1\"/>\n");
        for (int i = 0; i < shown; i++) {
            LandingLatency.Bucket k = buckets.get(first + i);
            double x = LEFT + i * slot + 5;
            double hgt = k.count() == 0 ? 0 : Math.max(2, (PLOT_BOTTOM - PLOT_TOP) * (double) k.count() / max);
            if (hgt > 0) {
                rect(b, x, PLOT_BOTTOM - hgt, bar, hgt, COLOUR, k.label());
            }
            text(b, x + bar / 2, PLOT_BOTTOM - hgt - 6, "middle", 13, false,
                    String.format(Locale.ROOT, "%,d", k.count()));
            text(b, x + bar / 2, PLOT_BOTTOM + 18, "middle", shown > 10 ? 11 : 13, false, k.label());
        }
        text(b, FlowChart.WIDTH / 2.0, HEIGHT - 6, "middle", 13, false,
                "landed events per latency bucket (below its bound, at or above the one before)");
        b.append("</svg>\n");
    }
}
