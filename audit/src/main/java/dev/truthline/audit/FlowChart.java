package dev.truthline.audit;

import static dev.truthline.audit.HtmlReport.esc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The flow from the captured events to their fates as inline SVG, Sankey-like: one bar of every captured event on the
 * left, one bar per fate that any event met on the right, and a band from each to each as wide as its share (a
 * non-empty fate at least a few pixels, so a single lost event stays visible).
 */
final class FlowChart {

    static final int WIDTH = 960;
    private static final int FLOW_HEIGHT = 300;
    private static final int MIN_BAR = 3;
    private static final int MIN_SLOT = 44;
    private static final int GAP = 12;
    private static final int TOP = 16;
    private static final int BAR = 26;
    private static final int LEFT_X = 170;
    private static final int RIGHT_X = 600;

    private FlowChart() {
    }

    private record Part(Fate fate, long count, double height) {
    }

    static void svg(StringBuilder b, AuditResult r) {
        long total = r.captured();
        List<Part> parts = new ArrayList<>();
        for (Fate f : Fate.values()) {
            long n = r.count(f);
            if (n > 0) {
                parts.add(new Part(f, n, Math.max(MIN_BAR, (double) FLOW_HEIGHT * n / total)));
            }
        }
        double left = parts.stream().mapToDouble(Part::height).sum();
        double right = 0;
        for (Part p : parts) {
            right += Math.max(p.height(), MIN_SLOT);
        }
        right += GAP * Math.max(0, parts.size() - 1);
        double tall = Math.max(Math.max(left, right), 60);
        int height = (int) Math.ceil(tall) + 2 * TOP;
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flow\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"flow from captured events to their fates\">\n");
        double leftTop = TOP + (tall - left) / 2;
        if (parts.isEmpty()) {
            b.append("<text x=\"").append(LEFT_X).append("\" y=\"").append(TOP + 30)
                    .append("\" font-size=\"15\">No event captured in the range.</text>\n</svg>\n");
            return;
        }
        rect(b, LEFT_X, leftTop, BAR, left, HtmlReport.CAPTURED_COLOUR, "captured");
        double mid = leftTop + left / 2;
        text(b, LEFT_X - 12, mid - 4, "end", 16, true, "captured");
        text(b, LEFT_X - 12, mid + 16, "end", 15, false, String.format(Locale.ROOT, "%,d events", total));

        double yl = leftTop;
        double slotTop = TOP + (tall - right) / 2;
        for (Part p : parts) {
            double slot = Math.max(p.height(), MIN_SLOT);
            double yr = slotTop + (slot - p.height()) / 2;
            String colour = HtmlReport.COLOURS.get(p.fate());
            band(b, LEFT_X + BAR, yl, RIGHT_X, yr, p.height(), colour);
            rect(b, RIGHT_X, yr, BAR, p.height(), colour, p.fate().label());
            double centre = yr + p.height() / 2;
            text(b, RIGHT_X + BAR + 12, centre - 3, "start", 16, true, p.fate().label() + "  "
                    + String.format(Locale.ROOT, "%,d", p.count()));
            text(b, RIGHT_X + BAR + 12, centre + 16, "start", 14, false, HtmlReport.percent(p.count(), total)
                    + " of captured");
            yl += p.height();
            slotTop += slot + GAP;
        }
        b.append("</svg>\n");
    }

    private static void band(StringBuilder b, double x1, double y1, double x2, double y2, double h, String colour) {
        double xm = (x1 + x2) / 2;
        b.append("<path class=\"band\" fill=\"").append(colour).append("\" fill-opacity=\"0.35\" d=\"M")
                .append(n(x1)).append(' ').append(n(y1)).append(" C").append(n(xm)).append(' ').append(n(y1))
                .append(' ').append(n(xm)).append(' ').append(n(y2)).append(' ').append(n(x2)).append(' ').append(n(y2))
                .append(" L").append(n(x2)).append(' ').append(n(y2 + h)).append(" C").append(n(xm)).append(' ')
                .append(n(y2 + h)).append(' ').append(n(xm)).append(' ').append(n(y1 + h)).append(' ').append(n(x1))
                .append(' ').append(n(y1 + h)).append(" Z\"/>\n");
    }

    static void rect(StringBuilder b, double x, double y, double w, double h, String colour, String name) {
        b.append("<rect class=\"bar\" data-name=\"").append(esc(name)).append("\" x=\"").append(n(x)).append("\" y=\"")
                .append(n(y)).append("\" width=\"").append(n(w)).append("\" height=\"").append(n(h))
                .append("\" fill=\"").append(colour).append("\"/>\n");
    }

    static void text(StringBuilder b, double x, double y, String anchor, int size, boolean bold, String text) {
        b.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"").append(anchor)
                .append("\" font-size=\"").append(size).append('"').append(bold ? " font-weight=\"bold\"" : "")
                .append('>').append(esc(text)).append("</text>\n");
    }

    /** A coordinate with at most one decimal. */
    static String n(double v) {
        long tenths = Math.round(v * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
    }
}
