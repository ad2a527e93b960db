package dev.truthline.connect.validation;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import dev.truthline.connect.core.FieldPath;

/**
 * {@code length}: the length of a string (in Unicode code points), bytes, array or map lies within
 * {@code min} and {@code max}, both inclusive and each optional.
 */
final class LengthRule extends FieldRule {

    private final int min;
    private final int max;
    private final String outOfRange;

    LengthRule(String name, FieldPath path, RuleSeverity severity, String message, Integer min, Integer max) {
        super(name, path, severity, message);
        this.min = min == null ? 0 : min;
        this.max = max == null ? Integer.MAX_VALUE : max;
        if (min != null && max != null) {
            outOfRange = "length must be between " + min + " and " + max;
        } else if (min != null) {
            outOfRange = "length must be at least " + min;
        } else {
            outOfRange = "length must be at most " + max;
        }
    }

    @Override
    String checkPresent(Object value, RecordView record) {
        int length;
        if (value instanceof String) {
            String s = (String) value;
            length = s.codePointCount(0, s.length());
        } else if (value instanceof byte[]) {
            length = ((byte[]) value).length;
        } else if (value instanceof ByteBuffer) {
            length = ((ByteBuffer) value).remaining();
        } else if (value instanceof List) {
            length = ((List<?>) value).size();
        } else if (value instanceof Map) {
            length = ((Map<?, ?>) value).size();
        } else {
            return "expected a string, bytes, array or map but was " + TypeNames.of(value);
        }
        return length >= min && length <= max ? null : outOfRange;
    }
}
