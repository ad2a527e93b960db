package dev.truthline.connect.validation;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Writes the {@code dq.violations} header: a JSON array of {@code {"rule","field","message"}},
 * with {@code "severity":"warn"} on warnings and {@code "value"} only when values were asked for.
 */
final class ViolationsJson {

    /** Longest value text copied into a header when values are included. */
    static final int MAX_VALUE_CHARS = 256;

    private static final JsonStringEncoder ESCAPER = JsonStringEncoder.getInstance();

    private ViolationsJson() {
    }

    static String write(List<Violation> violations, boolean includeValues) {
        StringBuilder out = new StringBuilder(80 * violations.size());
        out.append('[');
        for (int i = 0; i < violations.size(); i++) {
            Violation v = violations.get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"rule\":");
            string(out, v.rule());
            out.append(",\"field\":");
            string(out, v.field());
            out.append(",\"message\":");
            string(out, v.message());
            if (v.severity() == RuleSeverity.WARN) {
                out.append(",\"severity\":\"warn\"");
            }
            if (includeValues) {
                out.append(",\"value\":");
                String value = render(v.value());
                if (value == null) {
                    out.append("null");
                } else {
                    string(out, value);
                }
            }
            out.append('}');
        }
        return out.append(']').toString();
    }

    private static void string(StringBuilder out, String text) {
        out.append('"');
        ESCAPER.quoteAsString(text, out);
        out.append('"');
    }

    /** A bounded text form of a value; null for null or absent. */
    static String render(Object value) {
        if (value == null || value == dev.truthline.connect.core.FieldPath.ABSENT) {
            return null;
        }
        String text;
        if (value instanceof byte[]) {
            text = Base64.getEncoder().encodeToString((byte[]) value);
        } else if (value instanceof ByteBuffer) {
            ByteBuffer copy = ((ByteBuffer) value).duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            text = Base64.getEncoder().encodeToString(bytes);
        } else {
            text = String.valueOf(value);
        }
        return text.length() <= MAX_VALUE_CHARS ? text : text.substring(0, MAX_VALUE_CHARS) + "...";
    }
}
