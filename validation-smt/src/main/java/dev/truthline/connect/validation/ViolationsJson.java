package dev.truthline.connect.validation;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Writes the {@code dq.violations} header: a JSON array of {@code {"rule","field","message"}},
 * with {@code "severity":"warn"} on warnings and {@code "value"} only when values were asked for.
 */
final class ViolationsJson {

    /** Longest value text copied into a header when values are included. */
    static final int MAX_VALUE_CHARS = 256;

    private static final JsonFactory JSON = new JsonFactory();

    private ViolationsJson() {
    }

    static String write(List<Violation> violations, boolean includeValues) {
        StringWriter out = new StringWriter(64 * violations.size());
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartArray();
            for (Violation v : violations) {
                json.writeStartObject();
                json.writeStringField("rule", v.rule());
                json.writeStringField("field", v.field());
                json.writeStringField("message", v.message());
                if (v.severity() == Severity.WARN) {
                    json.writeStringField("severity", "warn");
                }
                if (includeValues) {
                    json.writeStringField("value", render(v.value()));
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A bounded text form of a value; null for null or absent. */
    static String render(Object value) {
        if (value == null || value == dev.truthline.connect.record.FieldPath.ABSENT) {
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
