package dev.truthline.connect.validation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

import dev.truthline.connect.contract.ContractRule;
import dev.truthline.connect.core.FieldPath;
import dev.truthline.connect.core.KeyedConfigException;

/**
 * {@code range}: a number within {@code min} and {@code max}, each optional and each inclusive unless
 * marked exclusive. Integral values are compared exactly; {@code Decimal} values with
 * {@link BigDecimal#compareTo}; floating-point values as the shortest decimal that reads back as them
 * (so {@code 0.3} is within {@code min=0.3}, and not above an exclusive {@code min=0.3}), and NaN is
 * never in range.
 */
final class RangeRule extends FieldRule {

    static final RuleType TYPE = new RuleType("range", ContractRule.Range.class, RuleDefinitions.FIELD,
            RuleDefinitions.MIN, RuleDefinitions.MAX, RuleDefinitions.MIN_EXCLUSIVE, RuleDefinitions.MAX_EXCLUSIVE) {
        @Override
        Rule fromConfig(RuleConfig config) {
            FieldPath path = config.field();
            BigDecimal min = config.number(RuleDefinitions.MIN);
            BigDecimal max = config.number(RuleDefinitions.MAX);
            boolean minExclusive = config.bool(RuleDefinitions.MIN_EXCLUSIVE);
            boolean maxExclusive = config.bool(RuleDefinitions.MAX_EXCLUSIVE);
            config.requireABound(min, max);
            String minKey = config.key(RuleDefinitions.MIN);
            if (min != null && max != null && min.compareTo(max) > 0) {
                throw new KeyedConfigException(minKey, config.string(RuleDefinitions.MIN),
                        "min must not be greater than max (" + max.toPlainString() + ")");
            }
            if (min != null && max != null && min.compareTo(max) == 0 && (minExclusive || maxExclusive)) {
                throw new KeyedConfigException(minKey, config.string(RuleDefinitions.MIN),
                        "min equals max (" + max.toPlainString() + ") and a bound is exclusive: no value is in range");
            }
            if (minExclusive && min == null) {
                throw new KeyedConfigException(config.key(RuleDefinitions.MIN_EXCLUSIVE), true,
                        "there is no min to make exclusive");
            }
            if (maxExclusive && max == null) {
                throw new KeyedConfigException(config.key(RuleDefinitions.MAX_EXCLUSIVE), true,
                        "there is no max to make exclusive");
            }
            return new RangeRule(config.name(), path, config.severity(), config.message(), min, minExclusive, max,
                    maxExclusive);
        }

        @Override
        Rule fromContract(ContractRule rule, RuleSeverity severity) {
            ContractRule.Range range = (ContractRule.Range) rule.check();
            return new RangeRule(rule.name(), FieldPath.parse(rule.field()), severity, null, range.min(),
                    range.minExclusive(), range.max(), range.maxExclusive());
        }

        /** Bound by bound: a lower bound refuses more when it is higher, an upper one when it is lower. */
        @Override
        boolean refusesMore(ContractRule.Check a, ContractRule.Check b, boolean integersOnly) {
            ContractRule.Range x = (ContractRule.Range) a;
            ContractRule.Range y = (ContractRule.Range) b;
            return boundRefusesMore(x.min(), x.minExclusive(), y.min(), y.minExclusive(), true, integersOnly)
                    || boundRefusesMore(x.max(), x.maxExclusive(), y.max(), y.maxExclusive(), false, integersOnly);
        }
    };

    private final BigDecimal min;
    private final boolean minExclusive;
    private final BigDecimal max;
    private final boolean maxExclusive;
    private final double minDouble;
    private final double maxDouble;
    private final String outOfRange;

    /** A range with inclusive bounds. */
    RangeRule(String name, FieldPath path, RuleSeverity severity, String message, BigDecimal min, BigDecimal max) {
        this(name, path, severity, message, min, false, max, false);
    }

