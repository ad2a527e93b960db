package dev.truthline.cli.contracts;

import static dev.truthline.cli.contracts.OdcsCompatibility.*;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

import dev.truthline.connect.contract.ContractRule;
import dev.truthline.connect.contract.ContractRule.Range;
import dev.truthline.connect.contract.ContractRule.Source;

/** One bound of a numeric range, where it is written and how it reads. */
record RangeBound(BigDecimal value, boolean exclusive, String element, String key, String description) {

    static RangeBound of(Side side, ContractRule rule, BigDecimal value, boolean exclusive, boolean lower) {
        if (rule.source() == Source.FORMAT) { // the range of a number format such as i32
            return new RangeBound(value, exclusive, rule.element(), null,
                    "format " + side.doc.text(rule.element()) + " (" + plain(value) + ")");
        }
        String key = lower ? (exclusive ? "exclusiveMinimum" : "minimum") : (exclusive ? "exclusiveMaximum" : "maximum");
        return new RangeBound(value, exclusive, rule.element() + "." + key, key, key + " " + plain(value));
    }

    /** The strictest lower (or upper) bound of the rules; null when there is none. */
    static RangeBound strictest(Side side, List<ContractRule> rules, boolean lower) {
        RangeBound strictest = null;
        for (ContractRule rule : rules) {
            if (rule.check() instanceof Range range) {
                BigDecimal value = lower ? range.min() : range.max();
                if (value != null) {
                    RangeBound b = of(side, rule, value, lower ? range.minExclusive() : range.maxExclusive(), lower);
                    if (strictest == null || refusesMore(b, strictest, lower, false)) {
                        strictest = b;
                    }
                }
            }
        }
        return strictest;
    }

    /** Whether bound {@code a} refuses a value that bound {@code b} lets through (among integers only, if asked). */
    static boolean refusesMore(RangeBound a, RangeBound b, boolean lower, boolean integers) {
        if (a == null) {
            return false;
        }
        if (b == null) {
            return true;
        }
        if (integers) {
            int c = a.asInteger(lower).compareTo(b.asInteger(lower));
            return lower ? c > 0 : c < 0;
        }
        int c = a.value.compareTo(b.value);
        if (c == 0) {
            return a.exclusive && !b.exclusive;
        }
        return lower ? c > 0 : c < 0;
    }

    /** The inclusive integer bound: {@code exclusiveMinimum 0} is {@code minimum 1}, {@code maximum 9.5} is 9. */
    BigDecimal asInteger(boolean lower) {
        if (lower) {
            return exclusive ? value.setScale(0, RoundingMode.FLOOR).add(BigDecimal.ONE)
                    : value.setScale(0, RoundingMode.CEILING);
        }
        return exclusive ? value.setScale(0, RoundingMode.CEILING).subtract(BigDecimal.ONE)
                : value.setScale(0, RoundingMode.FLOOR);
    }
}
