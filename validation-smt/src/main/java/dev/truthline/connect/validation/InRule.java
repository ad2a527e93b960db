package dev.truthline.connect.validation;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.truthline.connect.contract.ContractRule;
import dev.truthline.connect.core.FieldPath;
import dev.truthline.connect.core.KeyedConfigException;

/**
 * {@code in}: the value is one of {@code values}. Strings and booleans compare by text (strings as
 * written, or ignoring case); numbers compare by numeric value, so {@code values=1.50,2} accepts the
 * int 2, the double 2.0 and the decimal 1.5.
 *
 * <p>Built from a contract, the values keep the types they were written with and match only values of
 * that type, as JSON Schema's {@code enum} compares: {@code "2"} is not among {@code [1, 2, 3]}, nor
 * {@code true} among {@code ['true']}. A negated rule ({@code missingValues}) fails on the values listed.
 */
final class InRule extends FieldRule {

    static final RuleType TYPE = new RuleType("in", ContractRule.In.class, RuleDefinitions.FIELD, RuleDefinitions.VALUES,
            RuleDefinitions.IGNORE_CASE) {
        @Override
        Rule fromConfig(RuleConfig config) {
            FieldPath path = config.field();
            List<String> values = config.list(RuleDefinitions.VALUES);
            if (values == null || values.isEmpty()) {
                throw new KeyedConfigException(config.key(RuleDefinitions.VALUES), values,
                        "an 'in' rule needs at least one value");
            }
            return new InRule(config.name(), path, config.severity(), config.message(), values,
                    config.bool(RuleDefinitions.IGNORE_CASE));
        }

        @Override
        Rule fromContract(ContractRule rule, RuleSeverity severity) {
            ContractRule.In in = (ContractRule.In) rule.check();
            return new InRule(rule.name(), FieldPath.parse(rule.field()), severity, null, in.values(), in.negated(), true);
        }

        /**
         * Values compare as text. A list of valid values refuses more when it lacks one the other allows; a
         * list of missing values ({@code negated}) when it lists one the other does not. A valid list against
         * a missing one cannot be proven compatible.
         */
        @Override
        boolean refusesMore(ContractRule.Check a, ContractRule.Check b, boolean integersOnly) {
            ContractRule.In x = (ContractRule.In) a;
            ContractRule.In y = (ContractRule.In) b;
            if (x.negated() != y.negated()) {
                return true;
            }
            return x.negated() ? !y.texts().containsAll(x.texts()) : !x.texts().containsAll(y.texts());
        }
    };

    private final Set<String> allowedText;
    private final Set<String> allowedNumbers;
    /** The booleans allowed, for typed values; null when booleans compare by text. */
    private final Set<Boolean> allowedBooleans;
    private final boolean ignoreCase;
    private final boolean negated;

    InRule(String name, FieldPath path, RuleSeverity severity, String message, List<String> values, boolean ignoreCase) {
        super(name, path, severity, message);
        this.ignoreCase = ignoreCase;
        this.negated = false;
        this.allowedBooleans = null;
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

    /**
     * A rule over typed values: strings, numbers ({@link BigDecimal}) and booleans.
     *
     * @param negated whether the value must be none of them
     */
    InRule(String name, FieldPath path, RuleSeverity severity, String message, List<Object> values, boolean negated,
            boolean typed) {
        super(name, path, severity, message);
        this.ignoreCase = false;
        this.negated = negated;
        Set<String> text = new HashSet<>();
        Set<String> numbers = new HashSet<>();
        Set<Boolean> booleans = new HashSet<>();
        for (Object v : values) {
            if (v instanceof BigDecimal) {
                numbers.add(canonical((BigDecimal) v));
            } else if (v instanceof Boolean) {
                booleans.add((Boolean) v);
            } else {
                text.add(String.valueOf(v));
            }
        }
        this.allowedText = Set.copyOf(text);
        this.allowedNumbers = Set.copyOf(numbers);
        this.allowedBooleans = Set.copyOf(booleans);
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
            allowed = allowedBooleans != null ? allowedBooleans.contains(value) : allowedText.contains(value.toString());
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            allowed = allowedNumbers.contains(value.toString());
        } else if (value instanceof BigDecimal) {
            allowed = allowedNumbers.contains(canonical((BigDecimal) value));
        } else if (value instanceof java.math.BigInteger) {
            allowed = allowedNumbers.contains(canonical(new BigDecimal((java.math.BigInteger) value)));
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            allowed = !Double.isNaN(d) && !Double.isInfinite(d)
                    && allowedNumbers.contains(canonical(new BigDecimal(value.toString())));
        } else if (negated) {
            return null; // a list, map or struct is not one of the missing values
        } else {
            return "expected a string, number or boolean but was " + TypeNames.of(value);
        }
        if (negated) {
            return allowed ? "is one of the values that count as missing" : null;
        }
        return allowed ? null : "is not one of the allowed values";
    }
}
