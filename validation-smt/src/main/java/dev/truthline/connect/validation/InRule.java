package dev.truthline.connect.validation;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.truthline.connect.core.FieldPath;

/**
 * {@code in}: the value is one of {@code values}. Strings and booleans compare by text (strings as
 * written, or ignoring case); numbers compare by numeric value, so {@code values=1.50,2} accepts the
 * int 2, the double 2.0 and the decimal 1.5.
 */
final class InRule extends FieldRule {

    private final Set<String> allowedText;
    private final Set<String> allowedNumbers;
    private final boolean ignoreCase;

    InRule(String name, FieldPath path, Severity severity, String message, List<String> values, boolean ignoreCase) {
        super(name, path, severity, message);
        this.ignoreCase = ignoreCase;
        Set<String> text = new HashSet<>();
        Set<String> numbers = new HashSet<>();
        for (String v : values) {
            text.add(ignoreCase ? v.toLowerCase(Locale.ROOT) : v);
            try {
                numbers.add(canonical(new BigDecimal(v.trim())));
            } catch (NumberFormatException notANumber) {
                // only matches strings
            }
        }
        this.allowedText = Set.copyOf(text);
        this.allowedNumbers = Set.copyOf(numbers);
    }

    private static String canonical(BigDecimal number) {
        return number.stripTrailingZeros().toPlainString();
    }

    @Override
    String checkPresent(Object value, RecordView record) {
        boolean allowed;
        if (value instanceof String) {
            String text = (String) value;
            allowed = allowedText.contains(ignoreCase ? text.toLowerCase(Locale.ROOT) : text);
        } else if (value instanceof Boolean) {
            allowed = allowedText.contains(value.toString());
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            allowed = allowedNumbers.contains(value.toString());
        } else if (value instanceof BigDecimal) {
            allowed = allowedNumbers.contains(canonical((BigDecimal) value));
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            allowed = !Double.isNaN(d) && !Double.isInfinite(d)
                    && allowedNumbers.contains(canonical(new BigDecimal(value.toString())));
        } else {
            return "expected a string, number or boolean but was " + TypeNames.of(value);
        }
        return allowed ? null : "is not one of the allowed values";
    }
}