    RangeRule(String name, FieldPath path, RuleSeverity severity, String message, BigDecimal min, boolean minExclusive,
            BigDecimal max, boolean maxExclusive) {
        super(name, path, severity, message);
        this.min = min;
        this.minExclusive = min != null && minExclusive;
        this.max = max;
        this.maxExclusive = max != null && maxExclusive;
        // The fast path below only accepts values strictly between these, so it serves exclusive bounds as well.
        this.minDouble = min == null ? Double.NEGATIVE_INFINITY : min.doubleValue();
        this.maxDouble = max == null ? Double.POSITIVE_INFINITY : max.doubleValue();
        String lower = min == null ? null
                : (this.minExclusive ? "greater than " : "at least ") + min.toPlainString();
        String upper = max == null ? null
                : (this.maxExclusive ? "less than " : "at most ") + max.toPlainString();
        if (lower != null && upper != null) {
            outOfRange = this.minExclusive || this.maxExclusive
                    ? "must be " + lower + " and " + upper
                    : "must be between " + min.toPlainString() + " and " + max.toPlainString();
        } else {
            outOfRange = "must be " + (lower != null ? lower : upper);
        }
    }

    @Override
    String checkPresent(Object value, RecordView record) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            long v = ((Number) value).longValue();
            // Doubles hold every bound a user writes in practice exactly enough; re-check exactly near the edge.
            if (v > minDouble && v < maxDouble) {
                return null;
            }
            return inRange(BigDecimal.valueOf(v)) ? null : outOfRange;
        }
        if (value instanceof Double || value instanceof Float) {
            double v = ((Number) value).doubleValue();
            if (Double.isNaN(v)) {
                return "is not a number (NaN)";
            }
            if (Double.isInfinite(v)) {
                return inRangeInfinite(v) ? null : outOfRange;
            }
            if (v > minDouble && v < maxDouble) {
                return null;
            }
            // Compare the decimal the value was written as (0.3, not 0.29999...), so a bound written as the
            // value itself is inclusive.
            BigDecimal exact = value instanceof Float ? new BigDecimal(value.toString()) : BigDecimal.valueOf(v);
            return inRange(exact) ? null : outOfRange;
        }
        if (value instanceof BigDecimal) {
            return inRange((BigDecimal) value) ? null : outOfRange;
        }
        if (value instanceof BigInteger) {
            return inRange(new BigDecimal((BigInteger) value)) ? null : outOfRange;
        }
        return "expected a number but was " + TypeNames.of(value);
    }

    /**
     * Whether bound {@code a} refuses a value that bound {@code b} lets through (a null bound refuses
     * nothing); among integers only, if asked, where {@code exclusiveMinimum 0} is {@code minimum 1}.
     */
    static boolean boundRefusesMore(BigDecimal a, boolean aExclusive, BigDecimal b, boolean bExclusive, boolean lower,
            boolean integers) {
        if (a == null) {
            return false;
        }
        if (b == null) {
            return true;
        }
        if (integers) {
            int c = asInteger(a, aExclusive, lower).compareTo(asInteger(b, bExclusive, lower));
            return lower ? c > 0 : c < 0;
        }
        int c = a.compareTo(b);
        if (c == 0) {
            return aExclusive && !bExclusive;
        }
        return lower ? c > 0 : c < 0;
    }

    /** The inclusive integer bound: {@code exclusiveMinimum 0} is {@code minimum 1}, {@code maximum 9.5} is 9. */
    private static BigDecimal asInteger(BigDecimal value, boolean exclusive, boolean lower) {
        if (lower) {
            return exclusive ? value.setScale(0, RoundingMode.FLOOR).add(BigDecimal.ONE)
                    : value.setScale(0, RoundingMode.CEILING);
        }
        return exclusive ? value.setScale(0, RoundingMode.CEILING).subtract(BigDecimal.ONE)
                : value.setScale(0, RoundingMode.FLOOR);
    }

    private boolean inRangeInfinite(double v) {
        return v > 0 ? max == null : min == null;
    }

    private boolean inRange(BigDecimal v) {
        if (min != null) {
            int c = v.compareTo(min);
            if (c < 0 || (c == 0 && minExclusive)) {
                return false;
            }
        }
        if (max != null) {
            int c = v.compareTo(max);
            return c < 0 || (c == 0 && !maxExclusive);
        }
        return true;
    }
}
