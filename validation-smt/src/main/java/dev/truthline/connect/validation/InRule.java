package dev.truthline.connect.validation;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.truthline.connect.record.FieldPath;

/**
 * {@code in}: the value is one of {@code values}. Strings compare as written (or ignoring case);
 * numbers and booleans compare by their plain text form, so {@code values=1,2} accepts an int 2.
 */
final class InRule extends FieldRule {

    private final Set<String> allowed;
    private final boolean ignoreCase;

    InRule(String name, FieldPath path, Severity severity, String message, List<String> values, boolean ignoreCase) {
        super(name, path, severity, message);
        this.ignoreCase = ignoreCase;
        this.allowed = values.stream().map(v -> ignoreCase ? v.toLowerCase(Locale.ROOT) : v)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    String checkPresent(Object value, RecordView record) {
        String text;
        if (value instanceof String) {
            text = (String) value;
        } else if (value instanceof BigDecimal) {
            text = ((BigDecimal) value).stripTrailingZeros().toPlainString();
        } else if (value instanceof Number || value instanceof Boolean) {
            text = value.toString();
        } else {
            return "expected a string, number or boolean but was " + TypeNames.of(value);
        }
        if (ignoreCase) {
            text = text.toLowerCase(Locale.ROOT);
        }
        return allowed.contains(text) ? null : "is not one of the allowed values";
    }
}
