package dev.truthline.connect.validation;

import com.google.re2j.Pattern;

import dev.truthline.connect.record.FieldPath;

/**
 * {@code regex}: a string that matches {@code pattern} as a whole. RE2 semantics (linear time, no
 * backreferences), so no value can make a check backtrack.
 */
final class RegexRule extends FieldRule {

    private final Pattern pattern;
    private final String mismatch;

    RegexRule(String name, FieldPath path, Severity severity, String message, Pattern pattern) {
        super(name, path, severity, message);
        this.pattern = pattern;
        this.mismatch = "does not match pattern " + pattern.pattern();
    }

    @Override
    String checkPresent(Object value, RecordView record) {
        if (!(value instanceof String)) {
            return "expected a string but was " + TypeNames.of(value);
        }
        return pattern.matches((String) value) ? null : mismatch;
    }
}
