package dev.truthline.connect.validation;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

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

    /**
     * The JSON of violations without values, for one {@code ValidateContract}: the object of each (rule, field,
     * message, severity) is written once and kept in a small table, since invalid records of a stream fail the
     * same few ways and quoting the same strings again was a noticeable share of the SMT's per-record time.
     */
    static final class Cached {

        private static final int SLOTS = 64;

        private record Entry(String rule, String field, String message, RuleSeverity severity, String json) {
        }

        private final Entry[] entries = new Entry[SLOTS];

        String write(List<Violation> violations) {
            return array(violations, (out, v) -> out.append(object(v)));
        }

        private String object(Violation v) {
            int slot = ((Objects.hashCode(v.rule()) * 31 + Objects.hashCode(v.field())) * 31
                    + Objects.hashCode(v.message()) + v.severity().ordinal()) & (SLOTS - 1);
            Entry e = entries[slot];
            if (e != null && e.severity == v.severity() && Objects.equals(e.rule, v.rule())
                    && Objects.equals(e.field, v.field()) && Objects.equals(e.message, v.message())) {
                return e.json;
            }
            StringBuilder out = new StringBuilder(80);
            appendObject(out, v, false);
            String json = out.toString();
            entries[slot] = new Entry(v.rule(), v.field(), v.message(), v.severity(), json);
            return json;
        }
    }

    static String write(List<Violation> violations, boolean includeValues) {
        return array(violations, (out, v) -> appendObject(out, v, includeValues));
    }

    /** The JSON array of the violations, each object written by {@code object}. */
    private static String array(List<Violation> violations, BiConsumer<StringBuilder, Violation> object) {
        StringBuilder out = new StringBuilder(80 * violations.size()).append('[');
        for (int i = 0; i < violations.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            object.accept(out, violations.get(i));
        }
        return out.append(']').toString();
    }

    private static void appendObject(StringBuilder out, Violation v, boolean includeValues) {
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
